"""Identity: a department officer's role grant names her department

Revision ID: 0008_identity_department
Revises: 0002_identity
Create Date: 2026-12-01 00:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008_identity_department'
down_revision = '0002_identity'
branch_labels = ('identity',)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_column('department')

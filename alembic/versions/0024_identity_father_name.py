"""Identity: the father's name gov.gr gives at login (prefills application forms)

Revision ID: 0024_identity_father_name
Revises: 0008_identity_department
Create Date: 2026-12-01 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0024_identity_father_name'
down_revision = '0008_identity_department'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('father_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('father_name')

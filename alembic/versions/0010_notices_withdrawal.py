"""Notices: a mistaken notice is withdrawn with a public correction

Revision ID: 0010_notices_withdrawal
Revises: 0005_notices
Create Date: 2026-12-01 01:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010_notices_withdrawal'
down_revision = '0005_notices'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('correction', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('correction')
        batch_op.drop_column('withdrawn_at')

"""Notices: staff turn off kinds of "work has arrived" alerts

Revision ID: 0023_notices_staff_alerts
Revises: 0010_notices_withdrawal
Create Date: 2026-12-01 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0023_notices_staff_alerts'
down_revision = '0010_notices_withdrawal'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice_staff_alert_off',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('person_id', 'kind')
    )


def downgrade() -> None:
    op.drop_table('notice_staff_alert_off')

"""Events: attendance per registration (marked at the door: came, did not come, or not yet).

Revision ID: 0022_events_attendance
Revises: 0014_events
Create Date: 2026-12-01 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0022_events_attendance'
down_revision = '0014_events'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opengov_event_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attended', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('attendance_marked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('opengov_event_registration', schema=None) as batch_op:
        batch_op.drop_column('attendance_marked_at')
        batch_op.drop_column('attended')

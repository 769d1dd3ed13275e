"""Open meetings and events: events and registrations (seat or waitlist).

Revision ID: 0014_events
Revises: 0002_identity
Create Date: 2026-12-01 03:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014_events'
down_revision = '0002_identity'
branch_labels = ('events',)
depends_on = None


def upgrade() -> None:
    op.create_table('opengov_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('registration_open', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('recording_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('minutes_published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('attendance', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('opengov_event', schema=None) as batch_op:
        batch_op.create_index('ix_opengov_event_status_start', ['status', 'starts_at'], unique=False)

    op.create_table('opengov_event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('queued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('registered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('promoted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cancelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('reminder_source', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['opengov_event.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'person_id')
    )
    with op.batch_alter_table('opengov_event_registration', schema=None) as batch_op:
        batch_op.create_index('ix_opengov_event_registration_queue', ['event_id', 'status', 'queued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_opengov_event_registration_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('opengov_event_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opengov_event_registration_person_id'))
        batch_op.drop_index('ix_opengov_event_registration_queue')
    op.drop_table('opengov_event_registration')
    with op.batch_alter_table('opengov_event', schema=None) as batch_op:
        batch_op.drop_index('ix_opengov_event_status_start')
    op.drop_table('opengov_event')

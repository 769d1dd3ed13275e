"""E-applications: services, form versions, applications, drafts, timeline, notes, files, protocol counters, pickup slots.

Revision ID: 0011_applications
Revises: 0002_identity
Create Date: 2026-12-01 02:54:58.739096
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011_applications'
down_revision = '0002_identity'
branch_labels = ('applications',)
depends_on = None


def upgrade() -> None:

    op.create_table('application_pickup_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity', name='ck_application_pickup_slot_capacity'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('area', 'day')
    )
    op.create_table('application_protocol_counter',
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('direction', 'year')
    )
    op.create_table('application_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('title_el', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('purpose_el', sa.Text(), nullable=False),
    sa.Column('purpose_en', sa.Text(), nullable=False),
    sa.Column('eligibility_el', sa.Text(), nullable=False),
    sa.Column('eligibility_en', sa.Text(), nullable=False),
    sa.Column('documents_el', sa.Text(), nullable=False),
    sa.Column('documents_en', sa.Text(), nullable=False),
    sa.Column('fee_el', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('fee_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('target_days', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('mitos_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('govgr_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('paper_pages', sa.Integer(), nullable=False),
    sa.Column('protocol_at_submission', sa.Boolean(), nullable=False),
    sa.Column('uses_pickup_slots', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    with op.batch_alter_table('application_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_service_department'), ['department'], unique=False)

    op.create_table('application_form_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['application_service.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('service_id', 'version')
    )
    with op.batch_alter_table('application_form_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_form_version_service_id'), ['service_id'], unique=False)

    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('form_version_id', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('filed_by', sa.Integer(), nullable=True),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('in_protocol_year', sa.Integer(), nullable=True),
    sa.Column('in_protocol_number', sa.Integer(), nullable=True),
    sa.Column('in_protocol_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('out_protocol_year', sa.Integer(), nullable=True),
    sa.Column('out_protocol_number', sa.Integer(), nullable=True),
    sa.Column('assigned_to', sa.Integer(), nullable=True),
    sa.Column('target_days', sa.Integer(), nullable=False),
    sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('paused_days', sa.Float(), nullable=False),
    sa.Column('paused_since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decision_work_days', sa.Float(), nullable=True),
    sa.Column('pickup_slot_id', sa.Integer(), nullable=True),
    sa.Column('rating_score', sa.Integer(), nullable=True),
    sa.Column('rating_comment', sa.Text(), nullable=True),
    sa.Column('rated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_to'], ['person.id'], ),
    sa.ForeignKeyConstraint(['filed_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['form_version_id'], ['application_form_version.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['pickup_slot_id'], ['application_pickup_slot.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['application_service.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('in_protocol_year', 'in_protocol_number'),
    sa.UniqueConstraint('out_protocol_year', 'out_protocol_number'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_assigned_to'), ['assigned_to'], unique=False)
        batch_op.create_index('ix_application_person_submitted', ['person_id', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_pickup_slot_id'), ['pickup_slot_id'], unique=False)
        batch_op.create_index('ix_application_queue', ['department', 'status', 'due_at'], unique=False)
        batch_op.create_index('ix_application_service_submitted', ['service_id', 'submitted_at'], unique=False)

    op.create_table('application_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('form_version_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['form_version_id'], ['application_form_version.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['application_service.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'service_id')
    )
    with op.batch_alter_table('application_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_draft_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_draft_service_id'), ['service_id'], unique=False)

    op.create_table('application_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('by_staff', sa.Boolean(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_event_application_id'), ['application_id'], unique=False)

    op.create_table('application_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('field_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['draft_id'], ['application_draft.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('application_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_file_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_file_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_file_person_id'), ['person_id'], unique=False)

    op.create_table('application_internal_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('application_internal_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_internal_note_application_id'), ['application_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('application_internal_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_internal_note_application_id'))

    op.drop_table('application_internal_note')
    with op.batch_alter_table('application_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_file_person_id'))
        batch_op.drop_index(batch_op.f('ix_application_file_draft_id'))
        batch_op.drop_index(batch_op.f('ix_application_file_application_id'))

    op.drop_table('application_file')
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_event_application_id'))

    op.drop_table('application_event')
    with op.batch_alter_table('application_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_draft_service_id'))
        batch_op.drop_index(batch_op.f('ix_application_draft_person_id'))

    op.drop_table('application_draft')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_service_submitted')
        batch_op.drop_index('ix_application_queue')
        batch_op.drop_index(batch_op.f('ix_application_pickup_slot_id'))
        batch_op.drop_index('ix_application_person_submitted')
        batch_op.drop_index(batch_op.f('ix_application_assigned_to'))

    op.drop_table('application')
    with op.batch_alter_table('application_form_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_form_version_service_id'))

    op.drop_table('application_form_version')
    with op.batch_alter_table('application_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_service_department'))

    op.drop_table('application_service')
    op.drop_table('application_protocol_counter')
    op.drop_table('application_pickup_slot')


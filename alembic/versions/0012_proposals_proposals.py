"""Residents' proposals: proposals (threshold, answer, moderation), supports, photos.

Revision ID: 0012_proposals
Revises: 0002_identity
Create Date: 2026-12-01 03:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012_proposals'
down_revision = '0002_identity'
branch_labels = ('proposals',)
depends_on = None


def upgrade() -> None:
    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=140), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('collect_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('share', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('residents', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('reached_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('answer_due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('link_kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('hidden_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('hidden_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['hidden_by'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_proposal_area'), 'proposal', ['area'], unique=False)
    op.create_index(op.f('ix_proposal_author_id'), 'proposal', ['author_id'], unique=False)
    op.create_index(op.f('ix_proposal_created_at'), 'proposal', ['created_at'], unique=False)
    op.create_table('proposal_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
    op.create_index(op.f('ix_proposal_photo_owner_id'), 'proposal_photo', ['owner_id'], unique=False)
    op.create_index(op.f('ix_proposal_photo_proposal_id'), 'proposal_photo', ['proposal_id'], unique=True)
    op.create_table('proposal_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('proposal_id', 'person_id')
    )
    op.create_index(op.f('ix_proposal_support_person_id'), 'proposal_support', ['person_id'], unique=False)
    op.create_index(op.f('ix_proposal_support_proposal_id'), 'proposal_support', ['proposal_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_proposal_support_proposal_id'), table_name='proposal_support')
    op.drop_index(op.f('ix_proposal_support_person_id'), table_name='proposal_support')
    op.drop_table('proposal_support')
    op.drop_index(op.f('ix_proposal_photo_proposal_id'), table_name='proposal_photo')
    op.drop_index(op.f('ix_proposal_photo_owner_id'), table_name='proposal_photo')
    op.drop_table('proposal_photo')
    op.drop_index(op.f('ix_proposal_created_at'), table_name='proposal')
    op.drop_index(op.f('ix_proposal_author_id'), table_name='proposal')
    op.drop_index(op.f('ix_proposal_area'), table_name='proposal')
    op.drop_table('proposal')

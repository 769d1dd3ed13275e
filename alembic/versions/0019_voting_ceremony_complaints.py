"""Voting: the key ceremony's complaints (Pedersen DKG qualified set)

Revision ID: 0019_voting_ceremony
Revises: 0008_voting_encrypted
Create Date: 2026-12-01 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0019_voting_ceremony'
down_revision = '0008_voting_encrypted'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('vote_trustee_complaint',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.Integer(), nullable=False),
    sa.Column('complainant', sa.Integer(), nullable=False),
    sa.Column('share', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('filed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], ),
    sa.PrimaryKeyConstraint('vote_id', 'dealer', 'complainant')
    )


def downgrade() -> None:
    op.drop_table('vote_trustee_complaint')

"""Open governance: decisions imported from Diavgeia and their links

Revision ID: 0016_decisions
Revises: 0002_identity
Create Date: 2026-12-01 03:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0016_decisions'
down_revision = '0002_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decision',
    sa.Column('ada', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('subject_folded', sa.Text(), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('decision_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('document_url', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('ada')
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_decision_type'), ['decision_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_issue_date'), ['issue_date'], unique=False)

    op.create_table('decision_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ada', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ada'], ['decision.ada'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ada', 'kind', 'target')
    )
    with op.batch_alter_table('decision_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_link_ada'), ['ada'], unique=False)


def downgrade() -> None:
    op.drop_table('decision_link')
    op.drop_table('decision')

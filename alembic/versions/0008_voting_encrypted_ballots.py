"""Voting: encrypted votes — trustees, encrypted and spoiled ballots, no sealed tracker for them

Revision ID: 0008_voting_encrypted
Revises: 0007_voting_cast_view
Create Date: 2026-12-01 00:35:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

from syros_app.voting.models import CAST_ENCRYPTED_VIEW_DDL, CAST_ENCRYPTED_VIEW_DROP, CAST_VIEW_DDL, CAST_VIEW_DROP

revision = '0008_voting_encrypted'
down_revision = '0007_voting_cast_view'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('encrypted', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('trustee_threshold', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('election_json', sa.Text(), nullable=True))
    _sealed_tracker_nullable(True)
    op.create_table('vote_encrypted_ballot',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('ballot', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('vote_id', 'fingerprint'),
    sqlite_with_rowid=False
    )
    op.create_table('vote_spoiled_ballot',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('audit', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('vote_id', 'fingerprint'),
    sqlite_with_rowid=False
    )
    op.create_table('vote_trustee',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('transport_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('commitments', sa.Text(), nullable=True),
    sa.Column('sealed_shares', sa.Text(), nullable=True),
    sa.Column('partials', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], ),
    sa.PrimaryKeyConstraint('vote_id', 'index')
    )
    with op.batch_alter_table('vote_trustee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_trustee_person_id'), ['person_id'], unique=False)
    for ddl in CAST_ENCRYPTED_VIEW_DDL.get(op.get_bind().dialect.name, []):
        op.execute(ddl.statement)


def _sealed_tracker_nullable(nullable: bool) -> None:
    """SQLite rebuilds the table: the cast view's trigger (which names it) goes first and
    comes back after, and the rebuilt table stays WITHOUT ROWID."""
    dialect = op.get_bind().dialect.name
    for statement in CAST_VIEW_DROP.get(dialect, []):
        op.execute(statement)
    with op.batch_alter_table('vote_participation', schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.alter_column('sealed_tracker', existing_type=sqlmodel.sql.sqltypes.AutoString(length=120),
                              nullable=nullable)
    for ddl in CAST_VIEW_DDL.get(dialect, []):
        op.execute(ddl.statement)


def downgrade() -> None:
    for statement in CAST_ENCRYPTED_VIEW_DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table('vote_trustee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_trustee_person_id'))
    op.drop_table('vote_trustee')
    op.drop_table('vote_spoiled_ballot')
    op.drop_table('vote_encrypted_ballot')
    op.execute("UPDATE vote_participation SET sealed_tracker = '' WHERE sealed_tracker IS NULL")
    _sealed_tracker_nullable(False)
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_column('election_json')
        batch_op.drop_column('trustee_threshold')
        batch_op.drop_column('encrypted')

"""Voting: the SQLite view ``vote_cast`` whose INSTEAD OF trigger writes a participation and its ballot in one statement

Revision ID: 0007_voting_cast_view
Revises: 0004_voting
Create Date: 2026-11-27 10:30:00
"""
from alembic import op

from syros_app.voting.models import CAST_VIEW_DDL, CAST_VIEW_DROP

revision = '0007_voting_cast_view'
down_revision = '0004_voting'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for ddl in CAST_VIEW_DDL.get(op.get_bind().dialect.name, []):
        op.execute(ddl.statement)


def downgrade() -> None:
    for statement in CAST_VIEW_DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)

"""Ops: workers' heartbeats

Revision ID: 0008_ops_heartbeat
Revises: 0001_core
Create Date: 2026-12-01 00:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008_ops_heartbeat'
down_revision = '0001_core'
branch_labels = ('ops',)
depends_on = None


def upgrade() -> None:
    op.create_table('ops_worker_heartbeat',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('beat_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('ops_worker_heartbeat')

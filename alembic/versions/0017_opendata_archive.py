"""Open data: the nightly archives of all public datasets

Revision ID: 0017_opendata
Revises: 0001_core
Create Date: 2026-12-01 03:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0017_opendata'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('open_data_archive',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_date', sa.Date(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('open_data_archive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open_data_archive_export_date'), ['export_date'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('open_data_archive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open_data_archive_export_date'))
    op.drop_table('open_data_archive')

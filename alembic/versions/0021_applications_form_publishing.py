"""E-applications: a form version is published (or still being edited by staff); the applicant answered

Revision ID: 0021_applications_publishing
Revises: 0011_applications
Create Date: 2026-12-01 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0021_applications_publishing'
down_revision = '0011_applications'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('application_form_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resident_answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('resident_answered_at')
    with op.batch_alter_table('application_form_version', schema=None) as batch_op:
        batch_op.drop_column('published')

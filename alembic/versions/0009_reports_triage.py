"""Reports: triage desk — the officer a report is assigned to, and staff-only internal notes

Revision ID: 0009_reports_triage
Revises: 0006_reports
Create Date: 2026-12-01 00:50:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009_reports_triage'
down_revision = '0006_reports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_to', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_assigned_to'), ['assigned_to'], unique=False)
        batch_op.create_foreign_key('fk_report_assigned_to_person', 'person', ['assigned_to'], ['id'])

    op.create_table('report_internal_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_internal_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_internal_note_report_id'), ['report_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_internal_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_internal_note_report_id'))
    op.drop_table('report_internal_note')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint('fk_report_assigned_to_person', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_report_assigned_to'))
        batch_op.drop_column('assigned_to')

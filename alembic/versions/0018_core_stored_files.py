"""Core: files in the database (report photos, consultation attachments), so every app
machine serves them; files an earlier release wrote to the data folder are moved in.

Revision ID: 0018_core_stored_files
Revises: 0001_core
Create Date: 2026-12-01 03:30:00
"""
import hashlib
from datetime import datetime, timezone
from pathlib import Path

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0018_core_stored_files'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_kind'), ['kind'], unique=False)
    _move_files_in(table)


def _move_files_in(table) -> None:
    """Photos and attachments an earlier release kept under the data folder."""
    from syros_app.core.settings import get_settings

    data_dir = get_settings().data_dir
    bind = op.get_bind()
    tables = set(sa.inspect(bind).get_table_names())
    if not {"report_photo", "consultation_attachment"} <= tables:
        return  # a new database (its branches are applied in any order): nothing was ever on disk
    now = datetime.now(timezone.utc)
    sources = [
        ("report_photo", "image/jpeg", data_dir / "reports" / "photos",
         [r[0] for r in bind.execute(sa.text("SELECT filename FROM report_photo"))]),
        ("consultation_attachment", None, data_dir / "attachments" / "consultations",
         list(bind.execute(sa.text("SELECT storage_name, content_type FROM consultation_attachment")))),
    ]
    rows = []
    for kind, fixed_type, folder, names in sources:
        for entry in names:
            name, content_type = (entry, fixed_type) if fixed_type else (entry[0], entry[1])
            path = Path(folder) / name
            if path.is_file():
                data = path.read_bytes()
                rows.append({"name": name, "kind": kind, "content_type": content_type, "size": len(data),
                             "sha256": hashlib.sha256(data).hexdigest(), "created_at": now, "content": data})
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_kind'))
    op.drop_table('stored_file')

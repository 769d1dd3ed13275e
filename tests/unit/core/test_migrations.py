"""The Alembic migrations produce exactly the models' schema, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import syros_app.models  # noqa: F401
from syros_app.core.db import make_engine
from syros_app.core.migrations import upgrade


def _diff_after_migrations(url):
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    return diff, tables


def test_migrations_match_models_on_sqlite(tmp_path):
    diff, tables = _diff_after_migrations(f"sqlite:///{tmp_path / 'migrated.db'}")
    assert diff == [], diff
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables


def test_migrations_match_models_on_postgresql(request):
    import uuid

    from sqlalchemy import text

    admin_url = request.getfixturevalue("postgres_url")
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"syros_mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        diff, tables = _diff_after_migrations(url)
        assert diff == [], diff
        assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_are_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    upgrade(url)
    upgrade(url)


# Where a database of the release before files moved into the database stood.
EARLIER_RELEASE_HEADS = ("0003_consultations", "0007_voting_cast_view", "0008_identity_department", "0008_ops_heartbeat",
                         "0008_voting_encrypted", "0009_reports_triage", "0010_notices_withdrawal")


def test_files_an_earlier_release_kept_on_disk_move_into_the_database(tmp_path, monkeypatch):
    from sqlalchemy import text

    from syros_app.core import settings

    data = tmp_path / "data"
    (data / "reports" / "photos").mkdir(parents=True)
    (data / "attachments" / "consultations").mkdir(parents=True)
    (data / "reports" / "photos" / "old.jpg").write_bytes(b"\xff\xd8\xff photo")
    (data / "attachments" / "consultations" / "plan.pdf").write_bytes(b"%PDF-1.7 plan")
    monkeypatch.setenv("SYROS_DATA_DIR", str(data))
    settings.reset_settings_cache()
    url = f"sqlite:///{tmp_path / 'earlier.db'}"
    for head in EARLIER_RELEASE_HEADS:
        upgrade(url, head)
    engine = make_engine(url)
    with engine.begin() as conn:  # rows without their parents: the foreign keys are not the point here
        conn.execute(text("PRAGMA foreign_keys=OFF"))
        conn.execute(text("INSERT INTO report_photo (report_id, filename, width, height, created_at) "
                          "VALUES (1, 'old.jpg', 10, 10, '2026-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO consultation_attachment (consultation_id, filename, content_type, size, sha256, "
                          "storage_name, created_at) VALUES (1, 'Σχέδιο.pdf', 'application/pdf', 13, '', 'plan.pdf', "
                          "'2026-01-01 00:00:00')"))
    upgrade(url)
    with engine.connect() as conn:
        rows = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(text("SELECT name, kind, content_type, content "
                                                                    "FROM stored_file"))}
    engine.dispose()
    settings.reset_settings_cache()
    assert rows == {"old.jpg": ("report_photo", "image/jpeg", b"\xff\xd8\xff photo"),
                    "plan.pdf": ("consultation_attachment", "application/pdf", b"%PDF-1.7 plan")}

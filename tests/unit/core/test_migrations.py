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

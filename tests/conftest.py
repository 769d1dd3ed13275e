"""Shared fixtures: databases (SQLite and PostgreSQL), settings, personas.

Service and HTTP tests take the ``engine`` fixture, which runs each test on
SQLite and on PostgreSQL. PostgreSQL comes from ``TEST_DATABASE_URL`` (default
the local server); each test run creates its own database there, so parallel
runs never see each other's rows. Where no PostgreSQL answers, those cases are
skipped with a clear message, except under ``CI=true``, where that fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory) -> Iterator[Path]:
    """Point the app at a throw-away data folder for the whole run."""
    from syros_app.core import db, settings

    data_dir = tmp_path_factory.mktemp("data")
    previous = {k: os.environ.get(k) for k in ("SYROS_DATA_DIR", "SYROS_DATABASE_URL")}
    os.environ["SYROS_DATA_DIR"] = str(data_dir)
    os.environ["SYROS_DATABASE_URL"] = f"sqlite:///{data_dir / 'default.db'}"
    settings.reset_settings_cache()
    db._engine_for.cache_clear()
    yield data_dir
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    settings.reset_settings_cache()


def _pg_admin_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run (dropped afterwards)."""
    from syros_app.core.db import make_engine

    admin_url = _pg_admin_url()
    try:
        admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any connection failure
        message = f"PostgreSQL not reachable at {admin_url}: {exc.__class__.__name__}"
        if IN_CI:
            pytest.fail(message + " (required under CI=true)")
        pytest.skip(message + " — PostgreSQL cases skipped")
    name = f"syros_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _pg_engine(postgres_url) -> Iterator[Engine]:
    import syros_app.models  # noqa: F401
    from syros_app.core.db import make_engine

    engine = make_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    if tables:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, monkeypatch) -> Iterator[Engine]:
    """A clean database with the full schema, on each backend in turn.

    The app's own ``get_engine()`` is pointed at it too, so code that opens its
    own sessions (states, routes, the worker) sees the same data.
    """
    import syros_app.models  # noqa: F401
    from syros_app.core import db, settings
    from syros_app.core.db import make_engine

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        eng = make_engine(url)
        SQLModel.metadata.create_all(eng)
    else:
        eng = request.getfixturevalue("_pg_engine")
        _truncate_all(eng)
        url = eng.url.render_as_string(hide_password=False)
    monkeypatch.setenv("SYROS_DATABASE_URL", url)
    settings.reset_settings_cache()
    db._engine_for.cache_clear()
    monkeypatch.setattr(db, "get_engine", lambda: eng)
    yield eng
    settings.reset_settings_cache()
    if request.param == "sqlite":
        eng.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s

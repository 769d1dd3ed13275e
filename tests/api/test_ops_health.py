"""``/healthz`` and ``/readyz`` through the ASGI client, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session
from starlette.testclient import TestClient

from alembic import command
from syros_app.api.app import create_api
from syros_app.core.migrations import alembic_config
from syros_app.core.timefmt import utcnow


@pytest.fixture
def stamped(engine):
    """The schema is the models' (create_all); mark it as at the Alembic head."""
    command.stamp(alembic_config(engine.url.render_as_string(hide_password=False)), "heads")
    yield engine
    with engine.begin() as conn:  # the PostgreSQL database is shared by the run's tests
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_healthz_is_alive_without_a_database(monkeypatch):
    monkeypatch.setenv("SYROS_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    response = TestClient(create_api()).get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "alive"}


def test_readyz_ready_when_migrations_current(stamped):
    response = TestClient(create_api()).get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["ready"] is True
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert body["checks"]["outbox"] == {"ok": True, "lag_seconds": 0.0}
    assert "redis" not in body["checks"]


def test_readyz_503_when_migrations_behind(engine):
    response = TestClient(create_api()).get("/readyz")
    assert response.status_code == 503
    migrations = response.json()["checks"]["migrations"]
    assert migrations["ok"] is False and migrations["current"] == [] and migrations["head"]


def test_readyz_checks_redis_when_configured(stamped, monkeypatch):
    monkeypatch.setenv("SYROS_REDIS_URL", "redis://127.0.0.1:6379/0")
    from syros_app.core import settings

    settings.reset_settings_cache()
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert TestClient(create_api()).get("/readyz").json()["checks"]["redis"] == {"ok": True}
    monkeypatch.setenv("SYROS_REDIS_URL", "redis://127.0.0.1:1/0")
    settings.reset_settings_cache()
    response = TestClient(create_api()).get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["redis"]["ok"] is False


def test_readyz_reports_outbox_lag_and_its_limit(stamped, monkeypatch):
    from syros_app.notices.models import Delivery

    now = utcnow()
    with Session(stamped) as s:
        s.add(Delivery(channel="email", address="x@example.org", status="pending",
                       next_attempt_at=now, created_at=now - timedelta(minutes=10)))
        s.add(Delivery(channel="email", address="y@example.org", status="sent",
                       next_attempt_at=now, created_at=now - timedelta(hours=5)))
        s.commit()
    body = TestClient(create_api()).get("/readyz").json()
    assert 590 <= body["checks"]["outbox"]["lag_seconds"] <= 700 and body["ready"]
    monkeypatch.setenv("SYROS_READY_OUTBOX_LAG_SECONDS", "300")
    response = TestClient(create_api()).get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["outbox"]["ok"] is False


def test_readyz_503_when_database_unreachable(monkeypatch):
    from syros_app.core import db, settings
    from syros_app.core.db import make_engine

    monkeypatch.setattr(db, "get_engine", lambda: make_engine("postgresql://nobody@127.0.0.1:1/none"))
    settings.reset_settings_cache()
    response = TestClient(create_api()).get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["database"]["ok"] is False


def test_readyz_shows_each_workers_heartbeat_age(stamped, monkeypatch):
    from syros_app.core import settings
    from syros_app.ops.heartbeat import NOTICES_WORKER, VOTING_TICKER, write_beat

    write_beat(stamped, NOTICES_WORKER, now=utcnow() - timedelta(seconds=3))
    body = TestClient(create_api()).get("/readyz").json()
    workers = body["checks"]["workers"]
    assert workers[NOTICES_WORKER]["ok"] is True and 3 <= workers[NOTICES_WORKER]["age_seconds"] < 30
    assert workers[VOTING_TICKER] == {"ok": False, "age_seconds": None}  # never beat here
    assert body["ready"] is True  # a missing worker is reported, not a reason to drop the instance

    monkeypatch.setenv("SYROS_READY_REQUIRE_WORKERS", "true")
    settings.reset_settings_cache()
    response = TestClient(create_api()).get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["workers"][VOTING_TICKER]["ok"] is False
    write_beat(stamped, VOTING_TICKER)
    assert TestClient(create_api()).get("/readyz").status_code == 200

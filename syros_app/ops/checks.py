"""Readiness facts shared by ``/readyz`` and ``serve app``'s start-up refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from syros_app.core.timefmt import as_utc, utcnow


@dataclass(frozen=True)
class MigrationState:
    current: tuple[str, ...]
    heads: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        return set(self.current) == set(self.heads)


def migration_state(engine: Engine) -> MigrationState:
    """The database's Alembic revisions against the scripts' heads (read-only)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from syros_app.core.migrations import alembic_config

    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    return MigrationState(current=tuple(sorted(current)), heads=tuple(sorted(script.get_heads())))


def ping_database(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def ping_redis(url: str, timeout: float = 2.0) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


def outbox_lag_seconds(engine: Engine, now: datetime | None = None) -> float:
    """Age of the oldest pending notices delivery; 0 when the outbox is empty.

    A growing lag means the worker is down or stuck: notices silently stop otherwise.
    """
    from syros_app.notices.models import Delivery

    with engine.connect() as conn:
        oldest = conn.execute(select(func.min(Delivery.created_at)).where(Delivery.status == "pending")).scalar()
    if oldest is None:
        return 0.0
    if isinstance(oldest, str):  # SQLite without type affinity on aggregates
        oldest = datetime.fromisoformat(oldest)
    return max(0.0, ((now or utcnow()) - as_utc(oldest)).total_seconds())


def outbox_depth(engine: Engine) -> dict[str, int]:
    """Deliveries by status (pending, sent, failed)."""
    from syros_app.notices.models import Delivery

    with engine.connect() as conn:
        rows = conn.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all()
    return {status: count for status, count in rows}

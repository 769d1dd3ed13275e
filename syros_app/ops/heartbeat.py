"""Heartbeats of the background processes, and a loop guard that outlives database outages.

A worker calls :meth:`Heartbeat.beat` whenever it completes a round of work; the
row's age, shown by ``/readyz`` and ``/metrics``, tells the IT officer at a glance
whether notices are flowing. A beat never raises: during a database outage the
worker keeps trying, logs the outage once and its end once, and carries on.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from syros_app.core.timefmt import as_utc, utcnow

from .models import WorkerHeartbeat

log = logging.getLogger("syros_app.ops.heartbeat")

NOTICES_WORKER = "notices-worker"
VOTING_TICKER = "voting-ticker"
# How often each one beats when healthy; /readyz calls a heartbeat stale after three of these.
EXPECTED_INTERVAL = {NOTICES_WORKER: 15.0, VOTING_TICKER: 60.0}


def write_beat(engine: Engine, name: str, *, now: datetime | None = None) -> None:
    """Upsert this process's row (one statement, on SQLite and PostgreSQL)."""
    values = {"name": name, "beat_at": now or utcnow(), "host": socket.gethostname()[:120], "pid": os.getpid()}
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(WorkerHeartbeat).values(**values)
    statement = statement.on_conflict_do_update(index_elements=["name"],
                                                set_={k: statement.excluded[k] for k in ("beat_at", "host", "pid")})
    with engine.begin() as conn:
        conn.execute(statement)


def heartbeats(engine: Engine, now: datetime | None = None) -> dict[str, dict]:
    """``name -> {age_seconds, host, pid, stale}``, for every worker that ever beat here."""
    now = now or utcnow()
    with engine.connect() as conn:
        rows = conn.execute(select(WorkerHeartbeat.name, WorkerHeartbeat.beat_at, WorkerHeartbeat.host,
                                   WorkerHeartbeat.pid)).all()
    report = {}
    for name, beat_at, host, pid in rows:
        if isinstance(beat_at, str):
            beat_at = datetime.fromisoformat(beat_at)
        age = max(0.0, (now - as_utc(beat_at)).total_seconds())
        report[name] = {"age_seconds": round(age, 1), "host": host, "pid": pid,
                        "stale": age > 3 * EXPECTED_INTERVAL.get(name, 60.0)}
    return report


class Heartbeat:
    """Beats at most every ``interval`` seconds; swallows and reports database errors."""

    def __init__(self, engine: Engine, name: str, *, interval: float | None = None, clock=time.monotonic) -> None:
        self.engine, self.name = engine, name
        self.interval = EXPECTED_INTERVAL.get(name, 60.0) if interval is None else interval
        self.clock = clock
        self.last: float | None = None
        self.failing = False

    def beat(self, *, force: bool = False) -> bool:
        """True when a beat was written now."""
        if not force and self.last is not None and self.clock() - self.last < self.interval:
            return False
        try:
            write_beat(self.engine, self.name)
        except Exception as exc:  # noqa: BLE001 - a heartbeat must never stop the worker
            if not self.failing:
                log.warning("%s: cannot write its heartbeat (%s); the database may be down",
                            self.name, exc.__class__.__name__)
            self.failing = True
            return False
        if self.failing:
            log.warning("%s: database reachable again; heartbeat resumed", self.name)
        self.failing = False
        self.last = self.clock()
        return True


class Outage:
    """Back-off for a worker loop whose database went away: 1 s, 2 s, 4 s … ``maximum``.

    ``failed(exc)`` logs the first failure of an outage and returns how long to wait;
    ``recovered()`` logs the end of the outage.
    """

    def __init__(self, name: str, *, maximum: float = 30.0) -> None:
        self.name, self.maximum = name, maximum
        self.delay = 0.0
        self.failures = 0

    def failed(self, exc: BaseException) -> float:
        self.failures += 1
        self.delay = min(self.maximum, self.delay * 2 if self.delay else 1.0)
        if self.failures == 1:
            log.error("%s: database error (%s); retrying with back-off", self.name, exc.__class__.__name__)
        return self.delay

    def recovered(self) -> None:
        if self.failures:
            log.warning("%s: working again after %d failed attempts", self.name, self.failures)
        self.failures, self.delay = 0, 0.0

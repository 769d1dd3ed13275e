"""Service-level figures and Open311 at scale: 100,000 reports over 3 years.

    .venv/bin/python bench/service_levels.py [--reports 100000] [--runs 7] [--pg URL]

Builds scratch databases (a temporary SQLite file, and a fresh PostgreSQL database
when one answers at ``TEST_DATABASE_URL`` or ``--pg``; dropped afterwards), fills
them in bulk, then prints the median time of:
  * the public figures page (/measurement: last 12 months, totals and per category,
    unit and month — exactly what the page's state computes), target ≤ 200 ms;
  * the full figures API over 36 months grouped by category × unit × month;
  * the Open311 ``GET requests`` query with filters (service_code, status, a 90-day
    window) including turning the rows into GeoReport fields, target ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

import syros_app.models  # noqa: E402,F401
from syros_app.core.db import make_engine  # noqa: E402
from syros_app.core.timefmt import utcnow  # noqa: E402
from syros_app.reports import queries, rules  # noqa: E402
from syros_app.reports.models import Report  # noqa: E402

UNITS = list(rules.MUNICIPAL_UNITS)


def rows(n: int, seed: int = 11):
    rng = random.Random(seed)
    now = utcnow()
    span = 3 * 365 * 24 * 3600
    for _ in range(n):
        category = rng.choice(rules.CATEGORIES)
        created = now - timedelta(seconds=rng.uniform(3600, span))
        ack_days, resolve_days = rules.DEFAULT_TARGETS[category]
        row = {
            "category": category, "description": "Δοκιμαστική αναφορά για τη μέτρηση επιδόσεων.",
            "lat": 37.44 + rng.uniform(-0.01, 0.01), "lon": 24.94 + rng.uniform(-0.01, 0.01),
            "address": None, "municipal_unit": rng.choice(UNITS), "status": rules.SUBMITTED, "reporter_id": None,
            "show_name": False, "source": "bench", "department": None, "forwarded_to": None, "merged_into_id": None,
            "supporters": 0, "created_at": created, "created_month": rules.month_of(created), "updated_at": created,
            "acknowledged_at": None, "resolved_at": None,
            "ack_due_at": rules.add_working_days(created, ack_days),
            "resolve_due_at": rules.add_working_days(created, resolve_days),
            "ack_target_days": ack_days, "resolve_target_days": resolve_days, "ack_work_days": None,
            "resolve_work_days": None, "rating_fixed": None, "rating_score": None, "rating_comment": None,
            "rated_at": None, "open311_token": None,
        }
        ack = created + timedelta(hours=rng.expovariate(1 / 40))
        if ack < now:
            row.update(status=rules.ACKNOWLEDGED, acknowledged_at=ack, updated_at=ack,
                       ack_work_days=round(rules.working_days_between(created, ack), 4))
            done = ack + timedelta(days=rng.expovariate(1 / 9))
            if done < now:
                row.update(status=rules.RESOLVED, resolved_at=done, updated_at=done,
                           resolve_work_days=round(rules.working_days_between(created, done), 4))
                if rng.random() < 0.5:
                    row.update(rating_fixed=rng.random() < 0.85, rating_score=rng.randint(1, 5), rated_at=done)
        yield row


def bulk_insert(engine, model, rows, batch_size: int = 5000) -> None:
    """Insert ``rows`` (dicts) in batches, then refresh the planner's statistics."""
    batch = []
    with Session(engine) as session:
        for row in rows:
            batch.append(row)
            if len(batch) == batch_size:
                session.execute(insert(model), batch)
                batch = []
        if batch:
            session.execute(insert(model), batch)
        session.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"VACUUM ANALYZE {model.__tablename__}"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def fill(engine, n: int) -> float:
    SQLModel.metadata.create_all(engine)
    started = time.perf_counter()
    bulk_insert(engine, Report, rows(n))
    return time.perf_counter() - started


def median_ms(fn, runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU time of this process (ms). On a shared, busy
    machine the wall time includes waiting for a core; the CPU time does not."""
    fn()  # warm up (caches, first-connection cost)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def figures_page(engine):
    """What MeasurementState._reload computes for the default view."""
    first, last = queries.month_range(12)
    with Session(engine) as session:
        groups = queries.figure_groups(session, from_month=first, to_month=last)
    rules.figures_from_groups(groups, [(), ("category",), ("unit",), ("month",)])


def figures_api(engine):
    with Session(engine) as session:
        queries.figures(session, months=36)


def open311(engine):
    from syros_app.reports import api

    now = utcnow()
    with Session(engine) as session:
        reports = queries.open311_requests(session, service_codes=["lighting", "roads"], statuses=["closed"],
                                           start=now - timedelta(days=90), end=now)
        rows = api._request_rows(session, reports)
    return len(rows)


def run(name: str, engine, n: int, runs: int) -> None:
    load = fill(engine, n)
    count = open311(engine)
    print(f"{name}: {n:,} reports loaded in {load:.1f} s")
    for label, fn, target in (
        ("figures page (12 months: totals, per category, unit, month)", figures_page, " (target ≤ 200)"),
        ("figures API (36 months, category × unit × month)", figures_api, ""),
        (f"Open311 GET requests, 2 service codes + status + 90 days ({count} rows)", open311, " (target ≤ 100)"),
    ):
        wall, cpu = median_ms(lambda: fn(engine), runs)
        print(f"  {label}: median {wall:.1f} ms wall, {cpu:.1f} ms CPU{target}")


def on_postgres(url: str, work) -> int:
    """``work(engine)`` on a fresh PostgreSQL database at ``url``'s server, dropped afterwards
    (skipped, saying so, when none answers)."""
    try:
        admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL: not reachable at {url} ({exc.__class__.__name__}); skipped")
        return 0
    name = f"syros_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
        work(engine)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


def on_both(url: str, work) -> int:
    """``work(name, engine)`` on a scratch SQLite file, then on a scratch PostgreSQL database."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        work("SQLite", engine)
        engine.dispose()
    return on_postgres(url, lambda engine: work("PostgreSQL", engine))


def main() -> int:
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    os.environ.setdefault("SYROS_DATA_DIR", tempfile.mkdtemp(prefix="syros-bench-"))

    return on_both(args.pg, lambda name, engine: run(name, engine, args.reports, args.runs))


if __name__ == "__main__":
    sys.exit(main())

"""``opendata export`` (on demand) and ``opendata nightly`` (the companion that makes
the archive every night at 03:30 Athens time)."""

from __future__ import annotations

import argparse
import logging
import time
from datetime import datetime, timedelta

from syros_app.__main__ import COMPANION_PROCESSES, command

log = logging.getLogger("syros_app.opendata")
NIGHTLY_AT = (3, 30)  # Europe/Athens, when the island sleeps


def export_now() -> dict:
    from syros_app.core.db import session_scope
    from syros_app.core.timefmt import utcnow

    from .archive import export_archive

    with session_scope() as session:
        row = export_archive(session, now=utcnow())
        return {"date": row.export_date.isoformat(), "bytes": row.size, "sha256": row.sha256}


@command("opendata", "export", "make today's open-data archive now (replaces one made earlier today)")
def _export(_args: argparse.Namespace) -> int:
    made = export_now()
    print(f"open-data archive {made['date']}: {made['bytes']} bytes, sha256 {made['sha256']}")
    return 0


def seconds_until_next(now: datetime) -> float:
    """Seconds from ``now`` (aware) to the next NIGHTLY_AT in Athens."""
    from syros_app.core.timefmt import to_athens

    local = to_athens(now)
    target = local.replace(hour=NIGHTLY_AT[0], minute=NIGHTLY_AT[1], second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    return (target - local).total_seconds()


@command("opendata", "nightly", "make the open-data archive every night (runs beside the app)")
def _nightly(_args: argparse.Namespace) -> int:
    from syros_app.core.timefmt import utcnow
    from syros_app.ops.logs import configure_logging

    configure_logging()
    while True:
        time.sleep(seconds_until_next(utcnow()))
        try:
            made = export_now()
            log.info("open-data archive made", extra={"date": made["date"], "bytes": made["bytes"]})
        except Exception:  # noqa: BLE001 - a failed night (database outage) is retried the next night
            log.exception("open-data archive failed")
            time.sleep(60)


if ["opendata", "nightly"] not in COMPANION_PROCESSES:
    COMPANION_PROCESSES.append(["opendata", "nightly"])

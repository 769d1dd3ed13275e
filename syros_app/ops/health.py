"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: send traffic here).

A load balancer or systemd watchdog polls these; ``/readyz`` answers 503 with the
failing checks named, so the IT officer sees why without reading logs.
"""

from __future__ import annotations

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from syros_app.core.settings import get_settings, ops_settings

from . import checks


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "alive"}, headers={"Cache-Control": "no-store"})


def readiness() -> tuple[bool, dict]:
    """Run every check; one failing check makes the instance not ready."""
    from syros_app.core.db import get_engine

    settings = get_settings()
    report: dict = {}
    ready = True
    engine = get_engine()
    try:
        checks.ping_database(engine)
        report["database"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        report["database"] = {"ok": False, "error": exc.__class__.__name__}
        return False, report
    try:
        state = checks.migration_state(engine)
        report["migrations"] = {"ok": state.up_to_date, "current": list(state.current), "head": list(state.heads)}
        ready &= state.up_to_date
    except Exception as exc:  # noqa: BLE001
        report["migrations"] = {"ok": False, "error": exc.__class__.__name__}
        ready = False
    if settings.redis_url:
        try:
            checks.ping_redis(settings.redis_url)
            report["redis"] = {"ok": True}
        except Exception as exc:  # noqa: BLE001
            report["redis"] = {"ok": False, "error": exc.__class__.__name__}
            ready = False
    try:
        lag = checks.outbox_lag_seconds(engine)
        limit = ops_settings().ready_outbox_lag_seconds
        ok = not limit or lag <= limit
        report["outbox"] = {"ok": ok, "lag_seconds": round(lag, 1)}
        ready &= ok
    except Exception as exc:  # noqa: BLE001
        report["outbox"] = {"ok": False, "error": exc.__class__.__name__}
        ready = False
    report["diavgeia"] = diavgeia_report()  # reported, never a reason to drop the instance
    try:
        workers = worker_report(engine)
        report["workers"] = workers
        if ops_settings().ready_require_workers:
            ready &= all(w["ok"] for w in workers.values())
    except Exception as exc:  # noqa: BLE001
        report["workers"] = {"ok": False, "error": exc.__class__.__name__}
    return ready, report


def diavgeia_report() -> dict:
    """Whether ``opengov diavgeia-sync`` can run: ``SYROS_DIAVGEIA_ORG`` has no default (the
    municipality confirms its organisation id), so an unset one is named here."""
    from syros_app.core.settings import diavgeia_org

    org = diavgeia_org()
    if org:
        return {"ok": True, "org": org}
    return {"ok": False, "missing": "SYROS_DIAVGEIA_ORG",
            "error": "the municipality's organisation id on Diavgeia is not set: diavgeia-sync will not run"}


def worker_report(engine) -> dict[str, dict]:
    """Each expected worker's heartbeat age; ``ok`` is false when it is missing or stale.

    A stale worker does not make this instance unready (nginx would then drop every
    instance) unless ``SYROS_READY_REQUIRE_WORKERS`` asks for it, for a monitoring probe.
    """
    from .heartbeat import EXPECTED_INTERVAL, heartbeats

    beats = heartbeats(engine)
    report = {}
    for name in sorted({*EXPECTED_INTERVAL, *beats}):
        beat = beats.get(name)
        report[name] = ({"ok": False, "age_seconds": None} if beat is None else
                        {"ok": not beat["stale"], "age_seconds": beat["age_seconds"], "host": beat["host"]})
    return report


async def readyz(_request: Request) -> JSONResponse:
    ready, report = await anyio.to_thread.run_sync(readiness)
    return JSONResponse({"ready": ready, "checks": report}, status_code=200 if ready else 503,
                        headers={"Cache-Control": "no-store"})


routes = [Route("/healthz", healthz, methods=["GET", "HEAD"]), Route("/readyz", readyz, methods=["GET"])]

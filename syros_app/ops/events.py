"""A Reflex middleware: one JSON log line and one metric sample per handled event.

The payload and the client token are never logged: they hold what residents type
and the key to their tab's state.
"""

from __future__ import annotations

import contextvars
import time
import uuid

import reflex as rx

from .logs import REQUEST_ID, event_log
from .metrics import observe_event

_STARTED: contextvars.ContextVar[float] = contextvars.ContextVar("syros_event_started", default=0.0)


class EventLogMiddleware(rx.Middleware):
    async def preprocess(self, app, state, event):
        REQUEST_ID.set(str(uuid.uuid4()))
        _STARTED.set(time.perf_counter())

    async def postprocess(self, app, state, event, update):
        if getattr(update, "final", True) is False:
            return update
        duration = time.perf_counter() - (_STARTED.get() or time.perf_counter())
        page = str((getattr(event, "router_data", None) or {}).get("pathname", ""))
        event_log.info("event", extra={"kind": "event", "handler": event.name, "page": page,
                                       "duration_ms": round(duration * 1000, 1)})
        observe_event(event.name, duration)
        return update


def install(app: rx.App) -> None:
    """Log every event of ``app`` and configure the process's JSON logging."""
    from .logs import configure_logging

    configure_logging()
    app.add_middleware(EventLogMiddleware())

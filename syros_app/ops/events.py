"""A Reflex middleware: one JSON log line and one metric count per event a resident sends,
and the event latency histogram (event received → its first state update sent back).

Reflex 0.10's event processor calls a middleware's ``preprocess`` before each handler
and never its ``postprocess``, so the line is written as the event starts, and the
latency is closed when the app's event namespace emits the tab's next update (wrapped
once in :func:`install`). The payload and the client token are never logged: they
hold what residents type and the key to their tab's state.
"""

from __future__ import annotations

import time
import uuid

import reflex as rx

from .logs import REQUEST_ID, event_log
from .metrics import CONNECTIONS, EVENT_LATENCY, count_event

# token -> (handler, started); an event that sends no update is replaced by the tab's next one.
_PENDING: dict[str, tuple[str, float]] = {}
_PENDING_MAX = 50_000


class EventLogMiddleware(rx.Middleware):
    async def preprocess(self, app, state, event):
        """Returns nothing, so Reflex goes on to run the handler."""
        REQUEST_ID.set(str(uuid.uuid4()))
        page = str((getattr(event, "router_data", None) or {}).get("pathname", ""))
        event_log.info("event", extra={"kind": "event", "handler": event.name, "page": page})
        count_event(event.name)
        if len(_PENDING) >= _PENDING_MAX:
            _PENDING.clear()
        _PENDING[getattr(event, "token", "")] = (event.name, time.perf_counter())


def event_answered(token: str) -> None:
    """The tab's first update after an event left: observe that event's latency."""
    pending = _PENDING.pop(token, None)
    if pending is not None:
        EVENT_LATENCY.labels(pending[0]).observe(time.perf_counter() - pending[1])


def _wrap_emit_update(namespace_class) -> None:
    original = namespace_class.emit_update
    if getattr(original, "_syros_timed", False):
        return

    async def emit_update(self, update, token):
        await original(self, update, token)
        event_answered(token)

    emit_update._syros_timed = True
    namespace_class.emit_update = emit_update


def install(app: rx.App) -> None:
    """Log and count every event of ``app``, count its connections, configure JSON logging."""
    from .logs import configure_logging

    configure_logging()
    app.add_middleware(EventLogMiddleware())
    CONNECTIONS.app = app
    from reflex.app import EventNamespace

    _wrap_emit_update(EventNamespace)

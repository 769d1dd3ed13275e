"""A Reflex middleware: one JSON log line and one metric count per event a resident sends.

Reflex 0.10's event processor calls a middleware's ``preprocess`` before each handler
and never its ``postprocess``, so the line is written as the event starts (its time
taken is not known here). The payload and the client token are never logged: they
hold what residents type and the key to their tab's state.
"""

from __future__ import annotations

import uuid

import reflex as rx

from .logs import REQUEST_ID, event_log
from .metrics import CONNECTIONS, count_event


class EventLogMiddleware(rx.Middleware):
    async def preprocess(self, app, state, event):
        """Returns nothing, so Reflex goes on to run the handler."""
        REQUEST_ID.set(str(uuid.uuid4()))
        page = str((getattr(event, "router_data", None) or {}).get("pathname", ""))
        event_log.info("event", extra={"kind": "event", "handler": event.name, "page": page})
        count_event(event.name)


def install(app: rx.App) -> None:
    """Log and count every event of ``app``, count its connections, configure JSON logging."""
    from .logs import configure_logging

    configure_logging()
    app.add_middleware(EventLogMiddleware())
    CONNECTIONS.app = app

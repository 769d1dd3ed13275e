"""Running the app for real: health, metrics, hardening, supervision and backups.

Not a capability: it owns no tables and no pages, and reads the capabilities'
tables only to report on them (outbox lag and depth).
"""

from __future__ import annotations


def ops_routes() -> list:
    """``/healthz``, ``/readyz`` and ``/metrics``."""
    from . import health, metrics

    return [*health.routes, *metrics.routes]


def ops_middleware(routes: list) -> list:
    """Outermost first: the log and metrics see every answer, including refusals by hardening."""
    from starlette.middleware import Middleware

    from .hardening import (
        BodyLimitMiddleware,
        RateLimitMiddleware,
        SecurityHeadersMiddleware,
    )
    from .logs import RequestLogMiddleware

    return [Middleware(RequestLogMiddleware, routes=routes), Middleware(SecurityHeadersMiddleware),
            Middleware(RateLimitMiddleware), Middleware(BodyLimitMiddleware)]


def install(app) -> None:
    """Hooks on the Reflex app itself: JSON logging and one log line per event."""
    from .events import install as install_events

    install_events(app)

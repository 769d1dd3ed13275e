"""``/metrics`` in Prometheus text format (``prometheus_client``).

Routes are labelled by their template (``/open311/v2/requests.{fmt}``), never by the
raw path, so ids and query strings cannot blow up the number of series. Outbox depth
is read from the database at scrape time, so every instance reports the same truth.
With several Granian workers each process answers for itself; set
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode) to aggregate.
"""

from __future__ import annotations

import hmac

import anyio
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from syros_app.core.settings import ops_settings

from . import checks
from .net import client_address, is_loopback

REGISTRY = CollectorRegistry()
REQUESTS = Counter("syros_http_requests_total", "HTTP requests answered", ["method", "route", "status"],
                   registry=REGISTRY)
LATENCY = Histogram("syros_http_request_duration_seconds", "Time to answer an HTTP request", ["route"],
                    registry=REGISTRY,
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))

EVENTS = Counter("syros_events_total", "Reflex events received, by handler", ["handler"], registry=REGISTRY)
EVENT_LATENCY = Histogram("syros_event_duration_seconds", "Reflex event received to its first update sent",
                          ["handler"], registry=REGISTRY,
                          buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


def count_event(handler: str) -> None:
    """Handler names are code (``state.….post_comment``), a bounded set of labels."""
    EVENTS.labels(handler).inc()


# Paths of the Reflex back end and the compiled front end, grouped into a few labels.
_PREFIX_LABELS = (("/_event", "/_event"), ("/_upload", "/_upload"), ("/assets/", "/assets/*"), ("/_", "/_reflex"))


class _OutboxCollector:
    """Deliveries by status, counted when Prometheus scrapes."""

    def collect(self):
        from syros_app.core.db import get_engine

        gauge = GaugeMetricFamily("syros_outbox_deliveries", "Notices outbox rows by status", labels=["status"])
        lag = GaugeMetricFamily("syros_outbox_lag_seconds", "Age of the oldest pending delivery")
        try:
            engine = get_engine()
            depth = checks.outbox_depth(engine)
            for status in sorted({"pending", "sent", "failed", *depth}):
                gauge.add_metric([status], depth.get(status, 0))
            lag.add_metric([], checks.outbox_lag_seconds(engine))
        except Exception:  # noqa: BLE001 - a scrape must not fail because the database is away
            return
        yield gauge
        yield lag
        try:
            from .heartbeat import heartbeats

            beats = heartbeats(engine)
        except Exception:  # noqa: BLE001
            return
        age = GaugeMetricFamily("syros_worker_heartbeat_age_seconds", "Seconds since a worker's last heartbeat",
                                labels=["worker"])
        for name, beat in sorted(beats.items()):
            age.add_metric([name], beat["age_seconds"])
        yield age


REGISTRY.register(_OutboxCollector())


class _ConnectionsCollector:
    """Residents with an open page (socket.io connections) on this process's Reflex app."""

    app = None

    def collect(self):
        namespace = getattr(self.app, "event_namespace", None) if self.app is not None else None
        if namespace is None:
            return
        gauge = GaugeMetricFamily("syros_connected_clients", "Open live connections (tabs) on this process")
        gauge.add_metric([], len(namespace.sid_to_token))
        yield gauge


CONNECTIONS = _ConnectionsCollector()
REGISTRY.register(CONNECTIONS)


def route_label(routes: list[BaseRoute], scope: Scope) -> str:
    for route in routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return getattr(route, "path", "(route)")
    path = scope.get("path", "")
    for prefix, label in _PREFIX_LABELS:
        if path.startswith(prefix):
            return label
    return "(page)"


def observe_request(method: str, label: str, status: int, seconds: float) -> None:
    """Called once per HTTP answer by ``logs.RequestLogMiddleware`` (one wrapper for both)."""
    REQUESTS.labels(method, label, str(status)).inc()
    LATENCY.labels(label).observe(seconds)


def allowed(request: Request) -> bool:
    """Loopback clients, or a matching ``Authorization: Bearer $SYROS_METRICS_TOKEN``."""
    token = ops_settings().metrics_token
    given = request.headers.get("authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    return is_loopback(client_address(request.scope))


async def metrics(request: Request) -> Response:
    if not allowed(request):
        from syros_app.core.i18n import translate

        return JSONResponse({"error": "errors.metrics_forbidden", "message": translate("errors.metrics_forbidden", "en")},
                            status_code=403)
    body = await anyio.to_thread.run_sync(generate_latest, REGISTRY)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


routes = [Route("/metrics", metrics, methods=["GET"])]

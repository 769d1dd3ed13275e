"""``/metrics``: Prometheus text, route templates, outbox depth, loopback or bearer token only."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core.timefmt import utcnow

LOOPBACK = ("127.0.0.1", 40000)
REMOTE = ("203.0.113.7", 40000)


def _samples(text: str) -> list:
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def test_requests_counted_by_route_template_and_status(engine):
    client = TestClient(create_api(), client=LOOPBACK)
    for _ in range(3):
        client.get("/open311/v2/requests/987654.json")
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    routes = {s.labels.get("route") for s in samples if s.name == "syros_http_requests_total"}
    assert "/open311/v2/requests/{request_id}.{fmt}" in routes and "/healthz" in routes
    assert not any("987654" in (r or "") for r in routes)
    assert any(s.name == "syros_http_request_duration_seconds_bucket" and s.labels["route"] == "/healthz"
               for s in samples)
    healthz = [s for s in samples if s.name == "syros_http_requests_total" and s.labels["route"] == "/healthz"]
    assert healthz and healthz[0].labels["status"] == "200"


def test_outbox_depth_by_state(engine):
    from syros_app.notices.models import Delivery

    now = utcnow()
    with Session(engine) as s:
        for status in ("pending", "pending", "sent", "failed"):
            s.add(Delivery(channel="email", address="a@example.org", status=status,
                           next_attempt_at=now, created_at=now))
        s.commit()
    samples = _samples(TestClient(create_api(), client=LOOPBACK).get("/metrics").text)
    depth = {s.labels["status"]: s.value for s in samples if s.name == "syros_outbox_deliveries"}
    assert depth == {"pending": 2, "sent": 1, "failed": 1}


def test_remote_clients_need_the_bearer_token(engine, monkeypatch):
    assert TestClient(create_api(), client=REMOTE).get("/metrics").status_code == 403
    monkeypatch.setenv("SYROS_METRICS_TOKEN", "s3cret-token")
    client = TestClient(create_api(), client=REMOTE)
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_forwarded_for_is_trusted_only_from_trusted_proxies(engine, monkeypatch):
    """Behind nginx the peer is loopback: the forwarded address decides, not the peer."""
    forwarded = {"X-Forwarded-For": "198.51.100.4"}
    monkeypatch.setenv("SYROS_TRUSTED_PROXIES", "127.0.0.1/32")
    assert TestClient(create_api(), client=LOOPBACK).get("/metrics", headers=forwarded).status_code == 403
    spoofed = {"X-Forwarded-For": "127.0.0.1"}
    assert TestClient(create_api(), client=REMOTE).get("/metrics", headers=spoofed).status_code == 403


def test_connected_clients_and_events_are_counted():
    import asyncio
    from types import SimpleNamespace

    from syros_app.ops.events import EventLogMiddleware
    from syros_app.ops.metrics import CONNECTIONS, REGISTRY

    previous = CONNECTIONS.app
    CONNECTIONS.app = SimpleNamespace(event_namespace=SimpleNamespace(sid_to_token={"s1": "t1", "s2": "t2"}))
    try:
        event = SimpleNamespace(name="state.home_state.load", router_data={"pathname": "/"}, payload={})
        asyncio.run(EventLogMiddleware().preprocess(None, None, event))
        assert REGISTRY.get_sample_value("syros_connected_clients") == 2
        assert REGISTRY.get_sample_value("syros_events_total", {"handler": "state.home_state.load"}) >= 1
    finally:
        CONNECTIONS.app = previous


def test_event_latency_runs_from_the_event_to_its_first_update():
    import asyncio
    from types import SimpleNamespace

    from syros_app.ops.events import EventLogMiddleware, _wrap_emit_update
    from syros_app.ops.metrics import REGISTRY

    sent = []

    class Namespace:
        async def emit_update(self, update, token):
            await asyncio.sleep(0.03)
            sent.append((update, token))

    _wrap_emit_update(Namespace)
    _wrap_emit_update(Namespace)  # once only
    handler = "state.voting_state.cast"
    labels = {"handler": handler}
    before = REGISTRY.get_sample_value("syros_event_duration_seconds_count", labels) or 0

    async def run() -> None:
        event = SimpleNamespace(name=handler, token="tab-1", router_data={}, payload={})
        await EventLogMiddleware().preprocess(None, None, event)
        await Namespace().emit_update({"delta": 1}, "tab-1")
        await Namespace().emit_update({"delta": 2}, "tab-1")  # a second update of the same event: not counted

    asyncio.run(run())
    assert len(sent) == 2
    assert REGISTRY.get_sample_value("syros_event_duration_seconds_count", labels) == before + 1
    assert REGISTRY.get_sample_value("syros_event_duration_seconds_bucket", {**labels, "le": "0.025"}) == 0

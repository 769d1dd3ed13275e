"""Hardening middleware: security headers with hashed inline scripts, body limits before
reading, and per-address rate limits (memory, and Redis shared by two instances)."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import uuid

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core import settings as settings_module
from syros_app.ops.hardening import BodyLimitMiddleware, SecurityHeadersMiddleware

THEME = b"document.documentElement.dataset.theme = localStorage.getItem('theme') || 'light';"
ROUTER = b'window.__reactRouterContext = {"basename": "/"};'
PAGE = (b"<!doctype html><html><head><script>" + THEME + b"</script>"
        b'<script type="module" src="/assets/root-abc.js"></script></head><body>'
        b'<button onclick="location.reload()">retry</button><script>' + ROUTER + b"</script></body></html>")


def _hash(script: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"


def _html_app() -> Starlette:
    async def page(_request):
        return HTMLResponse(PAGE)

    async def page_gz(_request):
        return Response(gzip.compress(PAGE), media_type="text/html", headers={"Content-Encoding": "gzip"})

    async def data(_request):
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route("/", page), Route("/gz", page_gz), Route("/data", data)],
                     middleware=[Middleware(SecurityHeadersMiddleware)])


def _script_src(csp: str) -> list[str]:
    directive = next(d.strip() for d in csp.split(";") if d.strip().startswith("script-src"))
    return directive.split()[1:]


@pytest.mark.parametrize("path", ["/", "/gz"])
def test_html_gets_csp_with_hashes_of_its_inline_scripts(path):
    response = TestClient(_html_app()).get(path)
    assert response.content == PAGE
    csp = response.headers["content-security-policy"]
    sources = _script_src(csp)
    assert "'self'" in sources and "'unsafe-inline'" not in sources
    assert _hash(THEME) in sources and _hash(ROUTER) in sources
    assert "'unsafe-hashes'" in sources and _hash(b"location.reload()") in sources
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_brotli_is_not_offered_to_html_so_its_scripts_can_be_hashed():
    seen = {}

    async def echo(request: Request):
        seen["accept"] = request.headers.get("accept-encoding")
        return HTMLResponse(PAGE)

    app = Starlette(routes=[Route("/", echo)], middleware=[Middleware(SecurityHeadersMiddleware)])
    TestClient(app).get("/", headers={"Accept-Encoding": "br, gzip"})
    assert seen["accept"] == "gzip"


def test_json_answers_get_nosniff_and_referrer_policy_but_no_csp(engine):
    response = TestClient(create_api()).get("/healthz")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "content-security-policy" not in response.headers


# --- body limits --------------------------------------------------------------------------------

TWENTY_MB = 20 * 1024 * 1024


def test_declared_20_mb_body_is_refused_before_the_app_runs(engine):
    response = TestClient(create_api()).post("/api/v1/push/subscriptions", content=b"x" * TWENTY_MB,
                                             headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["limit_bytes"] == 16 * 1024


def test_streamed_20_mb_body_is_cut_off_at_the_limit():
    """No Content-Length (chunked): the middleware stops after the first chunk past 16 KB."""
    app_saw = {}

    async def endpoint(request: Request):
        app_saw["body"] = await request.body()
        return JSONResponse({"read": len(app_saw["body"])})

    app = BodyLimitMiddleware(Starlette(routes=[Route("/api/v1/push/subscriptions", endpoint, methods=["POST"])]))
    chunk = b"x" * 64 * 1024
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled * len(chunk) < TWENTY_MB}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/push/subscriptions", "headers": [],
             "query_string": b"", "root_path": "", "scheme": "http", "server": ("t", 80), "client": ("1.2.3.4", 1)}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled == 1, "read no further than the first chunk past the limit"
    assert "body" not in app_saw


def test_small_bodies_pass():
    async def endpoint(request: Request):
        return JSONResponse({"read": len(await request.body())})

    app = Starlette(routes=[Route("/x", endpoint, methods=["POST"])], middleware=[Middleware(BodyLimitMiddleware)])
    response = TestClient(app).post("/x", content=b"y" * 1000)
    assert response.status_code == 200 and response.json() == {"read": 1000}


# --- rate limits ------------------------------------------------------------------------------


def test_login_start_limited_per_address(engine, monkeypatch):
    monkeypatch.setenv("SYROS_RATE_LIMIT_LOGIN", "3/minute")
    app = create_api()
    first = TestClient(app, client=("198.51.100.1", 1000), follow_redirects=False)
    assert [first.get("/auth/login").status_code for _ in range(3)] == [302] * 3
    refused = first.get("/auth/login")
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    other = TestClient(app, client=("198.51.100.2", 1000), follow_redirects=False)
    assert other.get("/auth/login").status_code == 302


def test_push_subscription_and_open311_posts_limited(engine, monkeypatch):
    monkeypatch.setenv("SYROS_RATE_LIMIT_PUSH", "2/minute")
    monkeypatch.setenv("SYROS_RATE_LIMIT_OPEN311", "2/minute")
    client = TestClient(create_api(), client=("198.51.100.3", 1000))
    push = [client.post("/api/v1/push/subscriptions", json={}).status_code for _ in range(3)]
    assert push[:2] != [429, 429] and push[2] == 429
    posts = [client.post("/open311/v2/requests.json", data={"service_code": "x"}).status_code for _ in range(3)]
    assert 429 not in posts[:2] and posts[2] == 429
    assert client.get("/open311/v2/requests.json").status_code != 429, "reads are not limited"


def test_an_empty_limit_switches_it_off(engine, monkeypatch):
    monkeypatch.setenv("SYROS_RATE_LIMIT_LOGIN", "")
    client = TestClient(create_api(), client=("198.51.100.4", 1000), follow_redirects=False)
    assert {client.get("/auth/login").status_code for _ in range(40)} == {302}


def test_redis_counters_are_shared_between_instances(engine, monkeypatch):
    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setenv("SYROS_REDIS_URL", url)
    monkeypatch.setenv("SYROS_RATE_LIMIT_LOGIN", "2/minute")
    settings_module.reset_settings_cache()
    address = (f"2001:db8::{uuid.uuid4().hex[:4]}", 1000)
    one = TestClient(create_api(), client=address, follow_redirects=False)
    two = TestClient(create_api(), client=address, follow_redirects=False)
    assert one.get("/auth/login").status_code == 302 and two.get("/auth/login").status_code == 302
    assert one.get("/auth/login").status_code == 429 and two.get("/auth/login").status_code == 429
    settings_module.reset_settings_cache()


def test_reflex_precompressed_pages_are_hashed(tmp_path):
    """Through Reflex's own static server: with Brotli and gzip sidecars on disk, the browser's
    ``br`` is withheld, the gzip page is served and its inline scripts are hashed."""
    from starlette.routing import Mount

    from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles

    (tmp_path / "index.html").write_bytes(PAGE)
    (tmp_path / "index.html.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "index.html.br").write_bytes(b"not readable here")
    static = PrecompressedStaticFiles(directory=tmp_path, html=True, encodings=["brotli", "gzip"])
    app = Starlette(routes=[Mount("/", static)], middleware=[Middleware(SecurityHeadersMiddleware)])
    response = TestClient(app).get("/", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert response.content == PAGE
    assert _hash(THEME) in _script_src(response.headers["content-security-policy"])


def test_a_page_sent_by_path_gets_its_csp_before_the_file(tmp_path):
    """Granian serves static pages with ``http.response.pathsend``: the start is held for the
    CSP, then sent (with the file's own script hashes) before the pathsend message."""
    page = tmp_path / "index.html"
    page.write_bytes(PAGE)
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.pathsend", "path": str(page)})

    async def record(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    asyncio.run(SecurityHeadersMiddleware(app)(scope, receive, record))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.pathsend"]
    csp = dict(sent[0]["headers"])[b"content-security-policy"].decode()
    assert "'sha256-" + base64.b64encode(hashlib.sha256(THEME).digest()).decode() + "'" in csp

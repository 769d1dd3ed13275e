"""ASGI middleware that hardens every answer: security headers with a hash-based CSP,
request bodies limited before they are read, and per-address rate limits on anonymous writes.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import math
import re
import time
from urllib.parse import urlsplit

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from syros_app.api.asgi import HeldResponse, HttpMiddleware
from syros_app.core.settings import get_settings, map_tile_url, ops_settings

from .net import client_address, header

log = logging.getLogger("syros_app.ops")

# --- security headers ---------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_EVENT_HANDLER = re.compile(rb"""\son[a-z]+\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_HTML_LIMIT = 4 * 1024 * 1024  # larger "HTML" is streamed with a CSP without inline scripts


def _sha256(data: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode() + "'"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(html: bytes | None) -> str:
    """The policy for one HTML page: its own inline scripts by hash, nothing else inline.

    Reflex prerenders each page with a handful of inline scripts (theme, scroll
    restoration, React Router's context and stream) that differ per page, so they are
    hashed from the very bytes sent. ``'unsafe-eval'`` stays: Reflex runs
    ``rx.call_script`` through ``eval``. Styles keep ``'unsafe-inline'``: Radix and
    Emotion write style attributes and ``<style>`` at run time, which no hash can cover.
    """
    settings = get_settings()
    if html is None:
        scripts = ["'unsafe-inline'"]  # a body we could not read: keep the page working
    else:
        scripts = sorted({_sha256(body) for body in _INLINE_SCRIPT.findall(html)})
        handlers = sorted({_sha256(a or b) for a, b in _EVENT_HANDLER.findall(html)})
        if handlers:
            scripts += ["'unsafe-hashes'", *handlers]
    public = _origin(settings.public_url)
    sockets = [public.replace("http", "ws", 1)] if public else []
    tiles = _origin(map_tile_url().replace("{s}", "a"))
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'", *scripts],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([tiles] if tiles else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *sockets],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


_ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"strict-origin-when-cross-origin")]


def _without(headers: list, *names: bytes) -> list:
    return [(k, v) for k, v in headers if k.lower() not in names]


class SecurityHeadersMiddleware(HttpMiddleware):
    """nosniff and Referrer-Policy on every answer; CSP and X-Frame-Options on HTML.

    HTML bodies are buffered (pages are ~12 KB) to hash their inline scripts; Brotli is
    taken out of ``Accept-Encoding`` for non-asset requests so the body is readable
    here (gzip is decoded with the standard library).
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not scope.get("path", "").startswith("/assets/"):
            scope = {**scope, "headers": [(k, _strip_br(v) if k.lower() == b"accept-encoding" else v)
                                          for k, v in scope.get("headers", [])]}
        held = HeldResponse()

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = _without(list(message.get("headers", [])), *(k for k, _ in _ALWAYS)) + _ALWAYS
                message = {**message, "headers": headers}
                content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
                if not content_type.startswith(b"text/html"):
                    held.passthrough = True
                    await send(message)
                    return
                held.start = message
                return
            start = held.start
            if message["type"] == "http.response.pathsend" and start is not None and not held.passthrough:
                # a static page sent by path (Granian's pathsend): hash it from the file itself
                data = await anyio.Path(message["path"]).read_bytes()
                await send(_html_start(start, data if len(data) <= _HTML_LIMIT else None))
                held.start, held.passthrough = None, True
                await send(message)
                return
            if held.passthrough or message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            held.add(message)
            if message.get("more_body", False) and held.size <= _HTML_LIMIT:
                return
            body = held.take()
            streaming_on = message.get("more_body", False)
            await send(_html_start(start, None if streaming_on else body))
            held.start, held.passthrough = None, True
            await send({"type": "http.response.body", "body": body, "more_body": streaming_on})

        await self.app(scope, receive, wrapped)


def _strip_br(value: bytes) -> bytes:
    kept = [p for p in value.split(b",") if p.strip().split(b";")[0].strip().lower() != b"br"]
    return b",".join(kept).strip() or b"identity"


def _html_start(start: Message, body: bytes | None) -> Message:
    headers = list(start.get("headers", []))
    encoding = dict((k.lower(), v) for k, v in headers).get(b"content-encoding", b"").lower()
    html: bytes | None = body
    if body is not None and encoding == b"gzip":
        try:
            html = gzip.decompress(body)
        except OSError:
            html = None
    elif body is not None and encoding not in (b"", b"identity"):
        log.warning("CSP: cannot read a %s-encoded HTML body; inline scripts allowed for it", encoding.decode())
        html = None
    elif body is None:
        html = b""  # too large to buffer: allow no inline script at all
    headers = _without(headers, b"content-security-policy", b"x-frame-options")
    headers += [(b"content-security-policy", content_security_policy(html).encode()), (b"x-frame-options", b"DENY")]
    return {**start, "headers": headers}


# --- request body limits --------------------------------------------------------------------


def body_limit(method: str, path: str) -> int:
    """Largest request body a route accepts, in bytes (the routes' own checks come after)."""
    settings = ops_settings()
    if path == "/api/v1/push/subscriptions":
        return 16 * 1024
    if path.startswith("/open311/"):
        return 64 * 1024
    if path.startswith("/_upload") or re.fullmatch(r"/api/v1/consultations/\d+/attachments", path):
        return settings.upload_max_bytes
    return settings.max_body_bytes


class _TooLarge(Exception):
    pass


async def _send_413(send: Send, limit: int) -> None:
    body = b'{"error": "request body too large", "limit_bytes": %d}' % limit
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware(HttpMiddleware):
    """413 before the body is read: by ``Content-Length`` at once, or by counting streamed
    chunks (chunked uploads) and stopping at the first one past the limit."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = body_limit(scope.get("method", ""), scope.get("path", ""))
        declared = header(scope, "content-length")
        if declared.isdigit() and int(declared) > limit:
            await _send_413(send, limit)
            return
        received = 0
        tripped = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, tripped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    tripped = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if tripped:
                return  # the app answered after catching the refusal: 413 is sent instead
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            pass
        if tripped and not started:
            await _send_413(send, limit)


# --- rate limits ----------------------------------------------------------------------------

# (method, path test, setting attribute): the anonymous writes a bot would hammer.
RATE_LIMITED = (
    ("POST", lambda p: p == "/api/v1/push/subscriptions", "rate_limit_push"),
    ("POST", lambda p: p.startswith("/open311/v2/requests"), "rate_limit_open311"),
    ("GET", lambda p: p == "/auth/login", "rate_limit_login"),
)


class RateLimitMiddleware(HttpMiddleware):
    """Per-address limits (``limits``' moving window) answering 429 with Retry-After.

    Counters live in memory, or in Redis when ``SYROS_REDIS_URL`` is set so that every
    instance counts the same person together. A Redis outage lets requests through
    (logged): residents are not locked out because a counter is away.
    """

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._limiters: dict[str, object] = {}

    def _limiter(self):
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        url = get_settings().redis_url
        if url not in self._limiters:
            storage = storage_from_string(url, socket_timeout=2, socket_connect_timeout=2) if url \
                else storage_from_string("memory://")
            self._limiters[url] = MovingWindowRateLimiter(storage)
        return self._limiters[url], bool(url)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        method, path = scope.get("method", ""), scope.get("path", "")
        rule = next((name for m, test, name in RATE_LIMITED if m == method and test(path)), None)
        spec = getattr(ops_settings(), rule) if rule else ""
        if spec:
            retry_after = await self._check(spec, rule, client_address(scope))
            if retry_after is not None:
                body = b'{"error": "too many requests"}'
                await send({"type": "http.response.start", "status": 429,
                            "headers": [(b"content-type", b"application/json"), (b"retry-after", str(retry_after).encode()),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    async def _check(self, spec: str, rule: str, address: str) -> int | None:
        """None when allowed, else the seconds to wait."""
        from limits import parse

        item = parse(spec)
        limiter, remote = self._limiter()

        def hit() -> int | None:
            if limiter.hit(item, "syros", rule, address):
                return None
            reset = limiter.get_window_stats(item, "syros", rule, address).reset_time
            return max(1, math.ceil(reset - time.time()))

        try:
            return await anyio.to_thread.run_sync(hit) if remote else hit()
        except Exception:
            log.exception("rate limit store unavailable; %s not limited", rule)
            return None

"""Conditional requests for open data (RFC 9110 §8.8.3, §13.1.2; RFC 9111).

Every successful ``GET``/``HEAD`` answer under ``/api/v1/`` and ``/open311/`` gets a
strong ``ETag`` computed from the bytes sent, and a ``Cache-Control`` unless the route
set its own; a request whose ``If-None-Match`` names that tag gets ``304 Not Modified``
with no body. A client that polls the consultations, the results or the feeds thus
downloads each answer once until it changes.

Answers to a request that carries the session cookie may hold what only that person
or staff may see, so they are ``private``; anonymous ones may be kept by shared
caches for a minute, varying by language. Personal routes (``/api/v1/me/``, push
subscriptions) are left alone: they say ``no-store`` themselves.
"""

from __future__ import annotations

import base64
import hashlib

from starlette.types import Message, Receive, Scope, Send

from .asgi import HeldResponse, HttpMiddleware

OPEN_DATA_PREFIXES = ("/api/v1/", "/open311/")
PERSONAL_PREFIXES = ("/api/v1/me/", "/api/v1/push/", "/api/v1/staff/")
PUBLIC = b"public, max-age=60, must-revalidate"
PRIVATE = b"private, no-cache"
VARY = b"Accept-Language, Cookie"
MAX_BUFFER = 64 * 1024 * 1024  # larger answers are streamed without a validator


def applies(method: str, path: str) -> bool:
    return method in ("GET", "HEAD") and path.startswith(OPEN_DATA_PREFIXES) and not path.startswith(PERSONAL_PREFIXES)


def strong_etag(body: bytes) -> bytes:
    digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()[:18]).decode()
    return f'"{digest}"'.encode()


def none_match(header: bytes, etag: bytes) -> bool:
    """``If-None-Match`` uses the weak comparison (RFC 9110 §13.1.2): ``W/`` is ignored."""
    if header.strip() == b"*":
        return True
    tags = [t.strip().removeprefix(b"W/") for t in header.split(b",")]
    return etag in tags


def _header(scope: Scope, name: bytes) -> bytes:
    return b", ".join(v for k, v in scope.get("headers", []) if k.lower() == name)


class ConditionalGetMiddleware(HttpMiddleware):
    def wants(self, scope: Scope) -> bool:
        return applies(scope.get("method", ""), scope.get("path", ""))

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        logged_in = b"syros_session=" in _header(scope, b"cookie")
        asked = _header(scope, b"if-none-match")
        held = HeldResponse()

        async def buffered(message: Message) -> None:
            if held.passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if message.get("status") != 200 or any(k.lower() == b"etag" for k, _ in headers):
                    held.passthrough = True
                    await send(message)
                else:
                    held.start = message
                return
            start = held.start
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            held.add(message)
            if message.get("more_body", False):
                if held.size > MAX_BUFFER:  # too large to hash in memory: send as it comes
                    held.passthrough = True
                    await send(start)
                    await send({"type": "http.response.body", "body": held.take(), "more_body": True})
                return
            body = held.take()
            etag = strong_etag(body)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"vary"]
            if not any(k.lower() == b"cache-control" for k, _ in headers):
                headers.append((b"cache-control", PRIVATE if logged_in else PUBLIC))
            headers += [(b"etag", etag), (b"vary", VARY)]
            if asked and none_match(asked, etag):
                kept = [(k, v) for k, v in headers if k.lower() in (b"etag", b"cache-control", b"vary", b"expires",
                                                                    b"last-modified", b"content-location")]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)

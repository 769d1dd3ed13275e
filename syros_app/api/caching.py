"""Cache headers for the compiled front end.

Reflex serves hashed build files under ``/assets/`` without Cache-Control; they
never change under the same name, so browsers may keep them for a year. The
service worker and manifest must always be revalidated so updates reach phones.
"""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from .asgi import HttpMiddleware

IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"no-cache"


def cache_policy(path: str) -> bytes | None:
    if path.startswith("/assets/"):
        return IMMUTABLE
    if path in {"/sw.js", "/manifest.webmanifest", "/offline.html"}:
        return REVALIDATE
    return None


class StaticCacheHeadersMiddleware(HttpMiddleware):
    def wants(self, scope: Scope) -> bool:
        return cache_policy(scope.get("path", "")) is not None

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = cache_policy(scope.get("path", ""))

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                headers.append((b"cache-control", policy))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_header)

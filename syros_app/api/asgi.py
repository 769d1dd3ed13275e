"""The base of the platform's ASGI middleware (caching, conditional requests, previews,
hardening): each looks at HTTP requests only, and only those it ``wants``."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def wants(self, scope: Scope) -> bool:
        """Whether this request is one the middleware handles (others pass straight through)."""
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.wants(scope):
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


@dataclass
class HeldResponse:
    """A response a middleware holds back until it has seen the whole body (to hash it):
    its start message, the body so far, and whether it gave up and now passes through."""

    start: Message | None = None
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    passthrough: bool = False

    def add(self, message: Message) -> None:
        self.chunks.append(message.get("body", b""))
        self.size += len(self.chunks[-1])

    def take(self) -> bytes:
        """The body held so far (and no longer held)."""
        body = b"".join(self.chunks)
        self.chunks.clear()
        return body

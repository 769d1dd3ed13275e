"""Local stand-ins for the outside world: a push service, an SMS gateway, subscriptions."""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
from collections import defaultdict
from dataclasses import dataclass, field

import http_ece
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class BrowserSubscription:
    """What a browser makes: an ECDH P-256 key pair and a 16-byte auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: __import__("os").urandom(16))

    @property
    def p256dh(self) -> str:
        return b64(self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                              serialization.PublicFormat.UncompressedPoint))

    @property
    def auth(self) -> str:
        return b64(self.auth_secret)

    def decrypt(self, body: bytes) -> bytes:
        return http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


class FakeHTTPService:
    """An aiohttp server in a background thread that records requests.

    ``behaviour(path, count) -> (status, headers)`` decides the answer;
    ``count`` is how many times this path was requested (1 on the first).
    Only requests answered 2xx are in ``accepted``.
    """

    def __init__(self, behaviour=None, delay: float = 0.0, hold_after: int | None = None) -> None:
        self.behaviour = behaviour or (lambda path, count: (201, {}))
        self.delay = delay
        self.received: list[Received] = []
        self.accepted: list[Received] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        # Requests arriving after the first ``hold_after`` wait while ``hold`` is set; once
        # released with ``abort_held`` they get a 503 (the sender never saw them accepted).
        self.hold_after = hold_after
        self.hold = threading.Event()
        self.abort_held = False
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        item = Received(request.path, dict(request.headers), body)
        self.counts[request.path] += 1
        self.received.append(item)
        if self.hold_after is not None and len(self.received) > self.hold_after and self.hold.is_set():
            while self.hold.is_set():
                await asyncio.sleep(0.05)
            if self.abort_held:
                return web.Response(status=503)
        if self.delay:
            await asyncio.sleep(self.delay)
        status, headers = self.behaviour(request.path, self.counts[request.path])
        if 200 <= status < 300:
            self.accepted.append(item)
        return web.Response(status=status, headers=headers)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, backlog=1024)
        self._loop.run_until_complete(site.start())
        self._started.set()
        self._loop.run_forever()

    def __enter__(self) -> "FakeHTTPService":
        self._thread.start()
        self._started.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self.hold.clear()
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

"""A small HTTP/1.1 client for push services: keep-alive connections per origin.

Push requests are all alike (a POST of a few hundred bytes, a tiny answer), and
at fan-out sizes the general-purpose client's per-request bookkeeping costs
more CPU than the encryption. This client writes the request in one buffer and
parses only what a push service answers: a status line, headers, and a body
framed by Content-Length, chunked encoding or connection close. TLS (https
endpoints) uses the system trust store. A keep-alive connection that turns out
to be closed by the server before any answer is retried once on a new one.
"""

from __future__ import annotations

import asyncio
import ssl
from urllib.parse import urlsplit


class HTTPError(ConnectionError):
    pass


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.closed = False
        self.got_bytes = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self.got_bytes = True
        self._parse()

    def connection_lost(self, exc) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            if not self._parse(eof=True):
                self.waiter.set_exception(HTTPError("connection closed before the answer"))

    def _parse(self, eof: bool = False) -> bool:
        waiter = self.waiter
        if waiter is None or waiter.done():
            return False
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return False
            lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            try:
                version, status_text = lines[0].split(" ", 2)[:2]
                status = int(status_text)
            except ValueError:
                waiter.set_exception(HTTPError(f"bad status line {lines[0][:80]!r}"))
                return True
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if 100 <= status < 200:  # interim answer: drop it, wait for the real one
                del self.buffer[: end + 4]
                continue
            break
        start = end + 4
        keep_alive = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
        if status in (204, 304):
            consumed = start
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            position = start
            while True:
                line_end = self.buffer.find(b"\r\n", position)
                if line_end < 0:
                    return False
                size = int(bytes(self.buffer[position:line_end]).split(b";")[0] or b"0", 16)
                position = line_end + 2 + size + 2
                if len(self.buffer) < position:
                    return False
                if size == 0:
                    break
            consumed = position
        elif "content-length" in headers:
            consumed = start + int(headers["content-length"])
            if len(self.buffer) < consumed:
                return False
        else:  # body until the server closes
            if not eof:
                return False
            consumed, keep_alive = len(self.buffer), False
        del self.buffer[:consumed]
        waiter.set_result((status, headers, keep_alive))
        return True

    async def exchange(self, data: bytes) -> tuple[int, dict[str, str], bool]:
        self.waiter = asyncio.get_running_loop().create_future()
        self.got_bytes = False
        self.transport.write(data)
        try:
            return await self.waiter
        finally:
            self.waiter = None

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class PushHTTPClient:
    def __init__(self) -> None:
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._ssl = ssl.create_default_context()

    async def _connect(self, key: tuple[str, str, int]) -> _Connection:
        scheme, host, port = key
        loop = asyncio.get_running_loop()
        _, conn = await loop.create_connection(_Connection, host, port,
                                               ssl=self._ssl if scheme == "https" else None,
                                               server_hostname=host if scheme == "https" else None)
        return conn

    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, dict[str, str]]:
        parts = urlsplit(url)
        scheme = parts.scheme
        port = parts.port or (443 if scheme == "https" else 80)
        key = (scheme, parts.hostname or "", port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        head = [f"POST {target} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(body)}"]
        head.extend(f"{name}: {value}" for name, value in headers.items())
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        async with asyncio.timeout(timeout):
            for attempt in (1, 2):
                idle = self._idle.setdefault(key, [])
                reused = False
                conn = None
                while idle:
                    candidate = idle.pop()
                    if not candidate.closed:
                        conn, reused = candidate, True
                        break
                if conn is None:
                    conn = await self._connect(key)
                try:
                    status, answer, keep_alive = await conn.exchange(data)
                except (HTTPError, OSError):
                    conn.close()
                    if reused and not conn.got_bytes and attempt == 1:
                        continue  # the server had closed the idle connection: try a fresh one
                    raise
                except BaseException:
                    conn.close()
                    raise
                if keep_alive and not conn.closed:
                    idle.append(conn)
                else:
                    conn.close()
                return status, answer
        raise HTTPError("unreachable")

    def close(self) -> None:
        for connections in self._idle.values():
            for conn in connections:
                conn.close()
        self._idle.clear()

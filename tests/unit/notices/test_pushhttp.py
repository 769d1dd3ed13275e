"""The push HTTP client against raw servers: framing, keep-alive, stale connections, timeouts."""

import asyncio

import pytest

from syros_app.notices.pushhttp import HTTPError, PushHTTPClient


async def _serve(answers: list[bytes], seen: list[bytes], close_after_each: bool = False):
    async def handle(reader, writer):
        while answers:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
            seen.append(head + await reader.readexactly(length))
            writer.write(answers.pop(0))
            await writer.drain()
            if close_after_each:
                break
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


def test_framing_and_keep_alive():
    async def run():
        seen: list[bytes] = []
        answers = [b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
                   b"HTTP/1.1 429 Too Many\r\nRetry-After: 5\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                   b"HTTP/1.1 410 Gone\r\nConnection: close\r\n\r\ngone"]
        server, base = await _serve(answers, seen)
        client = PushHTTPClient()
        first = await client.post(base + "/p/1?x=1", b"BODY", {"TTL": "60"}, 5)
        second = await client.post(base + "/p/2", b"B2", {}, 5)
        third = await client.post(base + "/p/3", b"B3", {}, 5)
        client.close()
        server.close()
        return first, second, third, seen

    first, second, third, seen = asyncio.run(run())
    assert first[0] == 201 and second == (429, {"retry-after": "5", "transfer-encoding": "chunked"})
    assert third[0] == 410
    assert seen[0].startswith(b"POST /p/1?x=1 HTTP/1.1\r\n") and b"TTL: 60" in seen[0] and seen[0].endswith(b"BODY")
    assert len(seen) == 3  # one connection carried all three


def test_a_connection_closed_by_the_server_is_replaced():
    async def run():
        seen: list[bytes] = []
        ok = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
        server, base = await _serve([ok, ok], seen, close_after_each=True)
        client = PushHTTPClient()
        first = await client.post(base + "/a", b"1", {}, 5)
        await asyncio.sleep(0.05)  # the server closed the kept-alive connection meanwhile
        second = await client.post(base + "/b", b"2", {}, 5)
        client.close()
        server.close()
        return first[0], second[0], len(seen)

    assert asyncio.run(run()) == (201, 201, 2)


def test_timeout_and_refused_connection():
    async def run():
        async def silent(reader, writer):
            await asyncio.sleep(5)

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = PushHTTPClient()
        with pytest.raises(asyncio.TimeoutError):
            await client.post(f"http://127.0.0.1:{port}/x", b"1", {}, 0.3)
        server.close()
        await server.wait_closed()
        with pytest.raises((OSError, HTTPError)):
            await client.post(f"http://127.0.0.1:{port}/x", b"1", {}, 2)
        client.close()

    asyncio.run(run())

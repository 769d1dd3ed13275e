"""Web Push fan-out: 20,000 subscriptions → a local fake push service.

Measures the real path: ``publish_notice`` writes 20,000 outbox rows in one
transaction, then the outbox worker processes (``python -m syros_app notices
worker``, 2 by default, one per core) claim, encrypt (RFC 8291 aes128gcm, a fresh
ephemeral key per message), sign (VAPID, one header per push service reused)
and POST them concurrently over one aiohttp session each. A sample of the
bodies the fake received is decrypted with the subscribers' private keys.
In the same run, a plain sequential ``pywebpush.webpush`` loop sends to the
same fake; it runs on a smaller sample and its rate is extrapolated (said so
in the output). ``--profile`` adds a cProfile summary of one in-process worker.

    .venv/bin/python bench/push_fanout.py [--subscriptions 20000] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FAKE_SERVER = r'''
import asyncio, os, sys
sample_dir, port = sys.argv[1], int(sys.argv[2])
sample = set(sys.argv[3].split(",")) if len(sys.argv) > 3 and sys.argv[3] else set()
count = 0
RESPONSE = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nLocation: /m\r\n\r\n"

class Push(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""
    def data_received(self, data):
        global count
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4:end + 4 + length]
            self.buffer = self.buffer[end + 4 + length:]
            path = head.split(" ", 2)[1]
            if path == "/__count":
                text = str(count).encode()
                self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(text), text))
                continue
            if path.startswith("/push/"):
                count += 1
            key = path.rsplit("/", 1)[-1]
            if key in sample and path.startswith("/push/"):
                with open(os.path.join(sample_dir, key), "ab") as f:
                    f.write(len(body).to_bytes(4, "big") + body)
            self.transport.write(RESPONSE)

async def main():
    server = await asyncio.get_running_loop().create_server(Push, "127.0.0.1", port, backlog=2048)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()
asyncio.run(main())
'''


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fake_count(base: str) -> int:
    import urllib.request

    with urllib.request.urlopen(base + "/__count", timeout=5) as response:
        return int(response.read())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=128)
    parser.add_argument("--plain-sample", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="push-bench-"))
    os.environ.update({"SYROS_DATA_DIR": str(tmp), "SYROS_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
                       "SYROS_OUTBOX_POLL_SECONDS": "0.1", "SYROS_PUSH_CONCURRENCY": str(args.concurrency),
                       "SYROS_OUTBOX_BATCH": "500", "SYROS_OUTBOX_LEASE_SECONDS": "120"})

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from sqlalchemy import func, insert, select
    from sqlmodel import SQLModel

    import syros_app.models  # noqa: F401
    from syros_app.core.db import get_engine, session_scope
    from syros_app.core.timefmt import utcnow
    from syros_app.identity.roles import Actor, Role
    from syros_app.notices import actions
    from syros_app.notices.models import Delivery, Subscription

    engine = get_engine()
    SQLModel.metadata.create_all(engine)

    n = args.subscriptions
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sample_ids = {str(i) for i in range(0, n, max(1, n // 20))}
    sample_dir = tmp / "sample"
    sample_dir.mkdir()
    fake = subprocess.Popen([sys.executable, "-c", FAKE_SERVER, str(sample_dir), str(port), ",".join(sorted(sample_ids))],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert fake.stdout.readline().strip() == "ready"
    workers: list[subprocess.Popen] = []
    try:
        print(f"generating {n:,} subscriptions (ECDH P-256 key pairs, 16-byte auth secrets)…", flush=True)
        t0 = time.perf_counter()
        keys = {}
        rows = []
        now = utcnow()
        for i in range(n):
            private = ec.generate_private_key(ec.SECP256R1())
            auth = os.urandom(16)
            if str(i) in sample_ids:
                keys[str(i)] = (private, auth)
            public = private.public_key().public_bytes(serialization.Encoding.X962,
                                                       serialization.PublicFormat.UncompressedPoint)
            rows.append({"channel": "push", "address": f"{base}/push/{i}", "p256dh": b64(public), "auth": b64(auth),
                         "categories": "civil_protection", "areas": "", "lang": "el", "created_at": now,
                         "confirmed_at": now, "code_attempts": 0})
        with session_scope() as session:
            session.execute(insert(Subscription), rows)
        print(f"  done in {time.perf_counter() - t0:.1f} s")

        plain_before = plain_loop(rows, min(args.plain_sample, n))
        env = {**os.environ}
        log = (tmp / "workers.log").open("w")
        workers = [subprocess.Popen([sys.executable, "-m", "syros_app", "notices", "worker"], cwd=ROOT, env=env,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
                   for _ in range(args.workers)]
        time.sleep(3)  # let the workers import and start polling

        actor = Actor(person_id=None, display_name="bench", taxid_hmac="", roles=frozenset({Role.ADMINISTRATOR}))
        start = time.perf_counter()
        with session_scope() as session:
            actions.publish_notice(session, actor=actor, title="Θυελλώδεις άνεμοι: απαγορευτικό απόπλου",
                                   body="Έως 9 μποφόρ στις Κυκλάδες. Στερεώστε αντικείμενα και αποφύγετε τις ακτές.",
                                   category="civil_protection", urgent=True)
        published = time.perf_counter()
        deadline = start + 600
        # the push service's own count (cheap to ask) tells when every message was accepted …
        while time.perf_counter() < deadline and fake_count(base) < n:
            time.sleep(0.05)
        total = time.perf_counter() - start
        received = fake_count(base)
        # … then the outbox must show every row as sent (results are committed every 0.2 s)
        sent = 0
        while time.perf_counter() < deadline:
            with engine.connect() as conn:
                sent = conn.execute(select(func.count()).select_from(Delivery).where(Delivery.status == "sent")).scalar()
            if sent >= n:
                break
            time.sleep(0.1)
        recorded = time.perf_counter() - start
        for proc in workers:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in workers:
            proc.wait(30)

        # correctness: decrypt the sampled bodies with the subscribers' keys
        import http_ece

        decrypted = 0
        for key, (private, auth) in keys.items():
            blob = (sample_dir / key).read_bytes()
            assert int.from_bytes(blob[:4], "big") == len(blob) - 4, f"endpoint {key} received more than once"
            data = json.loads(http_ece.decrypt(blob[4:], private_key=private, auth_secret=auth, version="aes128gcm"))
            assert data["title"] == "Θυελλώδεις άνεμοι: απαγορευτικό απόπλου" and data["urgent"] is True
            decrypted += 1

        rate = n / total
        print(f"\nOutbox fan-out: {n:,} subscriptions, {args.workers} worker process(es), "
              f"{args.concurrency} requests in flight each, {os.cpu_count()} CPU cores")
        print(f"  publish (notice + {n:,} outbox rows, one transaction): {published - start:.2f} s")
        print(f"  publish → all {received:,} accepted by the push service: {total:.2f} s  = {rate:,.0f} msg/s")
        print(f"  publish → all {sent:,} recorded as sent in the outbox: {recorded:.2f} s")
        print(f"  sample decrypted with http_ece (aes128gcm): {decrypted}/{len(keys)} OK, each received once")

        plain_after = plain_loop(rows, min(args.plain_sample, n))
        plain_rate = (plain_before + plain_after) / 2
        m = min(args.plain_sample, n)
        print(f"\nPlain sequential pywebpush.webpush loop (new connection per message, as pywebpush does by default):")
        print(f"  {m} messages before the fan-out: {plain_before:,.0f} msg/s; {m} after: {plain_after:,.0f} msg/s; "
              f"mean {plain_rate:,.0f} msg/s")
        print(f"  → {n:,} would take ≈ {n / plain_rate:.0f} s (EXTRAPOLATED from {m}-message samples)")
        print(f"\nSpeed-up over the plain loop: {rate / plain_rate:.1f}×   (targets: ≤ 10 s for 20,000 and ≥ 7×)")
        print(f"Machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              "(the cores are shared; figures vary with it)")

        if args.profile:
            profile_worker(engine, base, n)
    finally:
        for proc in workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        os.killpg(fake.pid, signal.SIGKILL)
    return 0


def plain_loop(rows: list[dict], m: int) -> float:
    """Rate (msg/s) of a plain sequential ``pywebpush.webpush`` loop over ``m`` subscriptions."""
    from pywebpush import webpush

    from syros_app.notices.vapid import get_vapid

    vapid = get_vapid()
    payload = json.dumps({"title": "t", "body": "b", "url": "/notices/1"})
    t0 = time.perf_counter()
    for row in rows[:m]:
        webpush({"endpoint": row["address"].replace("/push/", "/plain/"), "keys": {"p256dh": row["p256dh"], "auth": row["auth"]}},
                payload, vapid_private_key=vapid, vapid_claims={"sub": "mailto:bench@syros-ermoupolis.gr"},
                ttl=3600, timeout=10)
    return m / (time.perf_counter() - t0)


def profile_worker(engine, base: str, n: int) -> None:
    """Re-queue a slice and send it from one in-process worker under cProfile."""
    import cProfile
    import pstats

    from sqlalchemy import update

    from syros_app.notices.models import Delivery
    from syros_app.notices.worker import Worker

    m = min(n, 4000)
    with engine.begin() as conn:
        conn.execute(update(Delivery).where(Delivery.id <= m).values(status="pending", claim_token=None, lease_until=None))
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    asyncio.run(Worker(engine).run(until_idle=True))
    profiler.disable()
    elapsed = time.perf_counter() - t0
    print(f"\nProfile: one worker process, {m:,} messages in {elapsed:.2f} s = {m / elapsed:,.0f} msg/s (single core)")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(14)


if __name__ == "__main__":
    sys.exit(main())

"""Live residents: N websocket clients replaying a real page's frames against the running app.

For each configuration — the embedded default (``serve app``, one process, states in
memory) and Redis (``SYROS_REDIS_URL``, several Granian workers) — this starts the
production app on a free loopback port (migrated, demo data), opens the home page
once in Chromium and records the socket.io frames it sends (namespace connect, the
page's hydrate and on-load events), then connects N clients that replay those frames
with their own token, and fires the page's on-load event at R events/s for S seconds
at random connected clients. It prints the round trips' p50/p95 (send → the first
state update for it, what the resident sees change), the server's memory per connected resident (the proportional set
size, PSS, of the app's processes — RSS misses the pages forked workers stop sharing — plus
Redis's keys when configured), memory after the residents leave and their states
expire, and the load average.

    .venv/bin/python bench/live_clients.py                      # both, the issue's figures
    .venv/bin/python bench/live_clients.py --only default --clients 200 --rate 20 --seconds 10

Targets (issue 13): default 1,000 connected, 50 events/s, 20 s → p95 ≤ 100 ms; Redis
3,000 connected, 400 events/s → p95 ≤ 50 ms, ≤ 150 KB per resident, memory back within
10 % after they leave. Bounded: at most 5,000 clients and 120 s of load per run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAX_CLIENTS, MAX_SECONDS = 5000, 120
REDIS_DB_URL = "redis://127.0.0.1:6379/13"  # a database of its own: others' keys are not counted
EXPIRY_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def session_memory_kb(session_id: int) -> dict[str, int]:
    """Memory of every process in the app's session (Granian workers, companions): the sum of
    their resident sets (RSS: a page shared by forked workers counts once per process) and of
    their proportional sets (PSS: a shared page is split between its sharers — what the
    machine actually spends)."""
    total = {"rss": 0, "pss": 0}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) != session_id:  # field 6 of stat: the session id
                continue
            for line in (status.parent / "smaps_rollup").read_text().splitlines():
                if line.startswith(("Rss:", "Pss:")):
                    total[line[:3].lower()] += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total


def redis_keys_kb(url: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    total = sum(client.memory_usage(key) or 0 for key in client.scan_iter(count=1000))
    client.close()
    return total // 1024


@dataclass
class App:
    url: str
    proc: subprocess.Popen
    redis_url: str | None


def start_app(data_dir: Path, redis_url: str | None, workers: int) -> App:
    port = free_port()
    env = {**os.environ, "SYROS_PORT": str(port), "SYROS_DATA_DIR": str(data_dir),
           "SYROS_DATABASE_URL": f"sqlite:///{data_dir / 'agora.db'}", "SYROS_PUBLIC_URL": f"http://localhost:{port}",
           "SYROS_STATE_EXPIRY_SECONDS": str(EXPIRY_SECONDS), "SYROS_LOG_LEVEL": "WARNING",
           "REFLEX_TELEMETRY_ENABLED": "false", "REFLEX_USE_SYSTEM_BUN": "1"}
    env.pop("SYROS_REDIS_URL", None)
    env.pop("GRANIAN_WORKERS", None)
    if redis_url:
        env["SYROS_REDIS_URL"] = redis_url
        env["GRANIAN_WORKERS"] = str(workers)
    for args in (("db", "upgrade"), ("demo", "load")):
        subprocess.run([sys.executable, "-m", "syros_app", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=300)
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "syros_app", "serve", "app"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app stopped; see {data_dir / 'server.log'}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as answer:
                if answer.status == 200:
                    return App(url, proc, redis_url)
        except OSError:
            time.sleep(1)
    raise TimeoutError("the app did not start")


def stop_app(app: App) -> None:
    for sig in (signal.SIGINT, signal.SIGKILL):
        try:
            os.killpg(app.proc.pid, sig)
            app.proc.wait(timeout=20)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


@dataclass
class Recording:
    path: str  # /_event/?EIO=4&transport=websocket (without the page's token)
    events: list[dict]  # the page's events, in order; "token" is replaced per client
    token: str


def record_page(base_url: str, page_path: str = "/") -> Recording:
    """Open the page in Chromium and keep the socket.io event frames it sends."""
    from playwright.sync_api import sync_playwright

    sent: list[str] = []
    urls: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()

        def on_socket(ws) -> None:
            if "/_event" in ws.url:
                urls.append(ws.url)
                ws.on("framesent", lambda payload: sent.append(payload if isinstance(payload, str) else ""))

        page.on("websocket", on_socket)
        page.goto(base_url + page_path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        browser.close()
    events = []
    for frame in sent:
        if frame.startswith("42/_event,"):
            _, body = json.loads(frame[len("42/_event,"):])[:2]
            events.append(body if isinstance(body, dict) else json.loads(body))
    if not urls or not events:
        raise RuntimeError("the page sent no event frames")
    ws_url = urls[0]
    path = ws_url.split("//", 1)[1].split("/", 1)[1]
    return Recording(path="/" + path, events=events, token=events[0].get("token", ""))


@dataclass
class Client:
    token: str
    ws: object = None
    busy: bool = False
    waiter: asyncio.Future | None = None
    rtts: list[float] = field(default_factory=list)


def _frame(event: dict, token: str) -> str:
    return "42/_event," + json.dumps(["event", {**event, "token": token}])


async def _reader(client: Client) -> None:
    import aiohttp

    async for message in client.ws:
        if message.type != aiohttp.WSMsgType.TEXT:
            break
        data = message.data
        if data == "2":
            await client.ws.send_str("3")
        elif data.startswith("42/_event,") and client.waiter is not None and not client.waiter.done():
            body = json.loads(data[len("42/_event,"):])[1]
            update = body if isinstance(body, dict) else json.loads(body)
            if update.get("final") is not False:  # Reflex 0.10 no longer sends "final": the first update
                client.waiter.set_result(time.perf_counter())


async def _send_and_wait(client: Client, event: dict, timeout: float = 30.0) -> float:
    loop = asyncio.get_running_loop()
    client.waiter = loop.create_future()
    started = time.perf_counter()
    await client.ws.send_str(_frame(event, client.token))
    done = await asyncio.wait_for(client.waiter, timeout)
    return done - started


async def connect(session, base_url: str, recording: Recording) -> Client:
    client = Client(token=str(uuid.uuid4()))
    path = recording.path.replace(recording.token, client.token) if recording.token else recording.path
    client.ws = await session.ws_connect(base_url.replace("http", "ws", 1) + path, heartbeat=None,
                                         max_msg_size=0)
    opened = await client.ws.receive_str()
    assert opened.startswith("0"), opened
    await client.ws.send_str("40/_event,")
    while not (await client.ws.receive_str()).startswith("40/_event"):
        pass
    client.reader = asyncio.create_task(_reader(client))
    for event in recording.events:  # the page's own load: hydrate, then on_load
        await _send_and_wait(client, event)
    return client


async def run_load(base_url: str, recording: Recording, clients: int, rate: float, seconds: float,
                   measure_memory) -> dict:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        before = measure_memory()
        connected: list[Client] = []
        semaphore = asyncio.Semaphore(50)

        async def one() -> None:
            async with semaphore:
                try:
                    connected.append(await connect(session, base_url, recording))
                except Exception as exc:  # noqa: BLE001 - counted as a failed connection
                    print(f"  connect failed: {exc.__class__.__name__}: {exc}", file=sys.stderr)

        started = time.monotonic()
        await asyncio.gather(*(one() for _ in range(clients)))
        connect_seconds = time.monotonic() - started
        await asyncio.sleep(2)
        during = measure_memory()
        event = recording.events[-1]
        rtts: list[float] = []
        errors = 0
        in_flight: set[asyncio.Task] = set()

        async def fire(client: Client) -> None:
            nonlocal errors
            client.busy = True
            try:
                rtts.append(await _send_and_wait(client, event))
            except Exception:  # noqa: BLE001 - a timeout is an error, not a sample
                errors += 1
            finally:
                client.busy = False

        interval = 1.0 / rate
        deadline = time.monotonic() + seconds
        next_at = time.monotonic()
        skipped = 0
        while time.monotonic() < deadline:
            idle = [c for c in random.sample(connected, min(len(connected), 8)) if not c.busy]
            if idle:
                task = asyncio.create_task(fire(idle[0]))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            else:
                skipped += 1
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        if in_flight:
            await asyncio.wait(in_flight, timeout=35)
        load = load_average()
        for client in connected:
            client.reader.cancel()
            await client.ws.close()
    return {"connected": len(connected), "connect_seconds": connect_seconds, "rtts": rtts, "errors": errors,
            "skipped": skipped, "before_kb": before, "during_kb": during, "load": load}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def bench(name: str, redis_url: str | None, clients: int, rate: float, seconds: float, workers: int) -> dict:
    print(f"\n== {name}: {clients} residents, {rate:g} events/s for {seconds:g} s "
          f"({'Redis, ' + str(workers) + ' workers' if redis_url else 'one process, memory state manager'})")
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    with tempfile.TemporaryDirectory(prefix="syros-live-") as tmp:
        app = start_app(Path(tmp), redis_url, workers)
        try:
            recording = record_page(app.url)
            print(f"  recorded {len(recording.events)} event frames of /: "
                  + ", ".join(e.get('name', '?').rsplit('.', 1)[-1] for e in recording.events))

            def memory() -> dict[str, int]:
                processes = session_memory_kb(app.proc.pid)
                return {"processes": processes["pss"], "redis": redis_keys_kb(redis_url) if redis_url else 0,
                        "rss": processes["rss"]}

            result = asyncio.run(run_load(app.url, recording, clients, rate, seconds, memory))
            time.sleep(EXPIRY_SECONDS + 15)  # states expire (memory: a purge task; Redis: key TTL)
            result["after_kb"] = memory()
        finally:
            stop_app(app)
    rtts_ms = [r * 1000 for r in result["rtts"]]
    parts = {key: (result["during_kb"][key] - result["before_kb"][key]) / max(1, result["connected"])
             for key in result["before_kb"]}
    for key in ("before_kb", "during_kb", "after_kb"):
        result[key] = result[key]["processes"] + result[key]["redis"]
    per_resident = (result["during_kb"] - result["before_kb"]) / max(1, result["connected"])
    back = (result["after_kb"] - result["before_kb"]) / max(1, result["before_kb"]) * 100
    result.update(p50=statistics.median(rtts_ms) if rtts_ms else float("nan"), p95=percentile(rtts_ms, 0.95),
                  per_resident_kb=per_resident, after_pct=back, samples=len(rtts_ms))
    print(f"  connected {result['connected']}/{clients} in {result['connect_seconds']:.1f} s; "
          f"{result['samples']} round trips ({result['errors']} errors, {result['skipped']} ticks with no idle client)")
    print(f"  round trip p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms")
    print(f"  memory: {result['before_kb'] / 1024:.0f} MB before, {result['during_kb'] / 1024:.0f} MB connected "
          f"({per_resident:.0f} KB per resident: processes {parts['processes']:.0f} PSS (RSS "
          f"{parts['rss']:.0f}), Redis keys {parts['redis']:.0f}), {result['after_kb'] / 1024:.0f} MB after they left "
          f"({back:+.1f} % of the start)")
    print(f"  load average at the end of the load: {result['load']} ({os.cpu_count()} CPUs)")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["default", "redis"])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--redis-clients", type=int, default=3000)
    parser.add_argument("--redis-rate", type=float, default=400)
    parser.add_argument("--redis-workers", type=int, default=5)
    parser.add_argument("--redis-url", default=REDIS_DB_URL)
    args = parser.parse_args()
    clamp = lambda n: max(1, min(MAX_CLIENTS, n))
    seconds = max(1.0, min(MAX_SECONDS, args.seconds))
    print(f"load average at the start: {load_average()} ({os.cpu_count()} CPUs)")
    results = {}
    if args.only in (None, "default"):
        results["default"] = bench("default", None, clamp(args.clients), args.rate, seconds, 1)
    if args.only in (None, "redis"):
        results["redis"] = bench("redis", args.redis_url, clamp(args.redis_clients), args.redis_rate, seconds,
                                 args.redis_workers)
    print("\nsummary (target):")
    if "default" in results:
        r = results["default"]
        print(f"  default p95 {r['p95']:.1f} ms (≤ 100 ms) with {r['connected']} connected")
    if "redis" in results:
        r = results["redis"]
        print(f"  redis   p95 {r['p95']:.1f} ms (≤ 50 ms) with {r['connected']} connected; "
              f"{r['per_resident_kb']:.0f} KB per resident (≤ 150 KB); after leaving {r['after_pct']:+.1f} % (≤ 10 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

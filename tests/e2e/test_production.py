"""Production-shaped: two app instances (separate data folders) on one PostgreSQL database
and one Redis, behind Debian's nginx on loopback with the project's own site.

The database is a private PostgreSQL server (initdb + pg_ctl on a free port), so that it
can be restarted: the machine's shared server is never touched.

- The notices worker of ``serve app`` is SIGKILLed and comes back by itself (a new
  process, a fresh heartbeat in ``/readyz``).
- PostgreSQL is restarted while that worker fans a notice out to 1,500 subscribers:
  every subscriber gets exactly one e-mail, and both instances answer ready again.
- A resident logs in through nginx (instance A serves, B is the backup); A is SIGKILLed
  with everything it runs; the resident's open page reconnects through nginx to B and
  keeps working, still logged in (the session is a cookie checked in the shared
  database, the page state lives in Redis).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from tests.e2e.conftest import copy_project
from tests.support.nginx import Nginx
from tests.support.private_pg import PrivatePostgres, free_port
from tests.support.stand_in_login import login_with_stand_in
from tests.unit.ops.test_production_settings import vapid_pair

REDIS_URL = os.environ.get("TEST_PRODUCTION_REDIS_URL", "redis://127.0.0.1:6379/11")


def _session_processes(session_id: int) -> dict[int, str]:
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[3]) == session_id:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
    return found


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status == 200
    except OSError:
        return False


class Instance:
    def __init__(self, name: str, env: dict[str, str], argv: list[str], project: Path) -> None:
        self.name, self.port = name, int(env["SYROS_PORT"])
        self.data_dir = Path(env["SYROS_DATA_DIR"])
        self.log = self.data_dir / "server.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "syros_app", *argv], cwd=project, env=env,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def upstream(self) -> str:
        return f"127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float) -> None:
        def ready() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"instance {self.name} stopped:\n{self.log.read_text()[-3000:]}")
            return _answers(f"http://127.0.0.1:{self.port}/readyz") and _answers(f"http://127.0.0.1:{self.port}/")

        _wait(ready, timeout, f"instance {self.name}")

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=20)


@pytest.fixture(scope="module")
def cluster() -> Iterator[dict]:
    import redis

    if not PrivatePostgres.available():
        pytest.skip("no PostgreSQL 15 binaries to start a private server")
    pg = PrivatePostgres(max_connections=150).init()  # two instances and their companions' pools
    pg.start()
    database_url = pg.url
    instances: list[Instance] = []
    nginx = None
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
        nginx_port = free_port()
        root = Path(tempfile.mkdtemp(prefix="syros-prod-"))
        # A copy of the project with its own build: building in the checkout itself would
        # replace the front end under the session's shared e2e server.
        project = copy_project(root / "project")
        common = {
            **os.environ, "SYROS_DATABASE_URL": database_url, "SYROS_SMTP_HOST": "",
            "SYROS_REDIS_URL": REDIS_URL, "GRANIAN_WORKERS": "1", "SYROS_PUBLIC_URL": f"http://localhost:{nginx_port}",
            "SYROS_SECRET_KEY": uuid.uuid4().hex * 2, "SYROS_TRUSTED_PROXIES": "127.0.0.1/32",
            "SYROS_OUTBOX_POLL_SECONDS": "0.5", "SYROS_COMPANION_BACKOFF_MAX": "2",
            "REFLEX_TELEMETRY_ENABLED": "false", "REFLEX_USE_SYSTEM_BUN": "1", **vapid_pair(),
        }
        envs = {}
        for key in ("a", "b"):
            (root / key).mkdir()
            envs[key] = {**common, "SYROS_PORT": str(free_port()), "SYROS_DATA_DIR": str(root / key)}
        for args in (("db", "upgrade"), ("demo", "load")):
            done = subprocess.run([sys.executable, "-m", "syros_app", *args], check=False, cwd=project, env=envs["a"],
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
        a = Instance("A", envs["a"], ["serve", "app"], project)  # builds the front end; runs the companions
        instances.append(a)
        a.wait_ready(600)
        b = Instance("B", envs["b"], ["serve", "app", "--no-companions"], project)  # the same build, unchanged
        instances.append(b)
        b.wait_ready(300)
        nginx = Nginx(nginx_port, [a.upstream, f"{b.upstream} backup"])
        nginx.start()
        yield {"a": a, "b": b, "nginx": nginx, "pg": pg, "database_url": database_url}
    finally:
        for instance in instances:
            instance.kill()
        if nginx is not None:
            nginx.stop()
        pg.destroy()
        redis.Redis.from_url(REDIS_URL).flushdb()


def _readyz(nginx: Nginx) -> dict:
    import json

    with urllib.request.urlopen(nginx.url + "/readyz", timeout=5) as answer:
        return json.loads(answer.read())


def test_the_notices_worker_is_killed_and_comes_back(cluster):
    a: Instance = cluster["a"]

    def worker_pid() -> int | None:
        return next((pid for pid, cmd in _session_processes(a.proc.pid).items() if "notices worker" in cmd), None)

    first = _wait(worker_pid, 60, "the notices worker under serve app")
    _wait(lambda: _readyz(cluster["nginx"])["checks"]["workers"]["notices-worker"]["ok"], 60, "its heartbeat")
    os.kill(first, signal.SIGKILL)
    second = _wait(lambda: (pid := worker_pid()) and pid != first and pid, 30, "a new notices worker")
    assert second != first
    killed_at = time.time()
    _wait(lambda: (_readyz(cluster["nginx"])["checks"]["workers"]["notices-worker"]["age_seconds"] or 99)
          < time.time() - killed_at + 1, 60, "the new worker's heartbeat")
    log = a.log.read_text()
    assert re.search(r"companion notices worker stopped \(killed by SIGKILL\)", log), log[-2000:]


def test_postgresql_restarting_during_a_fan_out_loses_no_notice(cluster):
    """The worker under ``serve app`` (A) sends a notice to 1,500 subscribers; PostgreSQL restarts midway."""
    from tests.support import fan_out

    pg: PrivatePostgres = cluster["pg"]
    subscribers = 1500
    mail = cluster["a"].data_dir / "outbox-mail"
    fan_out.publish_to_subscribers(cluster["database_url"], subscribers)
    _wait(lambda: len(fan_out.mailed(mail)) >= 20, 60, "the fan-out to start")
    pg.stop("fast")
    at_stop = len(fan_out.mailed(mail))
    time.sleep(3)  # the worker's claims and the instances' queries fail meanwhile …
    retrying = "database error (OperationalError); retrying with back-off"
    # … and it stays down until the worker has met the outage (a loaded machine may keep it sending a batch)
    _wait(lambda: retrying in cluster["a"].log.read_text(), 90, "the worker to meet the outage")
    pg.start()
    pg.wait_ready()
    assert at_stop < subscribers, "the restart happened during the fan-out"
    _wait(lambda: fan_out.undelivered(cluster["database_url"]) == 0, 180, "every delivery to be sent")
    assert sorted(fan_out.mailed(mail)) == sorted(fan_out.address(i) for i in range(subscribers))  # once each
    for instance in (cluster["a"], cluster["b"]):
        _wait(lambda: _answers(f"http://{instance.upstream}/readyz"), 60, f"instance {instance.name} ready again")


def test_a_resident_keeps_working_when_their_instance_is_killed(cluster, page: Page):
    nginx: Nginx = cluster["nginx"]
    login_with_stand_in(page, nginx.url, "nikos", next_path="/account")
    expect(page.locator("#account-display-name")).to_have_text("Νίκος Δ.", timeout=20_000)
    served_by_a = len([line for line in (cluster["a"].log.read_text()).splitlines() if '"kind": "event"' in line])
    assert served_by_a, "instance A served the resident's events before it was killed"

    cluster["a"].kill()
    page.goto(nginx.url + "/")  # the next page: HTTP and the websocket now reach B only
    page.locator(".account-link").click()
    page.wait_for_url(re.compile(r".*/account/?$"))
    expect(page.locator("#account-display-name")).to_have_text("Νίκος Δ.", timeout=30_000)
    served_by_b = [line for line in cluster["b"].log.read_text().splitlines() if '"kind": "event"' in line]
    assert served_by_b, "instance B answered the resident's events after A died"

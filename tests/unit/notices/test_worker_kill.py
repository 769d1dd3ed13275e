"""A worker killed (SIGKILL) in the middle of a fan-out, then restarted, delivers
the rest and sends nothing twice; two workers at once share the work."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import select

from syros_app.core.db import session_scope
from syros_app.notices import actions
from syros_app.notices.models import Delivery
from tests.support import personas

from .fakes import BrowserSubscription, FakeHTTPService

ROOT = Path(__file__).resolve().parents[3]


def _start_worker(log: Path) -> subprocess.Popen:
    env = {**os.environ, "SYROS_OUTBOX_LEASE_SECONDS": "3", "SYROS_PUSH_CONCURRENCY": "8", "SYROS_OUTBOX_BATCH": "10"}
    return subprocess.Popen([sys.executable, "-m", "syros_app", "notices", "worker"], cwd=ROOT, env=env,
                            stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True)


def _counts() -> dict[str, int]:
    with session_scope() as session:
        statuses = session.exec(select(Delivery.status)).all()
    return {s: statuses.count(s) for s in ("sent", "pending", "failed")}


def _wait(predicate, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _publish(fake, n):
    subs = [BrowserSubscription(f"{fake.base_url}/push/{i}") for i in range(n)]
    with session_scope() as session:
        staff = personas.administrator(session, "moderator")
        for sub in subs:
            actions.save_push_subscription(session, actor=None, endpoint=sub.endpoint, p256dh=sub.p256dh,
                                           auth=sub.auth, categories=["water"])
    with session_scope() as session:
        actions.publish_notice(session, actor=staff, title="Διακοπή νερού", body="Αύριο", category="water")
    return subs


def _stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def test_killed_worker_restarts_and_delivers_the_rest_without_duplicates(engine, tmp_path):
    log = tmp_path / "worker.log"
    with FakeHTTPService(hold_after=20) as fake:
        fake.hold.set()
        subs = _publish(fake, 60)
        first = _start_worker(log)
        try:
            # 20 accepted and recorded; more are in flight (held) when the worker dies
            assert _wait(lambda: _counts()["sent"] == 20 and len(fake.received) > 20), log.read_text()
            in_flight = len(fake.received) - 20
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        assert in_flight > 0
        fake.abort_held = True
        fake.hold.clear()
        assert _counts() == {"sent": 20, "pending": 40, "failed": 0}
        second = _start_worker(log)
        try:
            assert _wait(lambda: _counts()["sent"] == 60), log.read_text()
        finally:
            _stop(second)
        accepted = [r.path for r in fake.accepted]
        assert sorted(accepted) == sorted(f"/push/{i}" for i in range(60))  # each exactly once
        assert len(set(accepted)) == len(accepted) == 60
        assert all(s.decrypt(next(r.body for r in fake.accepted if r.path == s.endpoint.split(fake.base_url)[1]))
                   for s in subs[:3])


def test_two_worker_processes_share_a_fan_out_without_duplicates(engine, tmp_path):
    log = tmp_path / "workers.log"
    with FakeHTTPService(delay=0.01) as fake:
        _publish(fake, 120)
        procs = [_start_worker(log), _start_worker(log)]
        try:
            assert _wait(lambda: _counts()["sent"] == 120), log.read_text()
        finally:
            for proc in procs:
                _stop(proc)
        accepted = [r.path for r in fake.accepted]
        assert len(accepted) == len(set(accepted)) == 120

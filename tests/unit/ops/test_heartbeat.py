"""Workers' heartbeats (written, aged, shown by /readyz) and surviving a database outage.

The outage test starts its own PostgreSQL (initdb + pg_ctl on a free port), runs the
real ``notices worker`` process against it, stops the server under it and starts it
again: the same process must carry on and send what was queued meanwhile.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlmodel import Session

from syros_app.core.db import make_engine
from syros_app.core.settings import PROJECT_ROOT
from syros_app.core.timefmt import utcnow
from syros_app.ops.heartbeat import (
    NOTICES_WORKER,
    VOTING_TICKER,
    Heartbeat,
    Outage,
    heartbeats,
    write_beat,
)
from tests.support.private_pg import PrivatePostgres


def test_a_beat_is_one_row_per_worker_with_its_age(engine):
    now = utcnow()
    write_beat(engine, NOTICES_WORKER, now=now - timedelta(seconds=100))
    write_beat(engine, NOTICES_WORKER, now=now - timedelta(seconds=5))
    write_beat(engine, VOTING_TICKER, now=now - timedelta(seconds=200))
    beats = heartbeats(engine, now=now)
    assert set(beats) == {NOTICES_WORKER, VOTING_TICKER}
    assert beats[NOTICES_WORKER]["age_seconds"] == 5.0 and beats[NOTICES_WORKER]["stale"] is False
    assert beats[VOTING_TICKER]["age_seconds"] == 200.0 and beats[VOTING_TICKER]["stale"] is True
    assert beats[NOTICES_WORKER]["pid"] == os.getpid()


def test_a_beat_never_raises_and_reports_an_outage_once(caplog):
    dead = make_engine("postgresql://nobody@127.0.0.1:1/none")
    beat = Heartbeat(dead, NOTICES_WORKER, interval=0)
    with caplog.at_level(logging.WARNING, logger="syros_app.ops.heartbeat"):
        assert beat.beat() is False and beat.beat() is False
    assert len([r for r in caplog.records if "cannot write its heartbeat" in r.getMessage()]) == 1


def test_beats_are_spaced_by_their_interval(engine):
    clock = [0.0]
    beat = Heartbeat(engine, NOTICES_WORKER, interval=15, clock=lambda: clock[0])
    assert beat.beat() is True
    clock[0] = 10
    assert beat.beat() is False
    clock[0] = 16
    assert beat.beat() is True


def test_outage_backs_off_and_says_when_it_ends(caplog):
    outage = Outage("notices worker", maximum=8)
    with caplog.at_level(logging.WARNING, logger="syros_app.ops.heartbeat"):
        delays = [outage.failed(RuntimeError("down")) for _ in range(6)]
        outage.recovered()
    assert delays == [1, 2, 4, 8, 8, 8]
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "database error" in m]) == 1
    assert any("working again after 6 failed attempts" in m for m in messages)


def _subscribe(url: str, address: str) -> None:
    from syros_app.notices import actions

    engine = make_engine(url)
    with Session(engine) as session:
        actions.subscribe_email(session, actor=None, email=address, categories=["water"], now=utcnow())
        session.commit()
    engine.dispose()


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(not PrivatePostgres.available(), reason="no PostgreSQL 15 binaries to start a private server")
def test_the_notices_worker_survives_a_database_outage_and_resumes(tmp_path):
    import syros_app.models  # noqa: F401
    from syros_app.core.migrations import upgrade

    pg = PrivatePostgres().init()
    pg.start()
    worker = None
    try:
        upgrade(pg.url)
        data = tmp_path / "data"
        env = {**os.environ, "SYROS_DATABASE_URL": pg.url, "SYROS_DATA_DIR": str(data),
               "SYROS_OUTBOX_POLL_SECONDS": "0.2", "SYROS_SMTP_HOST": "", "SYROS_LOG_FORMAT": "json"}
        worker = subprocess.Popen([sys.executable, "-m", "syros_app", "notices", "worker"], cwd=PROJECT_ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        mail = data / "outbox-mail"
        sent = lambda: len(list(mail.glob("*.eml"))) if mail.exists() else 0
        _subscribe(pg.url, "before@example.gr")
        _wait_for(lambda: sent() == 1, 30, "the first confirmation e-mail")
        check = make_engine(pg.url)
        _wait_for(lambda: NOTICES_WORKER in heartbeats(check), 10, "the worker's heartbeat")
        check.dispose()

        pg.stop("fast")
        time.sleep(4)  # the worker's claims fail meanwhile
        assert worker.poll() is None, "the worker died with the database"
        pg.start()
        pg.wait_ready()
        _subscribe(pg.url, "after@example.gr")
        _wait_for(lambda: sent() == 2, 60, "the e-mail queued after the outage")
        assert worker.poll() is None
        check = make_engine(pg.url)
        assert heartbeats(check)[NOTICES_WORKER]["age_seconds"] < 20
        check.dispose()
    finally:
        if worker is not None:
            worker.terminate()
            _, stderr = worker.communicate(timeout=20)
        pg.destroy()
    assert "database error (OperationalError); retrying with back-off" in stderr
    assert "working again after" in stderr
    assert "before@example.gr" not in stderr and "after@example.gr" not in stderr


@pytest.mark.skipif(not PrivatePostgres.available(), reason="no PostgreSQL 15 binaries to start a private server")
def test_postgresql_restarting_during_a_fan_out_loses_no_notice(tmp_path):
    """A notice to 1,500 e-mail subscribers; the server is restarted while the worker sends."""
    from syros_app.core.migrations import upgrade
    from tests.support import fan_out

    subscribers = 1500
    pg = PrivatePostgres().init()
    pg.start()
    worker = None
    try:
        upgrade(pg.url)
        fan_out.publish_to_subscribers(pg.url, subscribers)
        data = tmp_path / "data"
        env = {**os.environ, "SYROS_DATABASE_URL": pg.url, "SYROS_DATA_DIR": str(data), "SYROS_SMTP_HOST": "",
               "SYROS_OUTBOX_POLL_SECONDS": "0.2", "SYROS_OUTBOX_BATCH": "25", "SYROS_PUSH_CONCURRENCY": "4"}
        worker = subprocess.Popen([sys.executable, "-m", "syros_app", "notices", "worker"], cwd=PROJECT_ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        mail = data / "outbox-mail"
        _wait_for(lambda: len(fan_out.mailed(mail)) >= 20, 60, "the fan-out to start")
        pg.stop("fast")  # mid fan-out
        at_stop = len(fan_out.mailed(mail))
        time.sleep(3)
        assert worker.poll() is None, "the worker died with the database"
        pg.start()
        pg.wait_ready()
        assert at_stop < subscribers, "the restart happened during the fan-out"
        _wait_for(lambda: fan_out.undelivered(pg.url) == 0, 120, "every delivery to be sent")
        recipients = fan_out.mailed(mail)
        assert sorted(recipients) == sorted(fan_out.address(i) for i in range(subscribers))  # each exactly once
        assert worker.poll() is None
    finally:
        if worker is not None:
            worker.terminate()
            worker.communicate(timeout=30)
        pg.destroy()

"""The companion supervisor restarts dead companions with exponential back-off and says why;
``serve app`` refuses a database whose migrations are behind (exit 3) before starting anything."""

from __future__ import annotations

import logging
import sys

from syros_app.ops.supervisor import Supervisor, describe_exit

DIES = [sys.executable, "-c", "import sys; sys.exit(7)"]
LIVES = [sys.executable, "-c", "import time; time.sleep(30)"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _wait_dead(supervisor: Supervisor) -> None:
    for c in supervisor.companions:
        if c.process is not None and c.restart_at is None and c.argv == DIES:
            c.process.wait(timeout=10)


def test_dead_companion_restarted_with_doubling_back_off_capped_at_60_s(caplog):
    clock = FakeClock()
    supervisor = Supervisor([DIES, LIVES], clock=clock)
    caplog.set_level(logging.INFO, logger="syros_app.ops.supervisor")
    supervisor.start()
    try:
        dying, living = supervisor.companions
        for _ in range(9):
            _wait_dead(supervisor)
            supervisor.tick()  # notices the death, schedules the restart
            assert dying.restart_at is not None
            clock.now = dying.restart_at
            supervisor.tick()  # restarts it
        assert dying.delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
        assert dying.restarts == 9
        assert living.restarts == 0 and living.process.poll() is None
        assert "exit code 7" in caplog.text and "restarting in 60 s" in caplog.text
    finally:
        supervisor.stop(timeout=5)
    assert living.process.poll() is not None, "stop() ends the live companions"


def test_a_long_run_resets_the_back_off():
    clock = FakeClock()
    supervisor = Supervisor([DIES], clock=clock)
    supervisor.start()
    companion = supervisor.companions[0]
    for _ in range(3):
        _wait_dead(supervisor)
        supervisor.tick()
        clock.now = companion.restart_at
        supervisor.tick()
    _wait_dead(supervisor)
    clock.now += 120  # it "ran" two minutes before dying
    supervisor.tick()
    assert companion.delays == [1, 2, 4, 1]
    supervisor.stop(timeout=5)


def test_background_loop_restarts_for_real():
    supervisor = Supervisor([DIES], initial=0.05, maximum=0.1)
    supervisor.run_in_background(interval=0.02)
    import time

    deadline = time.monotonic() + 10
    while supervisor.companions[0].restarts < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    supervisor.stop(timeout=5)
    assert supervisor.companions[0].restarts >= 3


def test_describe_exit():
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-9) == "killed by SIGKILL"


def test_serve_refuses_a_database_behind_its_migrations(engine, monkeypatch, capsys):
    import subprocess

    from syros_app.__main__ import main

    def no_process(*_a, **_k):
        raise AssertionError("nothing may start")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    assert main(["serve", "app"]) == 3
    err = capsys.readouterr().err
    assert "migrations are behind" in err and "db upgrade" in err


def test_serve_refuses_an_unreachable_database(monkeypatch, capsys):
    from syros_app.__main__ import main
    from syros_app.core import db
    from syros_app.core.db import make_engine

    monkeypatch.setattr(db, "get_engine", lambda: make_engine("postgresql://nobody@127.0.0.1:1/none"))
    assert main(["serve", "app"]) == 4
    assert "does not answer" in capsys.readouterr().err

"""Keep ``serve app``'s companion processes (notices worker, voting ticker) running.

A companion that dies (a database error in the worker, an OOM kill) is started again
after 1 s, 2 s, 4 s … up to 60 s; a run that lasted a minute resets the wait. Each
death is logged with its exit code or signal, so "notices silently stop" cannot happen.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

log = logging.getLogger("syros_app.ops.supervisor")


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


@dataclass
class Companion:
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    delay: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    delays: list[float] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(self.argv[-2:])


class Supervisor:
    """Starts every command, and on each ``tick`` restarts the dead ones with back-off."""

    def __init__(self, commands: list[list[str]], *, initial: float = 1.0, maximum: float = 60.0,
                 stable_after: float = 60.0, clock=time.monotonic) -> None:
        self.companions = [Companion(list(argv)) for argv in commands]
        self.initial, self.maximum, self.stable_after = initial, maximum, stable_after
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _spawn(self, companion: Companion) -> None:
        companion.process = subprocess.Popen(companion.argv)
        companion.started_at = self.clock()
        companion.restart_at = None

    def start(self) -> None:
        for companion in self.companions:
            self._spawn(companion)

    def tick(self) -> None:
        now = self.clock()
        for c in self.companions:
            if c.restart_at is not None:
                if now >= c.restart_at:
                    c.restarts += 1
                    log.warning("restarting companion %s (restart %d)", c.name, c.restarts)
                    self._spawn(c)
                continue
            if c.process is None or c.process.poll() is None:
                continue
            ran = now - c.started_at
            c.delay = self.initial if ran >= self.stable_after or not c.delay else min(c.delay * 2, self.maximum)
            c.delays.append(c.delay)
            c.restart_at = now + c.delay
            log.error("companion %s stopped (%s) after %.1f s; restarting in %.0f s",
                      c.name, describe_exit(c.process.returncode), ran, c.delay)

    def run_in_background(self, interval: float = 0.5) -> None:
        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.tick()
                except Exception:
                    log.exception("supervisor tick failed")

        self.start()
        self._thread = threading.Thread(target=loop, name="companion-supervisor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """SIGINT every live companion (they finish their batch), then kill the stubborn."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        live = [c.process for c in self.companions if c.process is not None and c.process.poll() is None]
        for proc in live:
            proc.send_signal(signal.SIGINT)
        for proc in live:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()

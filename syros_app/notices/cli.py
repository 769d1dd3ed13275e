"""``python -m syros_app notices worker`` — the outbox worker (started by ``make run``)."""

from __future__ import annotations

import argparse

from syros_app.__main__ import COMPANION_PROCESSES, command

WORKER_ARGV = ["notices", "worker"]
if WORKER_ARGV not in COMPANION_PROCESSES:
    COMPANION_PROCESSES.append(WORKER_ARGV)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--until-idle", action="store_true", help="stop when nothing is left to send")


@command("notices", "worker", "send notices from the outbox (Web Push, e-mail, SMS)", _arguments)
def _worker(args: argparse.Namespace) -> int:
    import asyncio

    from syros_app.core.db import get_engine

    from .worker import Worker, run_forever

    if getattr(args, "until_idle", False):
        sent = asyncio.run(Worker(get_engine()).run(until_idle=True))
        print(f"notices worker: {sent} sent, nothing left to send")
        return 0
    return run_forever()


@command("notices", "vapid-key", "print the VAPID public key (the browser's applicationServerKey)")
def _vapid_key(_args: argparse.Namespace) -> int:
    from .vapid import vapid_public_key

    print(vapid_public_key())
    return 0

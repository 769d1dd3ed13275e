"""Voting commands.

  python -m syros_app voting recount --csv ballots.csv --results results.json
  python -m syros_app voting recount --vote 3        (the published data of vote 3)
  python -m syros_app voting tick                    (open/close due votes once)
  python -m syros_app voting worker                  (tick every minute; runs beside the app)

``recount`` recounts the anonymous ballots of the CSV and compares them with the
published result; it prints the differences and exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from syros_app.__main__ import COMPANION_PROCESSES, command


def _recount_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", help="the published ballots.csv")
    parser.add_argument("--results", help="the published results.json")
    parser.add_argument("--vote", type=int, help="recount vote N from this server's database instead")


@command("voting", "recount", "recount a vote from its published ballot CSV; exit 1 on mismatch", _recount_args)
def recount_command(args: argparse.Namespace) -> int:
    from . import rules

    if args.vote is not None:
        from syros_app.core.db import session_scope
        from syros_app.core.errors import AgoraError

        from . import queries

        try:
            with session_scope() as session:
                _, published = queries.published_results(session, args.vote)
                csv_text = queries.published_ballots_csv(session, args.vote)
        except AgoraError as exc:
            print(f"vote {args.vote}: {exc.message('en')}", file=sys.stderr)
            return 2
    elif args.csv and args.results:
        csv_text = Path(args.csv).read_text(encoding="utf-8")
        published = json.loads(Path(args.results).read_text(encoding="utf-8"))
    else:
        print("give --csv and --results, or --vote", file=sys.stderr)
        return 2
    report = rules.recount(csv_text, published)
    print(f"ballots recounted: {report.recounted.get('ballots', '?')}")
    for option in report.recounted.get("options", []):
        print(f"  {option['id']:>5}  {option['votes']:>7}  {option['percent']:>5}%  {option['title']}")
    if report.recounted.get("winners") is not None:
        print(f"  winning projects: {report.recounted['winners']}")
    if report.ok:
        print("RECOUNT MATCHES the published result")
        return 0
    print("RECOUNT DIFFERS from the published result:")
    for line in report.differences:
        print(f"  - {line}")
    return 1


@command("voting", "tick", "open and close votes that are due, announce those closing soon")
def tick_command(_args: argparse.Namespace) -> int:
    from syros_app.core.db import session_scope

    from .actions import advance_schedules

    with session_scope() as session:
        done = advance_schedules(session)
    print(", ".join(f"{k}={v}" for k, v in done.items()))
    return 0


@command("voting", "worker", "run 'voting tick' every minute")
def worker_command(_args: argparse.Namespace) -> int:
    from syros_app.core.db import session_scope

    from .actions import advance_schedules

    from syros_app.core.db import get_engine
    from syros_app.ops.heartbeat import VOTING_TICKER, Heartbeat, Outage
    from syros_app.ops.logs import configure_logging

    configure_logging()
    heartbeat, outage = Heartbeat(get_engine(), VOTING_TICKER, interval=0), Outage("voting ticker", maximum=60)
    while True:
        try:
            with session_scope() as session:
                advance_schedules(session)
        except Exception as exc:  # noqa: BLE001 - keep the worker alive (database outage); retry sooner
            time.sleep(outage.failed(exc))
            continue
        outage.recovered()
        heartbeat.beat()
        time.sleep(60)


if ["voting", "worker"] not in COMPANION_PROCESSES:
    COMPANION_PROCESSES.append(["voting", "worker"])

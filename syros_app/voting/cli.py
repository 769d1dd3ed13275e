"""Voting commands.

  python -m syros_app voting recount --csv ballots.csv --results results.json
  python -m syros_app voting recount --vote 3        (the published data of vote 3)
  python -m syros_app voting tick                    (open/close due votes once)
  python -m syros_app voting worker                  (tick every minute; runs beside the app)
  python -m syros_app voting verify RECORD           (an encrypted vote's election record, .zip or folder)
  python -m syros_app voting trustee init|deal|check|answer|decrypt --key FILE [--kit KIT] [--out OUT]  (trustee.py)

``recount`` recounts the anonymous ballots of the CSV and compares them with the
published result; it prints the differences and exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import json
import os
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


def _verify_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("record", help="the election record: the .zip from /api/v1/votes/{id}/record, or its folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes checking ballot proofs")


@command("voting", "verify", "verify an encrypted vote's election record; exit 1 naming the first failure", _verify_args)
def verify_command(args: argparse.Namespace) -> int:
    from .crypto import record

    try:
        report = record.verify(record.read_archive(args.record), jobs=max(1, args.jobs))
    except (record.RecordError, OSError) as exc:
        print(f"RECORD DOES NOT VERIFY: {exc}")
        return 1
    print(f"ballots verified: {report.ballots}; spoiled (audited, not counted): {report.spoiled}; "
          f"decrypted by trustees {', '.join(map(str, report.trustees_decrypting))}")
    for option_id, votes in report.counts.items():
        print(f"  option {option_id:>5}: {votes}")
    print("RECORD VERIFIES: every proof, the aggregation, each partial decryption and the counts")
    return 0


def _trustee_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("step", choices=list(_TRUSTEE_STEPS))
    parser.add_argument("--key", required=True, help="your trustee key file (kept by you, passphrase-protected)")
    parser.add_argument("--kit", help="the vote's /api/v1/votes/{id}/trustee-kit.json (every step but init)")
    parser.add_argument("--out", help="where to write what you post on /votes/{id}/trustee (default: print it)")


_TRUSTEE_STEPS = ("init", "deal", "check", "answer", "decrypt")


@command("voting", "trustee", "a trustee's offline steps: init, deal, check, answer, decrypt (see voting/trustee.py)",
         _trustee_args)
def trustee_command(args: argparse.Namespace) -> int:
    from . import trustee

    try:
        key = Path(args.key)
        if args.step == "init":
            output = trustee.init(key, trustee._passphrase(confirm=True))
        else:
            if not args.kit:
                print("give --kit", file=sys.stderr)
                return 2
            kit = json.loads(Path(args.kit).read_text(encoding="utf-8"))
            output = getattr(trustee, args.step)(key, kit, trustee._passphrase())
    except (trustee.TrusteeError, OSError, ValueError, KeyError) as exc:
        print(f"trustee {args.step}: {exc}", file=sys.stderr)
        return 1
    if output is None:  # check: every share verifies
        print("every share dealt to you matches its dealer's commitments: nothing to post")
        return 0
    text = json.dumps(output, indent=1)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}: paste or upload it on the vote's trustee page")
    else:
        print(text)
    return 0


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

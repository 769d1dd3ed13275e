"""``python -m syros_app opengov diavgeia-sync [--from D] [--to D]``: import the
municipality's decisions from Diavgeia (idempotent; run it daily from a timer)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from datetime import date

from syros_app.__main__ import command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=date.fromisoformat, help="first issue date (default: a year ago)")
    parser.add_argument("--to", dest="end", type=date.fromisoformat, help="last issue date (default: today)")


@command("opengov", "diavgeia-sync", "import the municipality's decisions from Diavgeia", _arguments)
def _diavgeia_sync(args: argparse.Namespace) -> int:
    from syros_app.identity.actions import cli_actor

    from .diavgeia import SyncFailed
    from .sync import default_range, sync

    from syros_app.core.errors import AgoraError
    from syros_app.core.i18n import translate
    from syros_app.core.settings import diavgeia_org

    if not diavgeia_org():  # both languages: the IT officer may read either
        for lang in ("el", "en"):
            print(translate("decisions.errors.org_unset", lang), file=sys.stderr)
        return 2
    start, end = default_range()
    start, end = args.start or start, args.end or end
    if end < start:
        print("--to is before --from", file=sys.stderr)
        return 2
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        user = "unknown"
    try:
        fetched, added = asyncio.run(sync(actor=cli_actor(user), start=start, end=end))
    except SyncFailed as exc:
        print(f"Diavgeia did not answer: {exc}", file=sys.stderr)
        return 1
    except AgoraError as exc:
        print(translate(exc.key, "en", **exc.params), file=sys.stderr)
        return 2
    print(f"diavgeia: {fetched} decisions from {start} to {end}, {added} new")
    return 0

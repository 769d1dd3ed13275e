"""``python -m syros_app identity create-admin --taxid … --name "…"``: the first administrator."""

from __future__ import annotations

import argparse
import getpass
import sys

from syros_app.__main__ import command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--taxid", required=True, help="the person's ΑΦΜ (9 digits); only its keyed hash is stored")
    parser.add_argument("--name", required=True, help='full name, e.g. "Ελένη Παπαδάκη" (shown as "Ελένη Π.")')


@command("identity", "create-admin", "make a person an administrator (the first one, or any)", _arguments)
def _create_admin(args: argparse.Namespace) -> int:
    from syros_app.core.db import session_scope
    from syros_app.core.errors import AgoraError
    from syros_app.core.i18n import translate

    from .actions import cli_actor, create_administrator

    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        user = "unknown"
    try:
        with session_scope() as session:
            person = create_administrator(session, actor=cli_actor(user), taxid=args.taxid, name=args.name)
            person_id, name = person.id, person.display_name
    except AgoraError as exc:
        print(translate(exc.key, "en", **exc.params), file=sys.stderr)
        return 2
    print(f"administrator: person {person_id} ({name})")
    return 0

"""``backup create FILE`` and ``backup restore FILE``."""

from __future__ import annotations

import argparse
import sys

from syros_app.__main__ import command


def _file_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the archive (.tar.gz)")


def _restore_arguments(parser: argparse.ArgumentParser) -> None:
    _file_argument(parser)
    parser.add_argument("--yes", action="store_true", help="replace the current database without asking")


@command("backup", "create", "write the database and data files to one archive (never the secret keys)",
         _file_argument)
def _backup_create(args: argparse.Namespace) -> int:
    from pathlib import Path

    from syros_app.core.db import get_engine
    from syros_app.core.settings import get_settings

    from .backup import BackupError, create_backup

    try:
        manifest = create_backup(Path(args.file), get_engine(), get_settings().data_dir)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    rows = sum(manifest["row_counts"].values())
    print(f"backup written to {args.file}: {manifest['backend']}, {len(manifest['row_counts'])} tables, "
          f"{rows} rows, {len(manifest['files'])} files (secret key and VAPID private key not included)")
    return 0


@command("backup", "restore", "restore an archive into the configured database and data folder",
         _restore_arguments)
def _backup_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from syros_app.core.db import get_engine
    from syros_app.core.settings import get_settings

    from .backup import BackupError, describe_url, restore_backup, row_counts

    engine = get_engine()
    if any(n for table, n in row_counts(engine).items() if table != "alembic_version") and not args.yes:
        print(f"{describe_url(engine)} is not empty; stop the app and pass --yes to replace it", file=sys.stderr)
        return 2
    try:
        mismatches = restore_backup(Path(args.file), engine, get_settings().data_dir)
    except BackupError as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    if mismatches:
        for table, (expected, found) in sorted(mismatches.items()):
            print(f"row count differs in {table}: archive {expected}, database {found}", file=sys.stderr)
        return 1
    print(f"restored {args.file} into {describe_url(engine)}; every table's row count matches. "
          "Next: python -m syros_app audit verify")
    return 0


@command("settings", "vapid-keys", "print a new VAPID key pair for the environment file (once, for every machine)")
def _vapid_keys(_args: argparse.Namespace) -> int:
    from py_vapid import Vapid02

    from syros_app.notices.vapid import b64url, public_key_b64

    vapid = Vapid02()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    print(f"SYROS_VAPID_PRIVATE_KEY={b64url(private)}")
    print(f"SYROS_VAPID_PUBLIC_KEY={public_key_b64(vapid)}")
    return 0

"""One archive holds everything needed to rebuild a site: the database and the data
folder's files (photos, attachments), with a manifest of row counts and checksums.

The secret key and the VAPID private key are never included: a stolen backup must
not let anyone forge sessions or push notices. Keep them apart (the runbook says how).

Archive layout (``.tar.gz``)::

    manifest.json            format, created_at, backend, migration heads, row counts, files
    database/agora.sqlite    SQLite: a consistent copy (sqlite3 online backup API)
    database/agora.pgdump    PostgreSQL: ``pg_dump --format=custom``
    files/<relative path>    the data folder, minus the database and secrets
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

FORMAT = 1
# Secrets (and the live database files) that never go into an archive.
EXCLUDED = ("secret_key*", "*private*", "*.pem", "*.key", "*.db", "*.db-wal", "*.db-shm", "*.db-journal",
            "*.sqlite", "*.sqlite-wal", "*.sqlite-shm")


class BackupError(RuntimeError):
    """The archive cannot be made or restored; the message says why."""


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table, every table the database has (Alembic's included)."""
    names = sorted(inspect(engine).get_table_names())
    preparer = engine.dialect.identifier_preparer
    with engine.connect() as conn:
        return {name: conn.execute(text(f"SELECT COUNT(*) FROM {preparer.quote(name)}")).scalar_one()
                for name in names}


def _data_files(data_dir: Path) -> list[Path]:
    if not data_dir.is_dir():
        return []
    files = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and not path.is_symlink() and not any(fnmatch.fnmatch(path.name, p) for p in EXCLUDED):
            files.append(path)
    return files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    """sqlite3's online backup API: page by page, under SQLite's own locking."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _dump_database(engine: Engine, workdir: Path) -> Path:
    if engine.dialect.name == "sqlite":
        target = workdir / "agora.sqlite"
        _sqlite_copy(_sqlite_path(engine), target)  # consistent even while the app writes
        return target
    if engine.dialect.name == "postgresql":
        target = workdir / "agora.pgdump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
              "--dbname", _libpq_url(engine)])
        return target
    raise BackupError(f"unsupported database: {engine.dialect.name}")


def _run(argv: list[str]) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(f"{argv[0]} is not installed (Debian: apt install postgresql-client)")
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()[-2000:]}")


def create_backup(archive: Path, engine: Engine, data_dir: Path) -> dict:
    """Write the archive (atomically: a half-written file never carries the final name)."""
    from syros_app.ops.checks import migration_state

    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="syros-backup-") as tmp:
        dump = _dump_database(engine, Path(tmp))
        files = _data_files(data_dir)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "backend": engine.dialect.name,
            "migrations": list(migration_state(engine).current),
            "row_counts": row_counts(engine),
            "database": {"name": dump.name, "sha256": _sha256(dump)},
            "files": [{"path": p.relative_to(data_dir).as_posix(), "size": p.stat().st_size, "sha256": _sha256(p)}
                      for p in files],
        }
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            blob = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(blob), int(datetime.now(UTC).timestamp()), 0o600
            tar.addfile(info, io.BytesIO(blob))
            tar.add(dump, arcname=f"database/{dump.name}")
            for path in files:
                tar.add(path, arcname="files/" + path.relative_to(data_dir).as_posix())
        os.chmod(partial, 0o600)  # it holds personal data
        partial.replace(archive)
    return manifest


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("not a Syros Agora backup: no manifest.json")
        manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _restore_database(engine: Engine, dump: Path) -> None:
    if engine.dialect.name == "sqlite":
        engine.dispose()
        target = _sqlite_path(engine)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(dump, target)  # replaces every page of the target
        return
    engine.dispose()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
          "--exit-on-error", "--dbname", _libpq_url(engine), str(dump)])


def restore_backup(archive: Path, engine: Engine, data_dir: Path) -> dict:
    """Restore the database and files; returns ``{table: (expected, found)}`` mismatches."""
    manifest = read_manifest(archive)
    if manifest["backend"] != engine.dialect.name:
        raise BackupError(f"this is a {manifest['backend']} backup; the configured database is {engine.dialect.name}")
    with tempfile.TemporaryDirectory(prefix="syros-restore-") as tmp, tarfile.open(archive, "r:gz") as tar:
        name = manifest["database"]["name"]
        tar.extract(f"database/{name}", tmp, filter="data")
        dump = Path(tmp) / "database" / name
        if _sha256(dump) != manifest["database"]["sha256"]:
            raise BackupError("the database dump in the archive is damaged (checksum mismatch)")
        _restore_database(engine, dump)
        members = [m for m in tar.getmembers() if m.name.startswith("files/") and m.isfile()]
        for member in members:
            member.name = member.name[len("files/"):]
        data_dir.mkdir(parents=True, exist_ok=True)
        tar.extractall(data_dir, members=members, filter="data")
    found = row_counts(engine)
    return {table: (count, found.get(table)) for table, count in manifest["row_counts"].items()
            if found.get(table) != count}


def describe_url(engine: Engine) -> str:
    return make_url(engine.url).render_as_string(hide_password=True)

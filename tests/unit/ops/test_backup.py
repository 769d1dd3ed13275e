"""Restore drill on SQLite and PostgreSQL: demo data → backup → empty database → restore →
``audit verify`` passes and every table's row count matches; secrets never in the archive."""

from __future__ import annotations

import os
import tarfile
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from syros_app.core import db, settings
from syros_app.ops.backup import row_counts

PHOTO = b"\xff\xd8\xff fake jpeg bytes"


def _use(monkeypatch, url: str, data_dir) -> None:
    monkeypatch.setenv("SYROS_DATABASE_URL", url)
    monkeypatch.setenv("SYROS_DATA_DIR", str(data_dir))
    settings.reset_settings_cache()
    db._engine_for.cache_clear()


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    """Two fresh PostgreSQL databases: the live site and the empty one to restore into."""
    from syros_app.core.db import make_engine

    admin_url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL required under CI=true: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {admin_url}")
    names = [f"syros_backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("live", "empty")]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(admin_url)
    yield tuple(base.set(database=name).render_as_string(hide_password=False) for name in names)
    db._engine_for.cache_clear()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _drill(monkeypatch, tmp_path, live_url: str, empty_url: str, capsys) -> None:
    from syros_app.__main__ import main
    from syros_app.core.db import get_engine
    from syros_app.core.migrations import upgrade
    from syros_app.demo.seed import load_demo_data

    live_dir, restored_dir = tmp_path / "live-data", tmp_path / "restored-data"
    _use(monkeypatch, live_url, live_dir)
    upgrade(live_url)
    assert sum(load_demo_data().values()) > 0
    (live_dir / "reports" / "photos").mkdir(parents=True, exist_ok=True)
    (live_dir / "reports" / "photos" / "1.jpg").write_bytes(PHOTO)
    (live_dir / "vapid_private.pem").write_text("-----BEGIN PRIVATE KEY-----")
    assert (live_dir / "secret_key").exists()
    secret = (live_dir / "secret_key").read_text()
    before = row_counts(get_engine())
    assert before["audit_entry"] > 0 and before["alembic_version"] >= 1, "the drill needs an audit chain to verify"
    archive = tmp_path / "site.tar.gz"
    assert main(["backup", "create", str(archive)]) == 0

    names = tarfile.open(archive).getnames()
    assert "files/reports/photos/1.jpg" in names and "manifest.json" in names
    assert not any(n.endswith(("secret_key", "vapid_private.pem")) or n.endswith(".db") for n in names), names

    # a new machine: empty database, empty data folder, the secret key carried separately
    restored_dir.mkdir()
    (restored_dir / "secret_key").write_text(secret)
    _use(monkeypatch, empty_url, restored_dir)
    capsys.readouterr()
    assert main(["backup", "restore", str(archive)]) == 0, capsys.readouterr().err
    assert row_counts(get_engine()) == before
    assert (restored_dir / "reports" / "photos" / "1.jpg").read_bytes() == PHOTO
    assert main(["audit", "verify"]) == 0
    assert "chain intact" in capsys.readouterr().out
    assert main(["backup", "restore", str(archive)]) == 2, "a database with data is not replaced without --yes"


def test_restore_drill_sqlite(monkeypatch, tmp_path, capsys):
    _drill(monkeypatch, tmp_path, f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'empty.db'}", capsys)


def test_restore_drill_postgresql(monkeypatch, tmp_path, capsys, pg_databases):
    _drill(monkeypatch, tmp_path, *pg_databases, capsys)


def test_a_backup_of_one_backend_is_not_restored_into_the_other(monkeypatch, tmp_path, pg_databases):
    from syros_app.core.db import get_engine
    from syros_app.core.migrations import upgrade
    from syros_app.ops.backup import BackupError, create_backup, restore_backup

    url = f"sqlite:///{tmp_path / 'a.db'}"
    _use(monkeypatch, url, tmp_path / "d")
    upgrade(url)
    create_backup(tmp_path / "a.tar.gz", get_engine(), tmp_path / "d")
    _use(monkeypatch, pg_databases[1], tmp_path / "d")
    with pytest.raises(BackupError, match="sqlite backup"):
        restore_backup(tmp_path / "a.tar.gz", get_engine(), tmp_path / "d")

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from syros_app.core import audit


def _fill(session, n=5):
    start = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    for i in range(n):
        audit.record(session, actor="person:1", action="test.action", target=f"thing:{i}",
                     details={"n": i, "text": "Ερμούπολη"}, now=start + timedelta(minutes=i))
    session.commit()


def test_chain_verifies_and_links(session):
    _fill(session)
    result = audit.verify_chain(session)
    assert result.ok and result.checked == 5
    entries = session.exec(audit.select(audit.AuditEntry).order_by(audit.AuditEntry.id)).all()
    assert entries[0].prev_hash == audit.GENESIS_HASH
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:]))


def test_update_and_delete_are_refused_by_the_database(session):
    _fill(session, 2)
    with pytest.raises(DBAPIError):
        session.execute(text("UPDATE audit_entry SET actor = 'x' WHERE id = 1"))
    session.rollback()
    with pytest.raises(DBAPIError):
        session.execute(text("DELETE FROM audit_entry WHERE id = 2"))
    session.rollback()


def _drop_protection(session):
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER audit_entry_append_only ON audit_entry"))
    else:
        session.execute(text("DROP TRIGGER audit_entry_no_update"))
        session.execute(text("DROP TRIGGER audit_entry_no_delete"))
    # not committed: verification runs in the same transaction, which the test
    # then rolls back, so the shared PostgreSQL schema keeps its triggers


def test_tampered_content_is_reported_at_the_right_entry(session):
    _fill(session)
    _drop_protection(session)
    session.execute(text("UPDATE audit_entry SET details = '{\"n\": 99}' WHERE id = 3"))
    result = audit.verify_chain(session)
    assert not result.ok and result.broken_id == 3 and result.checked == 2
    assert "altered" in result.reason
    session.rollback()


def test_deleted_entry_breaks_the_next_link(session):
    _fill(session)
    _drop_protection(session)
    session.execute(text("DELETE FROM audit_entry WHERE id = 2"))
    result = audit.verify_chain(session)
    assert not result.ok and result.broken_id == 3
    session.rollback()


def test_chain_cannot_fork(session):
    """Two entries may never claim the same predecessor."""
    _fill(session, 1)
    first = session.exec(audit.select(audit.AuditEntry)).one()
    forged = audit.AuditEntry(created_at=datetime.now(timezone.utc), actor="x", action="y", target="z",
                              details="{}", prev_hash=audit.GENESIS_HASH, entry_hash="f" * 64)
    session.add(forged)
    with pytest.raises(Exception):
        session.commit()
    session.rollback()
    assert first.prev_hash == audit.GENESIS_HASH

"""Append-only, hash-chained audit log of staff actions.

Each entry stores the hash of the previous entry and its own hash over its
content, so editing or deleting any row breaks the chain from that row on.
``prev_hash`` is unique, so two concurrent appends can never both follow the
same entry (the chain cannot fork); on PostgreSQL appends are also serialised
with a transaction-level advisory lock. Database triggers refuse UPDATE and
DELETE; :func:`verify_chain` finds tampering done by someone who removed them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DDL, Column, Text, event, text
from sqlmodel import Field, Session, SQLModel, select

from .timefmt import as_utc, utcnow

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_ID = 7_202_611  # arbitrary, stable: "audit"


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(index=True)
    actor: str = Field(max_length=80, description="person id, 'system' or 'cli:<user>'")
    action: str = Field(max_length=80, index=True)
    target: str = Field(max_length=200)
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(max_length=64, unique=True)
    entry_hash: str = Field(max_length=64, unique=True)


_NO_UPDATE_SQLITE = DDL(
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"
)
_NO_DELETE_SQLITE = DDL(
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"
)
_PG_FUNCTION = DDL(
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END; $$ LANGUAGE plpgsql"
)
_PG_TRIGGER = DDL(
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
)
APPEND_ONLY_DDL = {
    "sqlite": [_NO_UPDATE_SQLITE, _NO_DELETE_SQLITE],
    "postgresql": [_PG_FUNCTION, _PG_TRIGGER],
}
for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _ddl in _statements:
        event.listen(AuditEntry.__table__, "after_create", _ddl.execute_if(dialect=_dialect))


def _canonical(created_at: datetime, actor: str, action: str, target: str, details: str, prev_hash: str) -> bytes:
    payload = {
        "created_at": as_utc(created_at).replace(tzinfo=None).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "target": target,
        "details": details,
        "prev_hash": prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(
        _canonical(entry.created_at, entry.actor, entry.action, entry.target, entry.details, entry.prev_hash)
    ).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    details: dict | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction (it commits with the action)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _ADVISORY_LOCK_ID})
    last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    created_at = as_utc(now or utcnow())
    entry = AuditEntry(
        created_at=created_at,
        actor=str(actor),
        action=action,
        target=str(target),
        details=json.dumps(details or {}, sort_keys=True, ensure_ascii=False),
        prev_hash=last.entry_hash if last else GENESIS_HASH,
        entry_hash="",
    )
    entry.entry_hash = compute_hash(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify_chain(session: Session) -> VerifyResult:
    """Walk the chain in id order; report the first entry whose link is broken."""
    expected_prev = GENESIS_HASH
    checked = 0
    for entry in session.exec(select(AuditEntry).order_by(AuditEntry.id)):
        if entry.prev_hash != expected_prev:
            return VerifyResult(False, checked, entry.id, "previous-hash link does not match (entry missing or altered before it)")
        if compute_hash(entry) != entry.entry_hash:
            return VerifyResult(False, checked, entry.id, "content does not match its hash (entry altered)")
        expected_prev = entry.entry_hash
        checked += 1
    return VerifyResult(True, checked)

"""Shared set-up for consultation tests: a fixed clock and a ready consultation."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from syros_app.consultations import actions
from syros_app.core.audit import AuditEntry

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


def make_consultation(session, staff, *, mode="post", status="open", opens=None, closes=None, sections=2, now=NOW):
    c = actions.create_consultation(
        session, actor=staff, title="Κανονισμός παραλιών", summary="Σχέδιο κανονισμού", category="environment",
        opens_at=opens or now - timedelta(days=1), closes_at=closes or now + timedelta(days=10),
        moderation_mode=mode, sections=[(f"Άρθρο {i}", f"Κείμενο του άρθρου {i}.") for i in range(1, sections + 1)],
        now=now - timedelta(days=2),
    )
    if status in ("open", "closed"):
        actions.open_consultation(session, actor=staff, consultation_id=c.id, now=now - timedelta(days=2))
    if status == "closed":
        actions.close_consultation(session, actor=staff, consultation_id=c.id, now=now, reason="Κλείνει νωρίτερα για τη δοκιμή.")
    session.commit()
    return c


def audit_actions(session, prefix="consultations."):
    return [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all() if e.action.startswith(prefix)]


def last_audit(session) -> AuditEntry:
    return session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


def details(entry: AuditEntry) -> dict:
    return json.loads(entry.details)

"""Reads of identity: people's names, staff, rolls, eligibility, and "download my data"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, select

from syros_app.core.actions import action
from syros_app.core.audit import AuditEntry
from syros_app.core.errors import PermissionDenied
from syros_app.core.i18n import translate

from .models import LoginSession, Person, RoleGrant, VoterRoll, VoterRollEntry
from .permissions import LOGIN_REQUIRED, MATRIX
from .roles import Actor


def public_name_in(person: Person | None, lang: str = "el") -> str:
    """The name others see, in the reader's language for a deleted account."""
    if person is None or person.deleted_at is not None:
        return translate("identity.deleted_user", lang)
    return person.nickname or person.display_name


def rolls_of(session: Session, taxid_hmac: str | None) -> list[tuple[str, str | None]]:
    """(roll name, municipal unit) of every roll the person is on."""
    if not taxid_hmac:
        return []
    rows = session.exec(
        select(VoterRoll.name, VoterRollEntry.municipal_unit)
        .join(VoterRollEntry, VoterRollEntry.roll_id == VoterRoll.id)
        .where(VoterRollEntry.taxid_hmac == taxid_hmac)
        .order_by(VoterRoll.name)
    ).all()
    return [(name, unit) for name, unit in rows]


def roll_entry_for(session: Session, roll_id: int, taxid_hmac: str | None) -> VoterRollEntry | None:
    """The person's entry on a roll (for eligibility checks), or None."""
    if not taxid_hmac:
        return None
    return session.exec(select(VoterRollEntry).where(VoterRollEntry.roll_id == roll_id,
                                                     VoterRollEntry.taxid_hmac == taxid_hmac)).first()


def list_rolls(session: Session) -> list[VoterRoll]:
    return list(session.exec(select(VoterRoll).order_by(VoterRoll.created_at.desc(), VoterRoll.id.desc())).all())


@dataclass(frozen=True)
class StaffMember:
    person_id: int
    name: str
    role: str
    granted_at: datetime
    department: str | None = None


def staff_members(session: Session) -> list[StaffMember]:
    rows = session.exec(
        select(RoleGrant, Person).join(Person, Person.id == RoleGrant.person_id)
        .order_by(RoleGrant.role, Person.display_name, Person.id)
    ).all()
    return [StaffMember(p.id, p.public_name, g.role, g.granted_at, g.department) for g, p in rows]


def role_audit(session: Session, limit: int = 20) -> list[AuditEntry]:
    return list(session.exec(
        select(AuditEntry).where(AuditEntry.action.in_(("identity.grant_role", "identity.revoke_role")))
        .order_by(AuditEntry.id.desc()).limit(limit)
    ).all())


def audit_entries_about(session: Session, person_id: int) -> list[AuditEntry]:
    ref = f"person:{person_id}"
    return list(session.exec(
        select(AuditEntry).where(or_(AuditEntry.actor == ref, AuditEntry.target == ref)).order_by(AuditEntry.id)
    ).all())


def person_names(session: Session, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.exec(select(Person).where(Person.id.in_(ids))).all()}


def roll_entry_count(session: Session, roll_id: int) -> int:
    return session.exec(select(func.count()).select_from(VoterRollEntry).where(VoterRollEntry.roll_id == roll_id)).one()


def own_person(session: Session, actor: Actor | None, permission: str) -> Person:
    """The acting person's own live row, if the matrix lets them ``permission`` on it."""
    person = session.get(Person, actor.person_id) if actor is not None else None
    if person is None:
        raise PermissionDenied(LOGIN_REQUIRED)
    MATRIX.enforce(actor, permission, person)
    return person


# --- "download my data" ------------------------------------------------------------------------

# Sections other capabilities add: name -> fn(session, person_id) -> JSON-able.
EXPORT_SECTIONS: dict[str, Callable[[Session, int], Any]] = {}


def register_export_section(name: str, provider: Callable[[Session, int], Any]) -> None:
    """Let a capability add what it holds about a person to the GDPR export."""
    EXPORT_SECTIONS[name] = provider


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@action(MATRIX, "export_my_data")
def export_my_data(session: Session, *, actor: Actor | None) -> dict:
    """Everything held about the acting person, as JSON-able data (a read, but only of oneself)."""
    person = own_person(session, actor, "export_my_data")
    sessions = session.exec(select(LoginSession).where(LoginSession.person_id == person.id)
                            .order_by(LoginSession.created_at)).all()
    data = {
        "person": {
            "id": person.id,
            "display_name": person.display_name,
            "nickname": person.nickname,
            "birth_year": person.birth_year,
            "father_name": person.father_name,
            "first_login_at": _iso(person.first_login_at),
            "last_login_at": _iso(person.last_login_at),
            "tax_number": "not stored: only a keyed hash (HMAC-SHA256) is kept",
            "taxid_hmac": person.taxid_hmac,
        },
        "roles": sorted(r.value for r in actor.roles),
        "voter_rolls": [{"roll": name, "municipal_unit": unit} for name, unit in rolls_of(session, person.taxid_hmac)],
        "login_sessions": [{"created_at": _iso(s.created_at), "last_seen_at": _iso(s.last_seen_at),
                            "expires_at": _iso(s.expires_at)} for s in sessions],
        "audit_entries": [{"at": _iso(e.created_at), "actor": e.actor, "action": e.action, "target": e.target}
                          for e in audit_entries_about(session, person.id)],
    }
    for name, provider in EXPORT_SECTIONS.items():
        data[name] = provider(session, person.id)
    return data

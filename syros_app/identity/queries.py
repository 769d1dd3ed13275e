"""Reads of identity: people's names, staff, rolls, eligibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, select

from syros_app.core.audit import AuditEntry
from syros_app.core.i18n import translate

from .models import Person, RoleGrant, VoterRoll, VoterRollEntry


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


def staff_members(session: Session) -> list[StaffMember]:
    rows = session.exec(
        select(RoleGrant, Person).join(Person, Person.id == RoleGrant.person_id)
        .order_by(RoleGrant.role, Person.display_name, Person.id)
    ).all()
    return [StaffMember(p.id, p.public_name, g.role, g.granted_at) for g, p in rows]


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

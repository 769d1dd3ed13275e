"""Every write of identity: one function per use case, in the caller's transaction.

``verb_noun(session, *, actor, …, now=None)``: check permission, validate,
write, audit where staff act, raise a typed translatable error on refusal.
The raw ΑΦΜ only passes through memory here: it is hashed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core import audit, events
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.core.timefmt import as_utc, utcnow

from . import permissions, rules
from .govgr import GovgrProfile, display_name_for
from .hashing import is_valid_taxid, normalise_taxid, taxid_hmac
from .models import LoginSession, Person, RoleGrant, VoterRoll, VoterRollEntry
from .roles import STAFF_ROLES, Actor, Role
from .sessions import create_login_session, end_all_sessions, end_login_session

# Sections other capabilities add to "download my data": name -> fn(session, person_id) -> JSON-able.
EXPORT_SECTIONS: dict[str, object] = {}


def register_export_section(name: str, provider) -> None:
    """Let a capability add what it holds about a person to the GDPR export."""
    EXPORT_SECTIONS[name] = provider


# --- login -------------------------------------------------------------------------------------

def login_person(
    session: Session, *, profile: GovgrProfile, previous_token: str | None = None, now: datetime | None = None
) -> tuple[Person, str]:
    """Create or update the person gov.gr vouched for and start a new session.

    Returns the person and the new session token (a fresh one at every login;
    the browser's previous session, if any, is ended).
    """
    now = as_utc(now or utcnow())
    if not is_valid_taxid(profile.taxid):
        raise InvalidInput("identity.errors.invalid_taxid")
    digest = taxid_hmac(profile.taxid)
    person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
    if person is None:
        person = Person(taxid_hmac=digest, display_name="", first_login_at=now)
    if person.first_login_at is None:  # e.g. staff created by the CLI before their first login
        person.first_login_at = now
    person.display_name = display_name_for(profile.first_name, profile.last_name)
    if profile.birth_year:
        person.birth_year = profile.birth_year
    person.last_login_at = now
    session.add(person)
    try:
        session.flush()
    except IntegrityError as exc:  # two first logins of one person at once
        session.rollback()
        raise AgoraError("identity.errors.try_again") from exc
    end_login_session(session, previous_token)
    token = create_login_session(session, person, now=now)
    return person, token


def logout(session: Session, *, token: str | None) -> None:
    end_login_session(session, token)


# --- my account --------------------------------------------------------------------------------

def _own_person(session: Session, actor: Actor | None) -> Person:
    if not permissions.may_manage_own_account(actor):
        raise PermissionDenied("identity.errors.login_required")
    person = session.get(Person, actor.person_id)
    if person is None or person.deleted_at is not None or person.taxid_hmac != actor.taxid_hmac:
        raise PermissionDenied("identity.errors.login_required")
    return person


def update_nickname(session: Session, *, actor: Actor | None, nickname: str | None, now: datetime | None = None) -> Person:
    person = _own_person(session, actor)
    try:
        person.nickname = rules.clean_nickname(nickname)
    except ValueError as exc:
        raise InvalidInput(str(exc), min=rules.NICKNAME_MIN, max=rules.NICKNAME_MAX) from exc
    session.add(person)
    session.flush()
    return person


def _administrator_count(session: Session, *, lock: bool = False) -> int:
    query = select(RoleGrant.id).where(RoleGrant.role == Role.ADMINISTRATOR.value)
    if lock:
        query = query.with_for_update()
    return len(session.exec(query).all())


def delete_account(session: Session, *, actor: Actor | None, now: datetime | None = None) -> None:
    """Forget who the person is; their public contributions stay as "deleted user"."""
    now = as_utc(now or utcnow())
    person = _own_person(session, actor)
    grants = session.exec(select(RoleGrant).where(RoleGrant.person_id == person.id)).all()
    if any(g.role == Role.ADMINISTRATOR.value for g in grants) and _administrator_count(session, lock=True) <= 1:
        raise AgoraError("identity.errors.last_administrator_delete")
    for grant in grants:
        session.delete(grant)
    end_all_sessions(session, person.id)
    former_taxid_hmac = person.taxid_hmac
    person.taxid_hmac = None
    person.nickname = None
    person.display_name = ""
    person.birth_year = None
    person.first_login_at = None
    person.last_login_at = None
    person.deleted_at = now
    session.add(person)
    session.flush()
    # The former hash travels in memory only, for capabilities that key rows by it
    # (voting's participation records); it is never stored again.
    events.publish(session, "identity.person_deleted",
                   {"person_id": person.id, "former_taxid_hmac": former_taxid_hmac}, now=now)
    audit.record(session, actor=actor.audit_name, action="identity.delete_account",
                 target=f"person:{person.id}", details={"roles_removed": sorted(g.role for g in grants)}, now=now)


def export_my_data(session: Session, *, actor: Actor | None) -> dict:
    """Everything held about the acting person, as JSON-able data."""
    from . import queries

    person = _own_person(session, actor)
    sessions = session.exec(select(LoginSession).where(LoginSession.person_id == person.id)
                            .order_by(LoginSession.created_at)).all()
    data = {
        "person": {
            "id": person.id,
            "display_name": person.display_name,
            "nickname": person.nickname,
            "birth_year": person.birth_year,
            "first_login_at": person.first_login_at.isoformat() if person.first_login_at else None,
            "last_login_at": person.last_login_at.isoformat() if person.last_login_at else None,
            "tax_number": "not stored: only a keyed hash (HMAC-SHA256) is kept",
            "taxid_hmac": person.taxid_hmac,
        },
        "roles": sorted(r.value for r in actor.roles),
        "voter_rolls": [{"roll": name, "municipal_unit": unit} for name, unit in queries.rolls_of(session, person.taxid_hmac)],
        "login_sessions": [
            {"created_at": s.created_at.isoformat(), "last_seen_at": s.last_seen_at.isoformat(),
             "expires_at": s.expires_at.isoformat()} for s in sessions
        ],
        "audit_entries": [
            {"at": e.created_at.isoformat(), "actor": e.actor, "action": e.action, "target": e.target}
            for e in queries.audit_entries_about(session, person.id)
        ],
    }
    for name, provider in EXPORT_SECTIONS.items():
        data[name] = provider(session, person.id)
    return data


# --- roles -------------------------------------------------------------------------------------

def _staff_role(role: str) -> Role:
    try:
        value = Role(str(role))
    except ValueError as exc:
        raise InvalidInput("identity.errors.unknown_role") from exc
    if value not in STAFF_ROLES:
        raise InvalidInput("identity.errors.unknown_role")
    return value


def grant_role(session: Session, *, actor: Actor | None, taxid: str, role: str, now: datetime | None = None) -> Person:
    """Give a staff role to the person with this ΑΦΜ (they must have logged in once)."""
    if not permissions.may_grant_roles(actor):
        raise PermissionDenied()
    now = as_utc(now or utcnow())
    value = _staff_role(role)
    raw = str(taxid or "").strip()
    if not (len(raw) == 9 and raw.isdigit() and is_valid_taxid(raw)):
        raise InvalidInput("identity.errors.invalid_taxid")
    person = session.exec(select(Person).where(Person.taxid_hmac == taxid_hmac(raw))).first()
    if person is None or person.deleted_at is not None:
        raise NotFound("identity.errors.person_not_found")
    exists = session.exec(select(RoleGrant).where(RoleGrant.person_id == person.id,
                                                  RoleGrant.role == value.value)).first()
    if exists is not None:
        raise InvalidInput("identity.errors.role_already_held")
    session.add(RoleGrant(person_id=person.id, role=value.value, granted_by=actor.person_id, granted_at=now))
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise InvalidInput("identity.errors.role_already_held") from exc
    audit.record(session, actor=actor.audit_name, action="identity.grant_role", target=f"person:{person.id}",
                 details={"role": value.value}, now=now)
    return person


def revoke_role(session: Session, *, actor: Actor | None, person_id: int, role: str, now: datetime | None = None) -> None:
    if not permissions.may_grant_roles(actor):
        raise PermissionDenied()
    now = as_utc(now or utcnow())
    value = _staff_role(role)
    try:
        person_id = int(person_id)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    grant = session.exec(select(RoleGrant).where(RoleGrant.person_id == person_id,
                                                 RoleGrant.role == value.value)).first()
    if grant is None:
        raise NotFound("identity.errors.role_not_held")
    if value is Role.ADMINISTRATOR and _administrator_count(session, lock=True) <= 1:
        raise AgoraError("identity.errors.last_administrator")
    session.delete(grant)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="identity.revoke_role", target=f"person:{person_id}",
                 details={"role": value.value}, now=now)


def create_administrator(session: Session, *, taxid: str, name: str, cli_user: str, now: datetime | None = None) -> Person:
    """The first administrator, from the command line (the person need not have logged in)."""
    now = as_utc(now or utcnow())
    raw = str(taxid or "").strip()
    if not (len(raw) == 9 and raw.isdigit() and is_valid_taxid(raw)):
        raise InvalidInput("identity.errors.invalid_taxid")
    parts = " ".join(str(name or "").split()).split(" ")
    if not parts or not parts[0]:
        raise InvalidInput("identity.errors.name_required")
    digest = taxid_hmac(normalise_taxid(raw))
    person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
    if person is None:
        display = display_name_for(" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else display_name_for(parts[0], "")
        person = Person(taxid_hmac=digest, display_name=display)
        session.add(person)
        session.flush()
    exists = session.exec(select(RoleGrant).where(RoleGrant.person_id == person.id,
                                                  RoleGrant.role == Role.ADMINISTRATOR.value)).first()
    if exists is None:
        session.add(RoleGrant(person_id=person.id, role=Role.ADMINISTRATOR.value, granted_at=now))
        session.flush()
        audit.record(session, actor=f"cli:{cli_user}", action="identity.grant_role", target=f"person:{person.id}",
                     details={"role": Role.ADMINISTRATOR.value, "via": "create-admin"}, now=now)
    return person


# --- voter rolls -------------------------------------------------------------------------------

class RollRejected(InvalidInput):
    """The roll file has problems; nothing was stored. ``problems`` lists them by line."""

    def __init__(self, problems: list[rules.RollProblem], total: int) -> None:
        super().__init__("identity.errors.roll_rejected", count=total)
        self.problems = problems
        self.total = total


@dataclass(frozen=True)
class RollImported:
    roll_id: int
    name: str
    entries: int


def import_roll(
    session: Session, *, actor: Actor | None, name: str, csv_text: str, now: datetime | None = None
) -> RollImported:
    """Create a named voter roll from a CSV of ΑΦΜ — all or nothing."""
    if not permissions.may_manage_rolls(actor):
        raise PermissionDenied()
    now = as_utc(now or utcnow())
    try:
        clean_name = rules.clean_roll_name(name)
    except ValueError as exc:
        raise InvalidInput(str(exc), min=rules.ROLL_NAME_MIN, max=rules.ROLL_NAME_MAX) from exc
    if session.exec(select(VoterRoll.id).where(VoterRoll.name == clean_name)).first() is not None:
        raise InvalidInput("identity.errors.roll_name_taken")
    parsed = rules.parse_roll_csv(csv_text if isinstance(csv_text, str) else "")
    if not parsed.ok:
        raise RollRejected(parsed.problems, parsed.problem_count)
    roll = VoterRoll(name=clean_name, created_at=now, created_by=actor.person_id, entry_count=len(parsed.entries))
    session.add(roll)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise InvalidInput("identity.errors.roll_name_taken") from exc
    rows = [{"roll_id": roll.id, "taxid_hmac": taxid_hmac(taxid), "municipal_unit": unit}
            for taxid, unit in parsed.entries]
    for start in range(0, len(rows), 5000):
        session.execute(insert(VoterRollEntry), rows[start:start + 5000])
    session.flush()
    audit.record(session, actor=actor.audit_name, action="identity.import_roll", target=f"roll:{roll.id}",
                 details={"name": clean_name, "entries": len(rows)}, now=now)
    return RollImported(roll.id, clean_name, len(rows))


def roll_entry_count(session: Session, roll_id: int) -> int:
    return session.exec(select(func.count()).select_from(VoterRollEntry).where(VoterRollEntry.roll_id == roll_id)).one()

"""Every write of identity: one ``@action`` per use case, in the caller's transaction.

``verb_noun(session, *, actor, <typed input>, now)``: the decorator checks the role
matrix (``permissions.MATRIX``) before the input, validates the input and fills
``now``; the body checks the subject, writes, and audits staff acts. Actions never
commit or roll back: a refusal is an exception and ``session_scope`` rolls back.
The raw ΑΦΜ only passes through memory here: it is hashed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.actions import Conflict, action, audit
from syros_app.core.errors import AgoraError, InvalidInput, NotFound
from syros_app.core.registry import departments

from . import rules
from .govgr import GovgrProfile, display_name_for, title_case
from .hashing import is_valid_taxid, normalise_taxid, taxid_hmac
from .models import Person, RoleGrant, VoterRoll, VoterRollEntry
from .permissions import MATRIX
from .queries import EXPORT_SECTIONS, export_my_data, own_person, register_export_section
from .roles import SCOPED_ROLES, STAFF_ROLES, Actor, Role
from .sessions import create_login_session, end_all_sessions, end_login_session

# Other capabilities register their GDPR export sections here (kept importable from actions).
__all__ = ["EXPORT_SECTIONS", "export_my_data", "register_export_section"]


def _flush_or_conflict(session: Session, key: str) -> None:
    """Flush; a unique row written meanwhile by another request becomes ``Conflict(key)``.

    No rollback here: the exception leaves the action and ``session_scope`` rolls back.
    """
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(key) from exc


def _raw_taxid(taxid: str) -> str:
    raw = taxid.strip()
    if not (len(raw) == 9 and raw.isdigit() and is_valid_taxid(raw)):
        raise InvalidInput("identity.errors.invalid_taxid")
    return raw


# --- login -------------------------------------------------------------------------------------

@action(MATRIX, "log_in")
def login_person(session: Session, *, actor: Actor | None, profile: GovgrProfile, previous_token: str | None = None,
                 now: datetime) -> tuple[Person, str]:
    """Create or update the person gov.gr vouched for and start a new session.

    Called by the gov.gr callback (the actor is whoever the browser was, usually a
    visitor). Returns the person and the new session token (a fresh one at every
    login; the browser's previous session, if any, is ended).
    """
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
    if title_case(profile.father_name, given=True):
        person.father_name = title_case(profile.father_name, given=True)[:80]
    person.last_login_at = now
    session.add(person)
    _flush_or_conflict(session, "identity.errors.try_again")  # two first logins of one person at once
    end_login_session(session, previous_token)
    return person, create_login_session(session, person, now=now)


@action(MATRIX, "log_out")
def log_out(session: Session, *, actor: Actor | None, token: str | None) -> None:
    """End the browser's session (whoever holds the cookie may end it)."""
    end_login_session(session, token)


# --- my account --------------------------------------------------------------------------------

@action(MATRIX, "update_nickname")
def update_nickname(session: Session, *, actor: Actor | None, nickname: str | None) -> Person:
    person = own_person(session, actor, "update_nickname")
    try:
        person.nickname = rules.clean_nickname(nickname)
    except ValueError as exc:
        raise InvalidInput(str(exc), min=rules.NICKNAME_MIN, max=rules.NICKNAME_MAX) from exc
    session.add(person)
    session.flush()
    return person


def _administrator_count(session: Session) -> int:
    """Administrators now, rows locked so two removals cannot both pass the last-one check."""
    query = select(RoleGrant.id).where(RoleGrant.role == Role.ADMINISTRATOR.value).with_for_update()
    return len(session.exec(query).all())


@action(MATRIX, "delete_account")
def delete_account(session: Session, *, actor: Actor | None, now: datetime) -> None:
    """Forget who the person is; their public contributions stay as "deleted user"."""
    person = own_person(session, actor, "delete_account")
    grants = session.exec(select(RoleGrant).where(RoleGrant.person_id == person.id)).all()
    if any(g.role == Role.ADMINISTRATOR.value for g in grants) and _administrator_count(session) <= 1:
        raise AgoraError("identity.errors.last_administrator_delete")
    for grant in grants:
        session.delete(grant)
    end_all_sessions(session, person.id)
    former_taxid_hmac = person.taxid_hmac
    person.taxid_hmac = person.nickname = person.birth_year = person.father_name = None
    person.first_login_at = person.last_login_at = None
    person.display_name = ""
    person.deleted_at = now
    session.add(person)
    session.flush()
    # The former hash travels in memory only, for capabilities that key rows by it
    # (voting's participation records); it is never stored again.
    events.publish(session, "identity.person_deleted",
                   {"person_id": person.id, "former_taxid_hmac": former_taxid_hmac}, now=now)
    audit(session, actor, "identity.delete_account", f"person:{person.id}", now=now,
          details={"roles_removed": sorted(g.role for g in grants)})


# --- roles -------------------------------------------------------------------------------------

def _staff_role(role: str) -> Role:
    if role not in {r.value for r in STAFF_ROLES}:
        raise InvalidInput("identity.errors.unknown_role")
    return Role(role)


def _grant_of(session: Session, person_id: int, role: Role) -> RoleGrant | None:
    return session.exec(select(RoleGrant).where(RoleGrant.person_id == person_id,
                                                RoleGrant.role == role.value)).first()


def _department_for(role: Role, department: str) -> str | None:
    """The department a grant of ``role`` names: required for a department officer, none otherwise."""
    if role not in SCOPED_ROLES:
        return None
    if department not in {value for value, _ in departments()}:
        raise InvalidInput("identity.errors.department_required", field="department")
    return department


@action(MATRIX, "grant_role")
def grant_role(session: Session, *, actor: Actor | None, taxid: str, role: str, department: str = "",
               now: datetime) -> Person:
    """Give a staff role to the person with this ΑΦΜ (they must have logged in once); a
    department officer's grant names her department."""
    value = _staff_role(role)
    scope = _department_for(value, department)
    person = session.exec(select(Person).where(Person.taxid_hmac == taxid_hmac(_raw_taxid(taxid)))).first()
    if person is None or person.deleted_at is not None:
        raise NotFound("identity.errors.person_not_found")
    if _grant_of(session, person.id, value) is not None:
        raise InvalidInput("identity.errors.role_already_held")
    session.add(RoleGrant(person_id=person.id, role=value.value, department=scope, granted_by=actor.person_id,
                          granted_at=now))
    _flush_or_conflict(session, "identity.errors.role_already_held")
    audit(session, actor, "identity.grant_role", f"person:{person.id}", now=now,
          details={"role": value.value, **({"department": scope} if scope else {})})
    return person


@action(MATRIX, "revoke_role")
def revoke_role(session: Session, *, actor: Actor | None, person_id: int, role: str, now: datetime) -> None:
    value = _staff_role(role)
    grant = _grant_of(session, person_id, value)
    if grant is None:
        raise NotFound("identity.errors.role_not_held")
    if value is Role.ADMINISTRATOR and _administrator_count(session) <= 1:
        raise AgoraError("identity.errors.last_administrator")
    session.delete(grant)
    session.flush()
    audit(session, actor, "identity.revoke_role", f"person:{person_id}", now=now, details={"role": value.value})


@dataclass(frozen=True)
class CliActor(Actor):
    """The operator of ``python -m syros_app identity create-admin``.

    Whoever runs the command line holds the database, so they act as an
    administrator of the installation; they are no person (``person_id`` 0, no
    ΑΦΜ) and their audit rows read ``cli:<login name>``. Only ``cli.py`` builds one.
    """

    cli_user: str = "unknown"

    @property
    def audit_name(self) -> str:
        return f"cli:{self.cli_user}"


def cli_actor(user: str) -> CliActor:
    return CliActor(person_id=0, display_name=f"cli:{user}", taxid_hmac="", roles=frozenset({Role.ADMINISTRATOR}),
                    cli_user=user)


@action(MATRIX, "create_administrator")
def create_administrator(session: Session, *, actor: Actor | None, taxid: str, name: str, now: datetime) -> Person:
    """Make a person an administrator from the command line (they need not have logged in)."""
    raw = _raw_taxid(taxid)
    parts = " ".join(name.split()).split(" ")
    if not parts[0]:
        raise InvalidInput("identity.errors.name_required")
    digest = taxid_hmac(normalise_taxid(raw))
    person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
    if person is None:
        person = Person(taxid_hmac=digest, display_name=display_name_for(" ".join(parts[:-1]) or parts[0],
                                                                         parts[-1] if len(parts) > 1 else ""))
        session.add(person)
        session.flush()
    if _grant_of(session, person.id, Role.ADMINISTRATOR) is None:
        session.add(RoleGrant(person_id=person.id, role=Role.ADMINISTRATOR.value, granted_at=now))
        session.flush()
        audit(session, actor, "identity.grant_role", f"person:{person.id}", now=now,
              details={"role": Role.ADMINISTRATOR.value, "via": "create-admin"})
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
    """A roll stored: its id and name, and how many people it lists."""

    roll_id: int
    name: str
    entries: int


@action(MATRIX, "import_roll")
def import_roll(session: Session, *, actor: Actor | None, name: str, csv_text: str, now: datetime) -> RollImported:
    """Create a named voter roll from a CSV of ΑΦΜ — all or nothing."""
    try:
        clean_name = rules.clean_roll_name(name)
    except ValueError as exc:
        raise InvalidInput(str(exc), min=rules.ROLL_NAME_MIN, max=rules.ROLL_NAME_MAX) from exc
    if session.exec(select(VoterRoll.id).where(VoterRoll.name == clean_name)).first() is not None:
        raise InvalidInput("identity.errors.roll_name_taken")
    parsed = rules.parse_roll_csv(csv_text)
    if not parsed.ok:
        raise RollRejected(parsed.problems, parsed.problem_count)
    roll = VoterRoll(name=clean_name, created_at=now, created_by=actor.person_id, entry_count=len(parsed.entries))
    session.add(roll)
    _flush_or_conflict(session, "identity.errors.roll_name_taken")
    rows = [{"roll_id": roll.id, "taxid_hmac": taxid_hmac(taxid), "municipal_unit": unit}
            for taxid, unit in parsed.entries]
    for start in range(0, len(rows), 5000):
        session.execute(insert(VoterRollEntry), rows[start:start + 5000])
    session.flush()
    audit(session, actor, "identity.import_roll", f"roll:{roll.id}", now=now,
          details={"name": clean_name, "entries": len(rows)})
    return RollImported(roll.id, clean_name, len(rows))

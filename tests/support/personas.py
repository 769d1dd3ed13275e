"""Named personas for tests: a visitor, residents, a moderator, an administrator."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import Session

from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import Person, RoleGrant
from syros_app.identity.roles import Actor, Role  # noqa: F401  (Role re-exported for tests)
from syros_app.identity.sessions import actor_for, create_login_session

# Valid ΑΦΜ (check digit computed), never real people.
TAXIDS = {
    "eleni": with_check_digit("10000001"),
    "nikos": with_check_digit("10000002"),
    "maria": with_check_digit("10000003"),
    "moderator": with_check_digit("20000001"),
    "admin": with_check_digit("30000001"),
}


def make_person(
    session: Session,
    key: str = "eleni",
    *,
    display_name: str | None = None,
    birth_year: int = 1980,
    roles: tuple[Role, ...] = (),
    taxid: str | None = None,
    department: str | None = None,
) -> Person:
    taxid = taxid or TAXIDS.get(key) or with_check_digit(str(abs(hash(key)) % 10**8))
    now = datetime.now(timezone.utc)
    person = Person(
        taxid_hmac=taxid_hmac(taxid),
        display_name=display_name or key.capitalize(),
        birth_year=birth_year,
        first_login_at=now,
        last_login_at=now,
    )
    session.add(person)
    session.flush()
    for role in roles:
        session.add(RoleGrant(person_id=person.id, role=role.value, granted_at=now,
                              department=department if role == Role.DEPARTMENT_OFFICER else None))
    session.commit()
    return person


def actor(session: Session, person: Person) -> Actor:
    return actor_for(session, person)


def resident(session: Session, key: str = "eleni", **kwargs) -> Actor:
    return actor(session, make_person(session, key, **kwargs))


def moderator(session: Session, key: str = "moderator") -> Actor:
    return actor(session, make_person(session, key, roles=(Role.MODERATOR,)))


def officer(session: Session, department: str = "lighting", key: str = "officer") -> Actor:
    """A department officer of ``department``."""
    return actor(session, make_person(session, key, roles=(Role.DEPARTMENT_OFFICER,), department=department))


def administrator(session: Session, key: str = "admin") -> Actor:
    return actor(session, make_person(session, key, roles=(Role.ADMINISTRATOR,)))


def login_cookie(session: Session, person: Person) -> str:
    """A ``Cookie`` header value carrying a fresh session for ``person``."""
    from syros_app.identity.sessions import SESSION_COOKIE

    token = create_login_session(session, person)
    session.commit()
    return f"{SESSION_COOKIE}={token}"

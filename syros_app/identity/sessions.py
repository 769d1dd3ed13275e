"""Server-side login sessions behind an HttpOnly cookie.

The cookie carries a random token; the table stores only its SHA-256, so a
database leak does not hand out live sessions. A session ends after
``SYROS_SESSION_IDLE_MINUTES`` without use or ``SYROS_SESSION_ABSOLUTE_HOURS``
after login, whichever comes first; every login makes a new token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from http.cookies import SimpleCookie

from sqlmodel import Session, select

from syros_app.core.settings import get_settings
from syros_app.core.timefmt import as_utc, utcnow

from .models import LoginSession, Person, RoleGrant
from .roles import Actor, Role

SESSION_COOKIE = "syros_session"
# Refresh last_seen_at at most this often, so reads do not write on every event.
_TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_login_session(session: Session, person: Person, *, now: datetime | None = None) -> str:
    """Start a session for ``person``; returns the token for the cookie."""
    settings = get_settings()
    now = as_utc(now or utcnow())
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=_hash(token),
            person_id=person.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
        )
    )
    session.flush()
    return token


def end_login_session(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.exec(select(LoginSession).where(LoginSession.token_hash == _hash(token))).first()
    if row is not None:
        session.delete(row)
        session.flush()


def end_all_sessions(session: Session, person_id: int) -> None:
    for row in session.exec(select(LoginSession).where(LoginSession.person_id == person_id)):
        session.delete(row)
    session.flush()


def roles_of(session: Session, person_id: int) -> frozenset[Role]:
    grants = session.exec(select(RoleGrant.role).where(RoleGrant.person_id == person_id)).all()
    return frozenset({Role.RESIDENT, *(Role(g) for g in grants)})


def actor_for(session: Session, person: Person) -> Actor:
    department = session.exec(select(RoleGrant.department).where(
        RoleGrant.person_id == person.id, RoleGrant.role == Role.DEPARTMENT_OFFICER.value)).first()
    return Actor(
        person_id=person.id,
        display_name=person.public_name,
        taxid_hmac=person.taxid_hmac or "",
        birth_year=person.birth_year,
        roles=roles_of(session, person.id),
        department=department or None,
    )


def resolve_token(session: Session, token: str | None, *, now: datetime | None = None) -> Actor | None:
    """The acting person for a session token, or None (expired, ended, unknown)."""
    if not token:
        return None
    now = as_utc(now or utcnow())
    row = session.exec(select(LoginSession).where(LoginSession.token_hash == _hash(token))).first()
    if row is None:
        return None
    idle_limit = timedelta(minutes=get_settings().session_idle_minutes)
    if as_utc(row.expires_at) <= now or as_utc(row.last_seen_at) + idle_limit <= now:
        session.delete(row)
        session.flush()
        return None
    person = session.get(Person, row.person_id)
    if person is None or person.deleted_at is not None or person.taxid_hmac is None:
        return None
    if now - as_utc(row.last_seen_at) >= _TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.flush()
    return actor_for(session, person)


def token_from_cookie_header(cookie_header: str | None) -> str | None:
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # noqa: BLE001 - a malformed header means no session
        return None
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else None


def resolve_cookie_header(session: Session, cookie_header: str | None, *, now: datetime | None = None) -> Actor | None:
    return resolve_token(session, token_from_cookie_header(cookie_header), now=now)

"""Who is acting: the roles, the acting person, and how a Reflex event finds them.

Every action receives an ``Actor`` (or ``None`` for an anonymous visitor). Identity
resolves it from the server-side session and registers itself here as the actor
provider, so the shell (``ui``) and the states find the actor without importing
identity. Within one websocket event the actor is resolved once: the identity guard
(``identity/guard.py``) opens an event scope and every later lookup in that event
reuses the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    VISITOR = "visitor"  # anyone, logged in or not; never stored as a grant
    RESIDENT = "resident"  # everyone who logged in through gov.gr; never stored as a grant
    MODERATOR = "moderator"
    # Works the reports (and, later, applications) of one department only: the grant
    # names the department, and the actor carries it (``Actor.department``).
    DEPARTMENT_OFFICER = "department_officer"
    ADMINISTRATOR = "administrator"


STAFF_ROLES = frozenset({Role.MODERATOR, Role.DEPARTMENT_OFFICER, Role.ADMINISTRATOR})
GRANTABLE_ROLES = (Role.MODERATOR, Role.DEPARTMENT_OFFICER, Role.ADMINISTRATOR)
# Roles whose grant must name a department.
SCOPED_ROLES = frozenset({Role.DEPARTMENT_OFFICER})


@dataclass(frozen=True)
class Actor:
    """The person acting, resolved on the server from the session cookie."""

    person_id: int
    display_name: str
    taxid_hmac: str
    birth_year: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    # The department a department officer works for (None for everyone else).
    department: str | None = None

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_moderator(self) -> bool:
        return Role.MODERATOR in self.roles or Role.ADMINISTRATOR in self.roles

    @property
    def is_administrator(self) -> bool:
        return Role.ADMINISTRATOR in self.roles

    @property
    def sees_every_department(self) -> bool:
        """Only a department officer (who is not also a moderator or administrator) is
        held to one department; the role matrix decides everything else."""
        return Role.DEPARTMENT_OFFICER not in self.roles or Role.MODERATOR in self.roles \
            or Role.ADMINISTRATOR in self.roles

    def in_department(self, department: str | None) -> bool:
        """Whether this actor's department scope covers something of ``department``."""
        return self.sees_every_department or (bool(self.department) and department == self.department)

    @property
    def audit_name(self) -> str:
        return f"person:{self.person_id}"

    @property
    def identity_key(self) -> str:
        """Whom a tab's private data belongs to (compared to reset it on a change)."""
        return self.audit_name


def roles_of(actor: Actor | None) -> frozenset[str]:
    """Every role the actor acts in: visitors are only visitors; a logged-in person is
    also a resident, and holds whatever staff roles were granted."""
    if actor is None:
        return frozenset({Role.VISITOR})
    return frozenset({Role.VISITOR, Role.RESIDENT, *actor.roles})


def identity_key(actor: Actor | None) -> str:
    return actor.identity_key if actor is not None else ""


# --- the provider ---------------------------------------------------------------------------

ActorProvider = Callable[[str], "Actor | None"]  # cookie header -> actor
_provider: ActorProvider | None = None
# cookie header -> actor, for the event being processed; None outside an event.
_event_cache: ContextVar[dict[str, Actor | None] | None] = ContextVar("syros_actor_cache", default=None)


def register_actor_provider(provider: ActorProvider) -> None:
    global _provider
    _provider = provider


def begin_event() -> None:
    """Start a new event: the next lookup resolves the session again."""
    _event_cache.set({})


def actor_for_cookie(cookie_header: str) -> Actor | None:
    """The actor behind this cookie header (resolved once per event, every time outside one)."""
    if _provider is None:
        raise RuntimeError("no actor provider registered (import syros_app.identity)")
    cache = _event_cache.get()
    if cache is not None and cookie_header in cache:
        return cache[cookie_header]
    actor = _provider(cookie_header)
    if cache is not None:
        cache[cookie_header] = actor
    return actor


def actor_of(state: object) -> Actor | None:
    """The actor behind a Reflex state's websocket (its handshake ``Cookie`` header,
    set by the server from the socket, never from an event's payload)."""
    router = getattr(state, "router", None)
    headers = getattr(router, "headers", None) if router else None
    return actor_for_cookie(getattr(headers, "cookie", "") or "")

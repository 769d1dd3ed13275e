"""Roles and the acting person, as every service receives them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    RESIDENT = "resident"  # everyone who logged in; never stored as a grant
    MODERATOR = "moderator"
    ADMINISTRATOR = "administrator"


STAFF_ROLES = frozenset({Role.MODERATOR, Role.ADMINISTRATOR})

# The three municipal units (δημοτικές ενότητες) of Syros-Ermoupoli.
MUNICIPAL_UNITS = ("Ερμούπολη", "Άνω Σύρος", "Ποσειδωνία")


@dataclass(frozen=True)
class Actor:
    """The person acting, resolved on the server from the session cookie.

    ``None`` stands for an anonymous visitor wherever an ``Actor | None`` is taken.
    """

    person_id: int
    display_name: str
    taxid_hmac: str
    birth_year: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)

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
    def audit_name(self) -> str:
        return f"person:{self.person_id}"

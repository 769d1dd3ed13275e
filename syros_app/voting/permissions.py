"""Who may do what with votes."""

from __future__ import annotations

from syros_app.core.errors import PermissionDenied
from syros_app.identity.roles import Actor


def can_manage_votes(actor: Actor | None) -> bool:
    """Setting up, scheduling, opening, closing and publishing: staff only."""
    return actor is not None and actor.is_staff


def require_manage_votes(actor: Actor | None) -> Actor:
    if not can_manage_votes(actor):
        raise PermissionDenied("voting.errors.staff_only")
    assert actor is not None
    return actor

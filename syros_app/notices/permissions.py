"""Who may do what with notices: staff write and publish; anyone subscribes."""

from __future__ import annotations

from syros_app.core.errors import PermissionDenied
from syros_app.identity.roles import Actor


def can_publish(actor: Actor | None) -> bool:
    return actor is not None and actor.is_staff


def require_staff(actor: Actor | None) -> Actor:
    if not can_publish(actor):
        raise PermissionDenied("notices.errors.staff_only")
    return actor

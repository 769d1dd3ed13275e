"""Who may do what with service reports."""

from __future__ import annotations

from syros_app.core.errors import PermissionDenied
from syros_app.identity.roles import Actor


def require_resident(actor: Actor | None) -> Actor:
    if actor is None:
        raise PermissionDenied("reports.errors.login_required")
    return actor


def is_staff(actor: Actor | None) -> bool:
    return actor is not None and actor.is_staff


def require_staff(actor: Actor | None) -> Actor:
    if not is_staff(actor):
        raise PermissionDenied("reports.errors.staff_only")
    return actor  # type: ignore[return-value]


def require_administrator(actor: Actor | None) -> Actor:
    if actor is None or not actor.is_administrator:
        raise PermissionDenied("reports.errors.administrators_only")
    return actor

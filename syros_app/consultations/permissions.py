"""Who may do what in consultations (one place, called by every action)."""

from __future__ import annotations

from syros_app.core.errors import PermissionDenied
from syros_app.identity.roles import Actor

STAFF_ACTIONS = {
    "create", "edit", "open", "close", "publish_report", "attach", "respond",
}
MODERATOR_ACTIONS = {"approve", "hide", "restore", "block", "unblock", "view_queue"}
RESIDENT_ACTIONS = {"comment", "reply", "support", "edit_comment", "withdraw", "flag"}


def can(actor: Actor | None, action: str) -> bool:
    if actor is None:
        return False
    if action in STAFF_ACTIONS or action in MODERATOR_ACTIONS:
        return actor.is_staff
    if action in RESIDENT_ACTIONS:
        return bool(actor.person_id)
    return False


def enforce(actor: Actor | None, action: str) -> Actor:
    """The actor, if allowed; otherwise a translatable refusal."""
    if actor is None:
        raise PermissionDenied("consultations.errors.login_required")
    if not can(actor, action):
        raise PermissionDenied("consultations.errors.staff_only")
    return actor

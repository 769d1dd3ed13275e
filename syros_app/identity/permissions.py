"""Who may do what in identity. Services call these; pages only use them to hide buttons."""

from __future__ import annotations

from .roles import Actor


def may_grant_roles(actor: Actor | None) -> bool:
    return actor is not None and actor.is_administrator


def may_view_staff_list(actor: Actor | None) -> bool:
    return actor is not None and actor.is_administrator


def may_manage_rolls(actor: Actor | None) -> bool:
    return actor is not None and actor.is_administrator


def may_manage_own_account(actor: Actor | None) -> bool:
    return actor is not None and bool(actor.taxid_hmac)

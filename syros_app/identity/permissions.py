"""Who may do what in identity, as data (rendered into the README's role matrix).

Actions enforce it through ``@action``; pages ask ``MATRIX.allows`` only to decide
what to show. Own-account actions also require that the acting session still
belongs to the live person it names (a condition on the ``Person`` row).
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix

from .roles import Actor, Role

STAFF_ADMIN = [Role.ADMINISTRATOR]
LOGIN_REQUIRED = "identity.errors.login_required"


def _own_live_account(actor: Actor, person) -> bool:
    """The person row is the actor's own, not deleted, and still keyed by the same ΑΦΜ hash."""
    return bool(actor.taxid_hmac) and person.deleted_at is None and person.taxid_hmac == actor.taxid_hmac


MATRIX = RoleMatrix(
    "identity",
    {
        # gov.gr vouches for the person at the callback; anyone may start or end a session.
        "log_in": [Role.VISITOR],
        "log_out": [Role.VISITOR],
        "update_nickname": [Role.RESIDENT],
        "delete_account": [Role.RESIDENT],
        "export_my_data": [Role.RESIDENT],
        "grant_role": STAFF_ADMIN,
        "revoke_role": STAFF_ADMIN,
        "view_staff_list": STAFF_ADMIN,
        "import_roll": STAFF_ADMIN,
        "view_rolls": STAFF_ADMIN,
        # The command line acts as an administrator of the installation (see actions.CliActor).
        "create_administrator": STAFF_ADMIN,
    },
    conditions={name: (_own_live_account, "own account") for name in
                ("update_nickname", "delete_account", "export_my_data")},
    login_key=LOGIN_REQUIRED,
    refusal_keys={name: LOGIN_REQUIRED for name in ("update_nickname", "delete_account", "export_my_data")},
)

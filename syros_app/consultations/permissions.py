"""Who may do what in consultations, as data (rendered into the README).

Content management is open to moderators as well as administrators: the municipality's
consultation desk is staffed by moderators, and the end-to-end walk-through
(tests/e2e/test_consultations.py) has a moderator create, open, answer and publish.
Residents act on comments; editing and withdrawing is for one's own comment only (the
15-minute window is checked in the action, with its own message).
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

STAFF = (Role.MODERATOR, Role.ADMINISTRATOR)
RESIDENT = (Role.RESIDENT,)


def _own(actor, comment) -> bool:
    return comment.person_id == actor.person_id


MATRIX = RoleMatrix(
    "consultations",
    {
        # content management
        "create": STAFF, "edit": STAFF, "open": STAFF, "close": STAFF, "attach": STAFF, "respond": STAFF,
        "publish_report": STAFF, "view_drafts": STAFF,
        # moderation
        "approve": STAFF, "hide": STAFF, "restore": STAFF, "block": STAFF, "unblock": STAFF, "view_queue": STAFF,
        # residents
        "comment": RESIDENT, "reply": RESIDENT, "support": RESIDENT, "flag": RESIDENT,
        "edit_comment": RESIDENT, "withdraw": RESIDENT,
    },
    conditions={
        "edit_comment": (_own, "own comment, within 15 minutes"),
        "withdraw": (_own, "own comment, within 15 minutes"),
    },
    login_key="consultations.errors.login_required",
    refusal_key="consultations.errors.staff_only",
    refusal_keys={"edit_comment": "consultations.errors.not_your_comment",
                  "withdraw": "consultations.errors.not_your_comment"},
)

"""Who may do what in consultations, as data (rendered into the README).

Content management (create, edit, open, close, answer, publish the report) is the
administrators'; moderation (approve, hide, restore, block) is the moderators' and the
administrators'. Residents act on comments; editing and withdrawing is for one's own comment only (the
15-minute window is checked in the action, with its own message).
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

ADMINISTRATORS = (Role.ADMINISTRATOR,)
MODERATORS = (Role.MODERATOR, Role.ADMINISTRATOR)
RESIDENT = (Role.RESIDENT,)


def _own(actor, comment) -> bool:
    return comment.person_id == actor.person_id


MATRIX = RoleMatrix(
    "consultations",
    {
        # content management
        "create": ADMINISTRATORS, "edit": ADMINISTRATORS, "open": ADMINISTRATORS, "close": ADMINISTRATORS,
        "attach": ADMINISTRATORS, "respond": ADMINISTRATORS, "publish_report": ADMINISTRATORS,
        "view_drafts": ADMINISTRATORS,
        # moderation
        "approve": MODERATORS, "hide": MODERATORS, "restore": MODERATORS, "block": MODERATORS,
        "unblock": MODERATORS, "view_queue": MODERATORS,
        # residents
        "comment": RESIDENT, "reply": RESIDENT, "support": RESIDENT, "flag": RESIDENT,
        "edit_comment": RESIDENT, "withdraw": RESIDENT,
    },
    conditions={
        "edit_comment": (_own, "own comment, within 15 minutes"),
        "withdraw": (_own, "own comment, within 15 minutes"),
    },
    login_key="consultations.errors.login_required",
    refusal_key="consultations.errors.administrators_only",
    refusal_keys={**{name: "consultations.errors.moderators_only"
                     for name in ("approve", "hide", "restore", "block", "unblock", "view_queue")},
                  "edit_comment": "consultations.errors.not_your_comment",
                  "withdraw": "consultations.errors.not_your_comment"},
)

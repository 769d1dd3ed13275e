"""Who may do what with surveys, as data (rendered into the README).

Anyone may answer an open survey; the action itself asks a once-per-person survey's
respondent to log in (an anonymous survey takes visitors too). Administrators and
moderators build, open, close and publish surveys, and decide which short-text answers
may be published.
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

STAFF = [Role.ADMINISTRATOR, Role.MODERATOR]

MATRIX = RoleMatrix(
    "surveys",
    {
        "answer_survey": [Role.VISITOR],  # once-per-person surveys: the action asks for a login
        "create_survey": STAFF,
        "edit_survey": STAFF,  # questions, title, text: drafts only (checked in the action)
        "open_survey": STAFF,
        "close_survey": STAFF,
        "publish_results": STAFF,
        "moderate_text": STAFF,
        "view_staff_surveys": STAFF,
    },
    login_key="surveys.errors.login_required",
    refusal_key="surveys.errors.staff_only",
)

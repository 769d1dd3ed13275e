"""Who may do what with the tracker, as data (rendered into the README).

Residents follow projects. Administrators keep every project; a department officer
keeps her own department's projects only (the ``_in_department`` condition, checked
by each action on the project it loads or creates).
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

RESIDENTS = [Role.RESIDENT]
KEEPERS = [Role.ADMINISTRATOR, Role.DEPARTMENT_OFFICER]
KEEPER_ACTIONS = ("create_project", "edit_project", "add_milestone", "complete_milestone", "post_update",
                  "add_link", "remove_link")


def _in_department(actor, project) -> bool:
    return actor.in_department(project.department)


MATRIX = RoleMatrix(
    "projects",
    {
        "follow_project": RESIDENTS,
        "unfollow_project": RESIDENTS,
        **{name: KEEPERS for name in KEEPER_ACTIONS},
    },
    conditions={name: (_in_department, "officers: own department's projects") for name in KEEPER_ACTIONS},
    login_key="projects.errors.login_required",
    refusal_key="projects.errors.staff_only",
)

"""Who may do what with service reports, as data (rendered into the README).

Residents report, say "me too", and rate (a "not fixed" rating reopens the report);
moderators, administrators and department officers triage (status and public note,
department, merging duplicates, internal notes) and see the staff desk and the detailed
figures — an officer only the reports of her own department (the ``_in_department``
condition, checked by each action on the report it loads, and the desk's query); only administrators set
the service-level targets and manage Open311 keys. An Open311 request comes from a key
holder, not a person: anyone may post one, the key is checked in the action.
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

RESIDENTS = [Role.RESIDENT]
TRIAGE = [Role.MODERATOR, Role.ADMINISTRATOR, Role.DEPARTMENT_OFFICER]
ADMINISTRATORS = [Role.ADMINISTRATOR]


def _not_own(actor, report) -> bool:
    return report.reporter_id != actor.person_id


def _own(actor, report) -> bool:
    return report.reporter_id == actor.person_id


def _in_department(actor, report) -> bool:
    return actor.in_department(report.department)


TRIAGE_ACTIONS = ("change_status", "assign_department", "merge_reports", "add_internal_note", "assign_officer")


def desk_department(actor) -> str | None:
    """The one department whose reports this actor's desk shows (None: every department)."""
    if actor is None or actor.sees_every_department:
        return None
    return actor.department or ""


MATRIX = RoleMatrix(
    "reports",
    {
        "create_report": RESIDENTS,
        "add_support": RESIDENTS,
        "rate_report": RESIDENTS,
        "create_open311_request": [Role.VISITOR],  # the API key is checked in the action
        "change_status": TRIAGE,
        "assign_department": TRIAGE,
        "merge_reports": TRIAGE,
        "add_internal_note": TRIAGE,  # staff only: never public, never open data
        "assign_officer": TRIAGE,
        "view_staff_desk": TRIAGE,
        "view_drill_down": TRIAGE,
        "set_target": ADMINISTRATORS,
        "issue_api_key": ADMINISTRATORS,
        "revoke_api_key": ADMINISTRATORS,
    },
    conditions={
        "add_support": (_not_own, "not on one's own report"),
        "rate_report": (_own, "own report only"),
        **{name: (_in_department, "officers: own department's reports")
           for name in TRIAGE_ACTIONS},
    },
    login_key="reports.errors.login_required",
    refusal_key="reports.errors.staff_only",
    refusal_keys={
        "add_support": "reports.errors.support_own",
        "rate_report": "reports.errors.rate_not_yours",
        "set_target": "reports.errors.administrators_only",
        "issue_api_key": "reports.errors.keys_administrators_only",
        "revoke_api_key": "reports.errors.keys_administrators_only",
    },
)

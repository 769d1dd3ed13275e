"""Who may do what with service reports, as data (rendered into the README).

Residents report, say "me too", and rate (a "not fixed" rating reopens the report);
moderators and administrators triage (status and public note, department, merging
duplicates) and see the staff desk and the detailed figures; only administrators set
the service-level targets and manage Open311 keys. An Open311 request comes from a key
holder, not a person: anyone may post one, the key is checked in the action.
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

RESIDENTS = [Role.RESIDENT]
STAFF = [Role.MODERATOR, Role.ADMINISTRATOR]
ADMINISTRATORS = [Role.ADMINISTRATOR]


def _not_own(actor, report) -> bool:
    return report.reporter_id != actor.person_id


def _own(actor, report) -> bool:
    return report.reporter_id == actor.person_id


MATRIX = RoleMatrix(
    "reports",
    {
        "create_report": RESIDENTS,
        "add_support": RESIDENTS,
        "rate_report": RESIDENTS,
        "create_open311_request": [Role.VISITOR],  # the API key is checked in the action
        "change_status": STAFF,
        "assign_department": STAFF,
        "merge_reports": STAFF,
        "view_staff_desk": STAFF,
        "view_drill_down": STAFF,
        "set_target": ADMINISTRATORS,
        "issue_api_key": ADMINISTRATORS,
        "revoke_api_key": ADMINISTRATORS,
    },
    conditions={
        "add_support": (_not_own, "not on one's own report"),
        "rate_report": (_own, "own report only"),
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

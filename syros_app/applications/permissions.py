"""Who may do what with e-applications, as data (rendered into the README).

Residents (anyone logged in through gov.gr) file applications, keep a draft, answer a
request for more information and rate the answer — their own applications only.
The desk — department officers and administrators — works the applications of a
service's department: an officer only those of her own department (``_in_department``,
checked by each action on the application or service it loads, and by the desk's
queue query); the same people file on behalf of a resident who comes to the counter.
The catalogue is edited on ``/staff/applications/catalogue`` by the same desk: a
service (``edit_service``: its texts, department, target, fee, gov.gr link, active),
its form as a new version published when ready (also ``edit_service``), and the
pickup days of a service with pickup slots (``manage_pickup_slots``) — an officer only
for the services of her own department (and only into it).
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role
from syros_app.reports.permissions import desk_department  # noqa: F401  (the same scope as the reports' desk)

RESIDENTS = [Role.RESIDENT]
DESK = [Role.DEPARTMENT_OFFICER, Role.ADMINISTRATOR]


def _own(actor, application) -> bool:
    return application.person_id is not None and application.person_id == actor.person_id


def _in_department(actor, subject) -> bool:
    """``subject`` is an application or a service: both carry ``department``."""
    return actor.in_department(subject.department)


def _own_or_desk(actor, application) -> bool:
    return _own(actor, application) or (bool(actor.roles & set(DESK)) and _in_department(actor, application))


# Desk work on one application (or, for filing on behalf, one service): department-scoped.
DESK_ACTIONS = ("assign_application", "protocol_application", "request_information", "add_internal_note",
                "answer_application", "close_application", "file_on_behalf", "view_desk_application",
                "edit_service", "manage_pickup_slots")


MATRIX = RoleMatrix(
    "applications",
    {
        "save_draft": RESIDENTS,
        "upload_file": RESIDENTS,
        "submit_application": RESIDENTS,
        "view_application": RESIDENTS,  # own, or the desk of its department
        "provide_information": RESIDENTS,
        "rate_application": RESIDENTS,
        "view_desk": DESK,
        "view_desk_application": DESK,
        "assign_application": DESK,
        "protocol_application": DESK,
        "request_information": DESK,
        "add_internal_note": DESK,  # staff only: never shown to the applicant
        "answer_application": DESK,
        "close_application": DESK,
        "file_on_behalf": DESK,  # at the counter, recorded in the audit log
        "edit_service": DESK,  # the catalogue: a service, its form's versions (audited)
        "manage_pickup_slots": DESK,  # pickup days and their capacity (audited)
    },
    conditions={
        "view_application": (_own_or_desk, "own, or the desk of its department"),
        "provide_information": (_own, "own application only"),
        "rate_application": (_own, "own application only"),
        **{name: (_in_department, "officers: own department only") for name in DESK_ACTIONS},
    },
    login_key="applications.errors.login_required",
    refusal_key="applications.errors.desk_only",
    refusal_keys={
        "view_application": "applications.errors.not_yours",
        "provide_information": "applications.errors.not_yours",
        "rate_application": "applications.errors.not_yours",
    },
)

"""Who may do what with open meetings and events, as data (rendered into the README).

Residents register (a seat, or the waitlist when full) and cancel their own place;
moderators and administrators run the events: create, edit, cancel, publish the
minutes and the recording link, mark who attended (the check-in list at the door), and see
the staff desk with attendee and waitlist counts.
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

RESIDENTS = [Role.RESIDENT]
ORGANISERS = [Role.MODERATOR, Role.ADMINISTRATOR]

MATRIX = RoleMatrix(
    "events",
    {
        "register": RESIDENTS,
        "cancel_registration": RESIDENTS,
        "create_event": ORGANISERS,
        "update_event": ORGANISERS,
        "cancel_event": ORGANISERS,
        "publish_minutes": ORGANISERS,
        "record_attendance": ORGANISERS,
        "view_staff_desk": ORGANISERS,
    },
    login_key="events.errors.login_required",
    refusal_key="events.errors.staff_only",
)

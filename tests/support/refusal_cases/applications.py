"""Refusal cases of e-applications' resident side. The resident's states are not staff
states (each action checks that the application is the person's own: see
tests/unit/applications/test_actions.py); the desk's handlers are in ``applications_desk``.
One staff-only permission is asked by an HTTP route, not a state handler."""

from __future__ import annotations

CASES: list = []

READ_ONLY: dict[str, set[str]] = {}

NOT_FROM_STATES = {
    "view_desk_application": "tests/api/test_applications_api.py::test_uploads_are_attachments_for_the_uploader_only",
}

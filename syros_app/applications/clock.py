"""The service-level clock of an application, in working days (the reports' calendar):
due at submission + the service's target; paused while the applicant is asked for more
information, and the due date moves by the working days the pause lasted."""

from __future__ import annotations

from datetime import datetime

from syros_app.core.timefmt import as_utc
from syros_app.reports import rules as calendar


def due_at(submitted_at: datetime, target_days: int) -> datetime:
    return calendar.add_working_days(as_utc(submitted_at), target_days)


def pause(application, now: datetime) -> None:
    if application.paused_since is None:
        application.paused_since = now


def resume(application, now: datetime) -> None:
    """End a pause: the due date moves by the working days it lasted."""
    if application.paused_since is None:
        return
    paused = calendar.working_days_between(as_utc(application.paused_since), now)
    application.paused_days = round((application.paused_days or 0) + paused, 4)
    application.due_at = calendar.default_calendar().add_working_days(as_utc(application.due_at), paused)
    application.paused_since = None


def decision_days(application, now: datetime) -> float:
    """Working days from submission to ``now``, pauses excluded."""
    elapsed = calendar.working_days_between(as_utc(application.submitted_at), now)
    return round(max(0.0, elapsed - (application.paused_days or 0)), 4)

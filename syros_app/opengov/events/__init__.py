"""Open meetings and events: council meetings, workshops and open days, with registration,
a waitlist that promotes the next person when a seat frees, reminders through the notices
outbox, iCalendar feeds, and minutes and recordings published afterwards."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability

_HERE = "syros_app.opengov.events"
_DESK = NavEntry(route="/staff/events", label_key="events.nav_staff", icon="calendar-cog", staff_only=True,
                 permission=("events", "view_staff_desk"))

register_capability(Capability(
    name="events", nav=[NavEntry(route="/events", label_key="events.nav", icon="calendar"), _DESK],
    open_now=lazy(f"{_HERE}.views", "open_now"), today=lazy(f"{_HERE}.today", "today"),
    measurement_section=lazy(f"{_HERE}.pages", "measurement_section"),
))

from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)

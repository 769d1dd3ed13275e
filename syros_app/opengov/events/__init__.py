"""Open meetings and events: council meetings, workshops and open days, with registration,
a waitlist that promotes the next person when a seat frees, reminders through the notices
outbox, iCalendar feeds, and minutes and recordings published afterwards."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability

register_capability(Capability(
    name="events",
    nav=[
        NavEntry(route="/events", label_key="events.nav", icon="calendar"),
        NavEntry(route="/staff/events", label_key="events.nav_staff", icon="calendar-cog", staff_only=True,
                 permission=("events", "view_staff_desk")),
    ],
    open_now=lazy("syros_app.opengov.events.views", "open_now"),
    measurement_section=lazy("syros_app.opengov.events.pages", "measurement_section"),
))

from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)

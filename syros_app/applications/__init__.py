"""E-applications: a catalogue of municipal services, forms as versioned data, filing
with a server-side draft, incoming/outgoing protocol numbers, a public timeline for the
applicant, a department-scoped desk, signed answers and bulky-waste pickup slots."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability

DESK = NavEntry(route="/staff/applications", label_key="applications.nav_desk", icon="inbox", staff_only=True,
                permission=("applications", "view_desk"))
CATALOGUE = NavEntry(route="/staff/applications/catalogue", label_key="applications_catalogue.nav", icon="list",
                     staff_only=True, permission=("applications", "edit_service"))
register_capability(Capability(
    name="applications", nav=[NavEntry(route="/applications", label_key="applications.nav", icon="file-text"), DESK,
                              CATALOGUE],
    measurement_section=lazy("syros_app.applications.desk_pages", "measurement_section")))

from . import gdpr, notify  # noqa: E402,F401  (GDPR hooks; the outbox announcer of status changes)

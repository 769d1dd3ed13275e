"""Surveys and quick polls (open governance): staff build non-binding surveys from typed
questions; residents answer once per person (a keyed hash, never linked to the answers)
or anonymously once per browser session; results are published with a chart and a table
for each question, and as open data without personal data."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability

# The public list for everyone; the builder only for whom the role matrix lets build.
NAV = [NavEntry(route="/surveys", label_key="surveys.nav", icon="message-circle-question"),
       NavEntry(route="/staff/surveys", label_key="surveys.nav_staff", icon="clipboard-check", staff_only=True,
                permission=("surveys", "view_staff_surveys"))]

register_capability(Capability(name="surveys", nav=NAV,
                               open_now=lazy("syros_app.opengov.surveys.queries", "open_now"),
                               measurement_section=lazy("syros_app.opengov.surveys.pages", "measurement_section")))

from . import gdpr  # noqa: E402,F401  (the "my data" export section)

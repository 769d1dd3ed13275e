"""The municipality's decisions, imported from Diavgeia's open data, searchable, and
linked by staff to the projects, proposals and consultation reports they concern."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability

register_capability(Capability(
    name="decisions",
    nav=[NavEntry(route="/decisions", label_key="decisions.nav", icon="landmark")],
    measurement_section=lazy("syros_app.opengov.decisions.pages", "measurement_section"),
))

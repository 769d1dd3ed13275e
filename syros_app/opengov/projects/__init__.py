"""The accountability tracker: the municipality's projects and commitments as a tree,
with milestones, money, public updates, followers, and links to the consultations,
proposals, votes and decisions they came from ("you said, we did")."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability

register_capability(Capability(
    name="projects",
    nav=[NavEntry(route="/projects", label_key="projects.nav", icon="list-checks")],
    measurement_section=lazy("syros_app.opengov.projects.pages", "measurement_section"),
    backlinks=lazy("syros_app.opengov.projects.pages", "backlinks"),
))

from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)

"""Residents' proposals: a verified resident proposes, residents support it up to a
threshold computed from the voter rolls, and the municipality must answer within a
number of working days — possibly by opening a consultation or a vote."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability

register_capability(Capability(
    name="proposals",
    nav=[NavEntry(route="/proposals", label_key="proposals.nav", icon="lightbulb")],
    open_now=lazy("syros_app.opengov.proposals.today", "open_now"),
    today=lazy("syros_app.opengov.proposals.today", "today"),
    measurement_section=lazy("syros_app.opengov.proposals.pages", "measurement_section"),
    backlinks=lazy("syros_app.opengov.proposals.pages", "backlinks"),
))

from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)

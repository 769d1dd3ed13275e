"""Voting: referendums and ballots for verified residents — one person one vote,
secret, with trackers and a public recount."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability




register_capability(Capability(
    name="voting",
    nav=[
        NavEntry(route="/votes", label_key="voting.nav", icon="vote"),
        NavEntry(route="/staff/votes", label_key="voting.nav_staff", icon="settings", staff_only=True,
                 permission=("voting", "view_drafts")),
    ],
    open_now=lazy("syros_app.voting.queries", "open_now"),
    today=lazy("syros_app.voting.today", "today"),
))

from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)

"""Voting: referendums and ballots for verified residents — one person one vote,
secret, with trackers and a public recount."""

from syros_app.core.registry import Capability, NavEntry, register_capability


def _open_now(session, now):
    from .queries import open_now

    return open_now(session, now)


def _today(session, actor, now):
    from .today import today

    return today(session, actor, now)


register_capability(Capability(
    name="voting",
    nav=[
        NavEntry(route="/votes", label_key="voting.nav", icon="vote"),
        NavEntry(route="/staff/votes", label_key="voting.nav_staff", icon="settings", staff_only=True,
                 permission=("voting", "view_drafts")),
    ],
    open_now=_open_now,
    today=_today,
))

from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)

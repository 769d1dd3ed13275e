"""Notices: the municipal notice board, subscriptions (Web Push, e-mail, SMS),
and the outbox the worker delivers from."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from syros_app.core.registry import Capability, NavEntry, OpenItem, lazy, register_capability


def _urgent_now(session: Session, now: datetime) -> list[OpenItem]:
    from .queries import urgent_now

    return [OpenItem(kind_key="notices.kind_urgent", title=n.title, url=f"/notices/{n.id}", closes_at=n.valid_until, pinned=True)
            for n in urgent_now(session, now)]



register_capability(Capability(
    name="notices",
    nav=[NavEntry(route="/notices", label_key="notices.nav", icon="bell"),
         NavEntry(route="/staff/notices", label_key="notices.staff_nav", icon="megaphone", staff_only=True,
                  permission=("notices", "view_deliveries")),
         NavEntry(route="/staff/alerts", label_key="notices.staff_alert.nav", icon="bell-ring", staff_only=True,
                  permission=("notices", "set_staff_alerts"))],
    open_now=_urgent_now,
    today=lazy("syros_app.notices.today", "today"),
))

from . import outbox  # noqa: E402,F401  (subscribes to other capabilities' events)
from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)
from . import staff_alerts  # noqa: E402,F401  (tells staff that work has arrived)

"""Consultations: sectioned texts, comments with replies and support, moderation,
"you said, we did" responses and a published report, with open data."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from syros_app.core.registry import Capability, NavEntry, OpenItem, lazy, register_capability


def open_now(session: Session, now: datetime) -> list[OpenItem]:
    from .queries import list_consultations

    return [
        OpenItem(kind_key="consultations.kind", title=c.title, url=f"/consultations/{c.id}", closes_at=c.closes_at)
        for c, _phase, _count in list_consultations(session, now=now, phase="open")
    ]



def moderation_waiting(session: Session, _actor) -> int:
    from .queries import waiting_count

    return waiting_count(session)


register_capability(
    Capability(
        name="consultations",
        nav=[
            NavEntry(route="/consultations", label_key="consultations.nav", icon="message-square-text"),
            NavEntry(route="/staff/consultations", label_key="consultations.nav_staff", icon="clipboard-pen",
                     staff_only=True, permission=("consultations", "view_drafts")),
            NavEntry(route="/staff/moderation", label_key="consultations.nav_moderation", icon="shield-check",
                     staff_only=True, waiting_count=moderation_waiting, permission=("consultations", "view_queue")),
        ],
        open_now=open_now,
        today=lazy("syros_app.consultations.today", "today"),
    )
)

from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)

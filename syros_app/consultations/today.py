"""What waits for staff in consultations today (the staff hub's "Today")."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from syros_app.core.registry import TodayItem

from .models import Consultation
from .permissions import MATRIX
from .queries import waiting_count

CLOSING_SOON = timedelta(days=3)


def today(session: Session, actor, now: datetime) -> list[TodayItem]:
    items: list[TodayItem] = []
    if MATRIX.allows(actor, "view_queue"):
        waiting = waiting_count(session)
        if waiting:
            items.append(TodayItem("consultations.today.waiting", "/staff/moderation", count=waiting))
    if MATRIX.allows(actor, "close"):
        closing = session.exec(select(Consultation).where(Consultation.status == "open",
                                                          Consultation.closes_at <= now + CLOSING_SOON)
                               .order_by(Consultation.closes_at)).all()
        items.extend(TodayItem("consultations.today.closing", f"/staff/consultations/{c.id}", title=c.title)
                     for c in closing)
    return items

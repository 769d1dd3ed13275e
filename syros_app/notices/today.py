"""What waits for staff in notices today: deliveries that failed in the last two days."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from syros_app.core.registry import TodayItem

from .models import Delivery
from .permissions import MATRIX

RECENT = timedelta(days=2)


def today(session: Session, actor, now: datetime) -> list[TodayItem]:
    if not MATRIX.allows(actor, "view_deliveries"):
        return []
    failed = session.exec(select(func.count()).select_from(Delivery).where(
        Delivery.status == "failed", Delivery.created_at >= now - RECENT)).one()
    return [TodayItem("notices.today.failed", "/staff/notices", count=int(failed), urgent=True)] if failed else []

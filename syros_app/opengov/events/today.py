"""What waits for organisers today: events starting within a day, and events held
whose minutes are not yet published."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from syros_app.core.registry import TodayItem
from syros_app.core.timefmt import as_utc

from . import rules
from .models import Event
from .permissions import MATRIX


def today(session: Session, actor, now: datetime) -> list[TodayItem]:
    if not MATRIX.allows(actor, "view_staff_desk"):
        return []
    now = as_utc(now)
    scheduled = Event.status == rules.SCHEDULED
    soon = session.exec(select(Event.id, Event.title).where(scheduled, Event.starts_at > now,
                                                            Event.starts_at <= now + timedelta(days=1))
                        .order_by(Event.starts_at)).all()
    items = [TodayItem("events.today.soon", f"/events/{event_id}", title=title) for event_id, title in soon]
    no_minutes = session.exec(select(func.count()).select_from(Event).where(
        scheduled, Event.ends_at <= now, Event.minutes.is_(None))).one()
    if no_minutes:
        items.append(TodayItem("events.today.minutes_due", "/staff/events", count=int(no_minutes)))
    return items

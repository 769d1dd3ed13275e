"""What waits for staff in voting today: votes past their end still open, counts to publish."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from syros_app.core.registry import TodayItem

from .models import Vote
from .permissions import MATRIX


def today(session: Session, actor, now: datetime) -> list[TodayItem]:
    if not MATRIX.allows(actor, "manage_votes"):
        return []
    to_close = session.exec(select(Vote).where(Vote.status == "open", Vote.closes_at.is_not(None),
                                               Vote.closes_at <= now)).all()
    to_publish = session.exec(select(Vote).where(Vote.status == "closed")).all()
    return ([TodayItem("voting.today.close", "/staff/votes", title=v.title, urgent=True) for v in to_close]
            + [TodayItem("voting.today.publish", "/staff/votes", title=v.title) for v in to_publish])

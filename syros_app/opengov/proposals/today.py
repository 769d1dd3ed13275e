"""What proposals add to the staff Today view (answers owed, overdue first) and to the
home page's "open now" (proposals collecting support)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from syros_app.core.registry import OpenItem, TodayItem

from . import queries, rules
from .models import Proposal
from .permissions import MATRIX


def today(session: Session, actor, now: datetime) -> list[TodayItem]:
    if not MATRIX.allows(actor, "answer_proposal"):
        return []
    waiting = queries.awaiting_answer(session)
    late = [p for p in waiting if queries.is_overdue(p, now)]
    items = []
    if late:
        items.append(TodayItem("proposals.today.overdue", "/proposals?status=reached", count=len(late),
                               title=late[0].title, urgent=True))
    if len(waiting) > len(late):
        items.append(TodayItem("proposals.today.awaiting", "/proposals?status=reached",
                               count=len(waiting) - len(late)))
    return items


def open_now(session: Session, now: datetime) -> list[OpenItem]:
    rows = session.exec(select(Proposal).where(Proposal.hidden_at.is_(None), Proposal.reached_at.is_(None),
                                               Proposal.collect_until > now)
                        .order_by(Proposal.collect_until).limit(3))
    return [OpenItem("proposals.kind", p.title, f"/proposals/{p.id}", closes_at=p.collect_until) for p in rows
            if queries.status_of(p, now) == rules.COLLECTING]

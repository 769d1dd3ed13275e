"""What waits for staff in service reports today: past target, and assigned to me."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from syros_app.core.registry import TodayItem

from . import queries, rules
from .models import Report
from .permissions import MATRIX, desk_department


def today(session: Session, actor, now: datetime) -> list[TodayItem]:
    if not MATRIX.allows(actor, "view_staff_desk"):
        return []
    items: list[TodayItem] = []
    late = len(queries.staff_queue(session, overdue_only=True, now=now, department=desk_department(actor),
                                   limit=1000))
    if late:
        items.append(TodayItem("reports.today.late", "/staff/reports", count=late, urgent=True))
    mine = session.exec(select(func.count()).select_from(Report).where(
        Report.assigned_to == actor.person_id, Report.status.in_(rules.OPEN_STATUSES))).one()
    if mine:
        items.append(TodayItem("reports.today.mine", "/staff/reports", count=int(mine)))
    return items

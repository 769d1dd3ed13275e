"""Reads of notices: the archive, one notice, urgent ones, delivery state."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from syros_app.core.settings import get_settings
from syros_app.core.timefmt import as_utc, utcnow

from . import rules
from .models import Delivery, Notice, OutboundMessage, Subscription


def published_notices(session: Session, *, category: str | None = None, area: str | None = None,
                      limit: int = 100) -> list[Notice]:
    """Newest first. ``area`` filters to that unit's notices plus whole-island ones."""
    query = select(Notice).where(Notice.published_at.is_not(None))
    if category:
        query = query.where(Notice.category == category)
    if area:
        query = query.where(or_(Notice.area.is_(None), Notice.area == area))
    return list(session.exec(query.order_by(Notice.published_at.desc(), Notice.id.desc()).limit(limit)))


def get_notice(session: Session, notice_id: int) -> Notice | None:
    notice = session.get(Notice, notice_id)
    return notice if notice is not None and notice.published_at is not None else None


def is_valid_now(notice: Notice, now: datetime) -> bool:
    now = as_utc(now)
    return (notice.valid_from is None or as_utc(notice.valid_from) <= now) and (
        notice.valid_until is None or as_utc(notice.valid_until) > now)


def urgent_now(session: Session, now: datetime | None = None) -> list[Notice]:
    now = as_utc(now or utcnow())
    query = select(Notice).where(Notice.published_at.is_not(None), Notice.urgent.is_(True),
                                 Notice.withdrawn_at.is_(None)).order_by(
        Notice.published_at.desc())
    return [n for n in session.exec(query) if is_valid_now(n, now)]


def delivery_counts(session: Session, notice_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per notice: how many deliveries are sent, failed, pending."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"sent": 0, "failed": 0, "pending": 0})
    if not notice_ids:
        return {}
    query = (select(OutboundMessage.notice_id, Delivery.status, func.count())
             .join(Delivery, Delivery.message_id == OutboundMessage.id)
             .where(OutboundMessage.notice_id.in_(notice_ids))
             .group_by(OutboundMessage.notice_id, Delivery.status))
    for notice_id, status, count in session.exec(query):
        counts[notice_id][status] = count
    return {nid: dict(counts[nid]) for nid in notice_ids}


def failures_of(session: Session, notice_id: int, limit: int = 20) -> list[Delivery]:
    query = (select(Delivery).join(OutboundMessage, Delivery.message_id == OutboundMessage.id)
             .where(OutboundMessage.notice_id == notice_id, Delivery.status == "failed")
             .order_by(Delivery.id).limit(limit))
    return list(session.exec(query))


def delivery_board(session: Session, limit: int = 50) -> list[tuple[Notice, dict[str, int], list[str]]]:
    """The staff board: each recent notice, its delivery counts and up to five distinct failure reasons."""
    notices = published_notices(session, limit=limit)
    counts = delivery_counts(session, [n.id for n in notices])
    return [(n, counts.get(n.id, {}), sorted({d.last_error or "" for d in failures_of(session, n.id, 5)}))
            for n in notices]


def subscriptions_of(session: Session, person_id: int) -> list[Subscription]:
    return list(session.exec(select(Subscription).where(Subscription.person_id == person_id).order_by(Subscription.id)))


def subscription_at(session: Session, channel: str, address: str) -> Subscription | None:
    return session.exec(select(Subscription).where(Subscription.channel == channel,
                                                   Subscription.address == address)).first()


def push_subscription(session: Session, endpoint: str) -> Subscription | None:
    return subscription_at(session, "push", endpoint)


def subscription_to_unsubscribe(session: Session, token: str) -> Subscription | None:
    """The subscription an unsubscribe link names (None once gone); a bad link is refused."""
    return session.get(Subscription, rules.read_token(get_settings().secret_key, "unsubscribe", token))

"""Writing the outbox: one ``Delivery`` row per recipient and channel, in the
caller's transaction. Also the subscribers to other capabilities' events."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, literal
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, utcnow

from . import rules
from .models import Delivery, OutboundMessage, Subscription


def _deliverable(sub_channel: str, confirmed_at) -> bool:
    return sub_channel == "push" or confirmed_at is not None


def add_message(session: Session, *, source: str, title: str, body: str, url: str, urgent: bool,
                recipients: list[tuple[int, str, str]], notice_id: int | None = None,
                now: datetime | None = None) -> OutboundMessage | None:
    """Write the message and one pending delivery per (subscription id, channel, address).

    Idempotent per ``source``: an event announced twice is written once.
    """
    now = as_utc(now or utcnow())
    if session.exec(select(OutboundMessage.id).where(OutboundMessage.source == source)).first() is not None:
        return None
    message = OutboundMessage(source=source, notice_id=notice_id, title=title, body=body, url=url,
                              urgent=urgent, created_at=now)
    session.add(message)
    session.flush()
    rows = [
        {"message_id": message.id, "subscription_id": sub_id, "kind": "message", "channel": channel,
         "address": address, "payload": "{}", "priority": 0 if urgent else 1, "status": "pending",
         "attempts": 0, "next_attempt_at": now, "created_at": now}
        for sub_id, channel, address in recipients
    ]
    if rows:
        session.execute(insert(Delivery), rows)
    return message


def _wants(category: str, area: str | None, urgent: bool = False):
    """SQL form of :func:`rules.matches` (keys are comma-separated, so wrap them in commas)."""
    wrapped = literal(",").concat(Subscription.categories).concat(",")
    condition = (Subscription.channel == "push") | Subscription.confirmed_at.is_not(None)
    if not urgent:  # urgent (civil protection) reaches every subscriber of the area
        condition &= wrapped.like(f"%,{category},%")
    if area is not None:
        areas = literal(",").concat(Subscription.areas).concat(",")
        condition &= (Subscription.areas == "") | areas.like(f"%,{area},%")
    return condition


def fan_out(session: Session, *, message: OutboundMessage, category: str, area: str | None,
            now: datetime | None = None) -> int:
    """One pending delivery per matching subscription, written by one INSERT … SELECT."""
    now = as_utc(now or utcnow())
    source = select(
        literal(message.id), Subscription.id, literal("message"), Subscription.channel, Subscription.address,
        literal("{}"), literal(0 if message.urgent else 1), literal("pending"), literal(0),
        literal(now, type_=Delivery.__table__.c.next_attempt_at.type),
        literal(now, type_=Delivery.__table__.c.created_at.type),
    ).where(_wants(category, area, bool(message.urgent)))
    columns = ["message_id", "subscription_id", "kind", "channel", "address", "payload", "priority", "status",
               "attempts", "next_attempt_at", "created_at"]
    result = session.execute(insert(Delivery).from_select(columns, source))
    return result.rowcount


def count_recipients(session: Session, *, category: str, area: str | None, urgent: bool) -> dict[str, int]:
    """How many subscriptions, per channel, a notice would reach now (said before sending)."""
    rows = session.execute(select(Subscription.channel, func.count()).where(_wants(category, area, urgent))
                           .group_by(Subscription.channel)).all()
    return {channel: int(n) for channel, n in rows}


def recipients_of_person(session: Session, person_id: int | None) -> list[tuple[int, str, str]]:
    if person_id is None:
        return []
    query = select(Subscription.id, Subscription.channel, Subscription.address, Subscription.confirmed_at).where(
        Subscription.person_id == person_id)
    return [(i, ch, addr) for i, ch, addr, confirmed in session.exec(query) if _deliverable(ch, confirmed)]


def add_confirmation(session: Session, *, subscription: Subscription, kind: str, payload: dict[str, Any],
                     now: datetime | None = None) -> Delivery:
    now = as_utc(now or utcnow())
    delivery = Delivery(subscription_id=subscription.id, kind=kind, channel=subscription.channel,
                        address=subscription.address, payload=json.dumps(payload, ensure_ascii=False),
                        priority=0, status="pending", next_attempt_at=now, created_at=now)
    session.add(delivery)
    session.flush()
    return delivery


# --- automatic announcements from other capabilities ----------------------------------

def _auto(session: Session, *, source: str, key: str, payload: dict, recipients=None, now,
          area: str | None = None) -> None:
    """Announce an event: to ``recipients`` (a person's own subscriptions) or, when None,
    to every subscriber of consultations and votes in ``area``."""
    title = translate(f"notices.auto.{key}_title", "el", **{k: v for k, v in payload.items() if isinstance(v, str)})
    body_params = {k: v for k, v in payload.items() if isinstance(v, (str, int))}
    body = translate(f"notices.auto.{key}_body", "el", **body_params)
    if payload.get("title"):
        title = f"{title}: {payload['title']}"
    message = add_message(session, source=source, title=title[:200], body=body, url=str(payload.get("url") or "/"),
                          urgent=False, recipients=recipients or [], now=now)
    if message is not None and recipients is None:
        fan_out(session, message=message, category=rules.AUTO_CATEGORY, area=area, now=now)


# Events announced to every subscriber of consultations and votes in the event's area:
# event name → (the payload's id field, the catalogue key of its title and body).
AREA_EVENTS = {
    "consultation.opened": ("consultation_id", "consultation_opened"),
    "vote.opened": ("vote_id", "vote_opened"),
    "vote.closing_soon": ("vote_id", "vote_closing_soon"),
    "vote.results_published": ("vote_id", "vote_results"),
}


def _area_announcer(name: str, id_field: str, key: str):
    def announce(session: Session, payload: dict, now: datetime | None) -> None:
        _auto(session, source=f"{name}:{payload[id_field]}", key=key, payload=payload, area=payload.get("area"),
              now=now)

    announce.__name__ = f"_announce_{key}"
    return announce


for _name, (_id_field, _key) in AREA_EVENTS.items():
    events.subscriber(_name)(_area_announcer(_name, _id_field, _key))


@events.subscriber("comment.replied")
def _on_comment_replied(session: Session, payload: dict, now: datetime | None) -> None:
    _auto(session, source=f"comment.replied:{payload['reply_id']}", key="comment_replied", payload={"url": payload.get("url")},
          recipients=recipients_of_person(session, payload.get("person_id")), now=now)


@events.subscriber("report.status_changed")
def _on_report_status(session: Session, payload: dict, now: datetime | None) -> None:
    status = str(payload.get("status", ""))
    stamp = as_utc(now or utcnow()).strftime("%Y%m%d%H%M%S%f")
    # the status by its name as residents read it on the report's page, never its code
    status_name = translate(f"reports.status.{status}", "el") if status else ""
    _auto(session, source=f"report.status_changed:{payload['report_id']}:{status}:{stamp}", key="report_status",
          payload={"url": payload.get("url"), "status": status_name, "note": str(payload.get("note") or "")},
          recipients=recipients_of_person(session, payload.get("person_id")), now=now)

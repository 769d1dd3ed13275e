"""What notices hold about a person: the GDPR export section and what happens
when the person deletes their account.

A subscription is linked to a person (``Subscription.person_id``) when it was made
while logged in; a subscription made without an account (a push endpoint, an
e-mail or a phone number) is not linked to anyone and cannot be exported or
deleted through the account — it is removed with its own unsubscribe link or
from the device.

Export: the person's subscriptions (channel, address, preferences, dates) and
the messages delivered or waiting for them. Staff also get the notices they wrote.

Deletion (``identity.person_deleted``): the person's subscriptions are deleted with
every delivery to them (pending ones would still send; sent ones keep the
address), and the personal automatic messages ("someone replied to you", "your
report changed") left with no delivery at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, or_
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.timefmt import as_utc
from syros_app.identity.actions import register_export_section

from .models import Delivery, Notice, OutboundMessage, StaffAlertOff, Subscription

# Automatic messages addressed to one person's own subscriptions (see outbox.py).
PERSONAL_SOURCES = ("comment.replied:", "report.status_changed:", "staff:")


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def _split(value: str) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    subs = list(session.exec(select(Subscription).where(Subscription.person_id == person_id).order_by(Subscription.id)))
    sub_ids = [s.id for s in subs]
    deliveries = []
    if sub_ids:
        deliveries = list(session.exec(
            select(Delivery, OutboundMessage.title).join(OutboundMessage, OutboundMessage.id == Delivery.message_id,
                                                         isouter=True)
            .where(Delivery.subscription_id.in_(sub_ids)).order_by(Delivery.created_at, Delivery.id)))
    data: dict[str, Any] = {
        "subscriptions": [{
            "id": s.id, "channel": s.channel, "address": s.address, "categories": _split(s.categories),
            "areas": _split(s.areas), "language": s.lang, "created_at": _iso(s.created_at),
            "confirmed_at": _iso(s.confirmed_at),
        } for s in subs],
        "deliveries": [{
            "subscription_id": d.subscription_id, "kind": d.kind, "channel": d.channel, "message": title,
            "status": d.status, "created_at": _iso(d.created_at), "sent_at": _iso(d.sent_at),
        } for d, title in deliveries],
    }
    written = session.exec(select(Notice.id, Notice.title, Notice.created_at).where(Notice.created_by == person_id)
                           .order_by(Notice.id)).all()
    if written:
        data["notices_written"] = [{"id": i, "title": t, "created_at": _iso(at)} for i, t, at in written]
    return data


@events.on_person_deleted
def erase(session: Session, person_id: int) -> None:
    session.execute(delete(StaffAlertOff).where(StaffAlertOff.person_id == person_id))
    sub_ids = list(session.exec(select(Subscription.id).where(Subscription.person_id == person_id)))
    if not sub_ids:
        return
    message_ids = set(session.exec(select(Delivery.message_id).where(
        Delivery.subscription_id.in_(sub_ids), Delivery.message_id.is_not(None))))
    session.execute(delete(Delivery).where(Delivery.subscription_id.in_(sub_ids)))
    session.execute(delete(Subscription).where(Subscription.id.in_(sub_ids)))
    if message_ids:
        personal = [OutboundMessage.source.startswith(prefix) for prefix in PERSONAL_SOURCES]
        orphan = ~exists().where(Delivery.message_id == OutboundMessage.id)
        session.execute(delete(OutboundMessage).where(OutboundMessage.id.in_(message_ids), or_(*personal), orphan))


register_export_section("notices", export_section)

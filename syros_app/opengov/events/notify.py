"""What events announce, through the notices outbox, in the caller's transaction: a seat
freed for the first in line, the event cancelled, and the reminder before the start.

A reminder is an outbox message written when the seat is taken, whose deliveries wait
(``next_attempt_at``, the worker's not-before time) until ``rules.REMINDER_BEFORE``
before the start: durable across restarts, moved when the event moves, dropped when
the seat or the event is cancelled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, select

from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, format_local
from syros_app.notices.models import Delivery, OutboundMessage
from syros_app.notices.outbox import add_message, recipients_of_person

from . import rules
from .models import Event, EventRegistration


def event_url(event_id: int) -> str:
    return f"/events/{event_id}"


def _stamp(now: datetime) -> str:
    return as_utc(now).strftime("%Y%m%d%H%M%S%f")


def _send(session: Session, *, source: str, key: str, event: Event, person_id: int, now: datetime):
    params = {"title": event.title, "when": format_local(event.starts_at, "el"), "place": event.place}
    return add_message(session, source=source[:120], title=translate(f"events.notice.{key}_title", "el", **params)[:200],
                       body=translate(f"events.notice.{key}_body", "el", **params), url=event_url(event.id),
                       urgent=False, recipients=recipients_of_person(session, person_id), now=now)


def promoted(session: Session, event: Event, reg: EventRegistration, now: datetime) -> None:
    _send(session, source=f"event.promoted:{reg.id}:{_stamp(now)}", key="promoted", event=event,
          person_id=reg.person_id, now=now)


def cancelled(session: Session, event: Event, person_ids: list[int], now: datetime) -> None:
    for person_id in person_ids:
        _send(session, source=f"event.cancelled:{event.id}:{person_id}", key="cancelled", event=event,
              person_id=person_id, now=now)


def schedule_reminder(session: Session, event: Event, reg: EventRegistration, now: datetime) -> None:
    """The seat's reminder, due ``REMINDER_BEFORE`` the start (none if it starts sooner)."""
    due = rules.reminder_at(event.starts_at, now)
    if due is None:
        return
    message = _send(session, source=f"event.reminder:{event.id}:{reg.person_id}:{_stamp(now)}", key="reminder",
                    event=event, person_id=reg.person_id, now=now)
    if message is None:
        return
    session.execute(update(Delivery).where(Delivery.message_id == message.id).values(next_attempt_at=due))
    reg.reminder_source = message.source
    session.add(reg)


def _pending(source: str):
    message_id = select(OutboundMessage.id).where(OutboundMessage.source == source).scalar_subquery()
    return (Delivery.message_id == message_id) & (Delivery.status == "pending")


def drop_reminder(session: Session, reg: EventRegistration) -> None:
    """A reminder not yet sent is withdrawn (its pending deliveries go)."""
    if reg.reminder_source:
        session.execute(delete(Delivery).where(_pending(reg.reminder_source)))
        reg.reminder_source = None
        session.add(reg)


def move_reminders(session: Session, event: Event, regs: list[EventRegistration], now: datetime) -> None:
    """The event moved: each seat's pending reminder is written again for the new start
    (its text names the time), or dropped when the new start is too near to remind."""
    for reg in regs:
        if reg.status == rules.REGISTERED:
            drop_reminder(session, reg)
            schedule_reminder(session, event, reg, now)

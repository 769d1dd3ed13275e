"""Writes of open meetings and events: registering (a seat or the waitlist), cancelling
one's place (the first in line is promoted in the same transaction), and the organisers'
create, edit, cancel, publish-minutes and check-in (attended or not, per registration) steps.

Seats are counted under a lock on the event (``queries.lock_event``), so under any
concurrency the capacity is never exceeded and the queue keeps its order.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from syros_app.core.actions import action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import AgoraError, InvalidInput
from syros_app.core.timefmt import as_utc

from . import notify, queries, rules
from .models import Event, EventRegistration
from .permissions import MATRIX


def _text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


# --- residents ----------------------------------------------------------------------------------

@action(MATRIX, "register")
def register(session: Session, *, actor: Actor, event_id: int, now: datetime) -> EventRegistration:
    """A seat while one is free, else the back of the waitlist; one place per person."""
    event = queries.lock_event(session, event_id)
    if event.status != rules.SCHEDULED:
        raise AgoraError("events.errors.cancelled")
    if as_utc(event.starts_at) <= now:
        raise AgoraError("events.errors.started")
    if not event.registration_open:
        raise AgoraError("events.errors.registration_closed")
    reg = queries.registration(session, event.id, actor.person_id)
    if reg is not None and reg.status in rules.ACTIVE:
        raise AgoraError("events.errors.already_registered")
    status = rules.placement(event.capacity, queries.seats_taken(session, event.id))
    if reg is None:
        reg = EventRegistration(event_id=event.id, person_id=actor.person_id, status=status, queued_at=now)
    reg.status, reg.queued_at, reg.cancelled_at, reg.promoted_at = status, now, None, None
    reg.registered_at = now if status == rules.REGISTERED else None
    session.add(reg)
    session.flush()
    if status == rules.REGISTERED:
        notify.schedule_reminder(session, event, reg, now)
    session.flush()
    return reg


def _promote(session: Session, event: Event, now: datetime) -> list[EventRegistration]:
    """Give freed seats to the head of the waitlist, tell them, schedule their reminders.
    The caller holds the event's lock."""
    queue = queries.waitlist(session, event.id)
    chosen = queue[:rules.seats_to_fill(event.capacity, queries.seats_taken(session, event.id), len(queue))]
    for reg in chosen:
        reg.status, reg.registered_at, reg.promoted_at = rules.REGISTERED, now, now
        session.add(reg)
        session.flush()
        notify.promoted(session, event, reg, now)
        notify.schedule_reminder(session, event, reg, now)
    return chosen


def withdraw(session: Session, event_id: int, person_id: int, now: datetime) -> EventRegistration | None:
    """Cancel this person's place (if any) and promote the next in line; the event locked."""
    event = queries.lock_event(session, event_id)
    reg = queries.registration(session, event_id, person_id)
    if reg is None or reg.status not in rules.ACTIVE:
        return None
    had_seat = reg.status == rules.REGISTERED
    notify.drop_reminder(session, reg)
    reg.status, reg.cancelled_at = rules.WITHDRAWN, now
    session.add(reg)
    session.flush()
    if had_seat and event.status == rules.SCHEDULED and as_utc(event.starts_at) > now:
        _promote(session, event, now)
    return reg


@action(MATRIX, "cancel_registration")
def cancel_registration(session: Session, *, actor: Actor, event_id: int, now: datetime) -> EventRegistration:
    reg = withdraw(session, event_id, actor.person_id, now)
    if reg is None:
        raise AgoraError("events.errors.not_registered")
    return reg


# --- organisers ---------------------------------------------------------------------------------

def _validated(kind: str, title: str, description: str, place: str, starts_at: datetime, ends_at: datetime,
               capacity: int | None, lat: float | None, lon: float | None) -> dict:
    if kind not in rules.KINDS:
        raise InvalidInput("events.errors.kind")
    title, description, place = (_text(title, rules.MAX_TITLE), _text(description, rules.MAX_DESCRIPTION),
                                 _text(place, rules.MAX_PLACE))
    if len(title) < rules.MIN_TITLE:
        raise InvalidInput("events.errors.title_short", n=rules.MIN_TITLE)
    if len(description) < rules.MIN_DESCRIPTION:
        raise InvalidInput("events.errors.description_short", n=rules.MIN_DESCRIPTION)
    if not place:
        raise InvalidInput("events.errors.place_required")
    starts_at, ends_at = rules.local_to_utc(starts_at), rules.local_to_utc(ends_at)
    if not starts_at < ends_at <= starts_at + rules.MAX_DURATION:
        raise InvalidInput("events.errors.times")
    if capacity is not None and not 1 <= capacity <= rules.MAX_CAPACITY:
        raise InvalidInput("events.errors.capacity")
    if (lat is None) != (lon is None) or (lat is not None and not rules.on_syros(lat, lon)):
        raise InvalidInput("events.errors.point")
    return dict(kind=kind, title=title, description=description, place=place, starts_at=starts_at,
                ends_at=ends_at, capacity=capacity, lat=lat, lon=lon)


@action(MATRIX, "create_event")
def create_event(session: Session, *, actor: Actor, kind: str, title: str, description: str, place: str,
                 starts_at: datetime, ends_at: datetime, capacity: int | None = None,
                 registration_open: bool = True, lat: float | None = None, lon: float | None = None,
                 now: datetime) -> Event:
    fields = _validated(kind, title, description, place, starts_at, ends_at, capacity, lat, lon)
    if fields["starts_at"] <= now:
        raise InvalidInput("events.errors.in_past")
    event = Event(**fields, registration_open=registration_open, created_at=now, updated_at=now,
                  created_by=actor.person_id)
    session.add(event)
    session.flush()
    audit(session, actor, "events.create_event", f"event:{event.id}", now=now,
          details={"title": event.title, "starts_at": event.starts_at.isoformat(), "capacity": event.capacity})
    return event


@action(MATRIX, "update_event")
def update_event(session: Session, *, actor: Actor, event_id: int, kind: str, title: str, description: str,
                 place: str, starts_at: datetime, ends_at: datetime, capacity: int | None = None,
                 registration_open: bool = True, lat: float | None = None, lon: float | None = None,
                 now: datetime) -> Event:
    """A larger capacity seats the head of the waitlist; a smaller one takes no seat away
    (those registered keep it; nobody new is seated until there is room); a new start
    moves the reminders."""
    event = queries.lock_event(session, event_id)
    if event.status != rules.SCHEDULED:
        raise AgoraError("events.errors.cancelled")
    fields = _validated(kind, title, description, place, starts_at, ends_at, capacity, lat, lon)
    moved = fields["starts_at"] != as_utc(event.starts_at)
    for name, value in fields.items():
        setattr(event, name, value)
    event.registration_open, event.updated_at = registration_open, now
    session.add(event)
    session.flush()
    if moved:
        notify.move_reminders(session, event, queries.registered_people(session, event.id), now)
    if as_utc(event.starts_at) > now:
        _promote(session, event, now)
    audit(session, actor, "events.update_event", f"event:{event.id}", now=now,
          details={"title": event.title, "starts_at": event.starts_at.isoformat(), "capacity": event.capacity,
                   "registration_open": registration_open})
    return event


@action(MATRIX, "cancel_event")
def cancel_event(session: Session, *, actor: Actor, event_id: int, now: datetime) -> Event:
    """Irreversible: everyone registered or waiting is told, reminders are withdrawn."""
    event = queries.lock_event(session, event_id)
    if event.status != rules.SCHEDULED:
        raise AgoraError("events.errors.cancelled")
    event.status, event.registration_open, event.updated_at = rules.CANCELLED, False, now
    session.add(event)
    people = queries.registered_people(session, event.id)
    for reg in people:
        notify.drop_reminder(session, reg)
    notify.cancelled(session, event, sorted(r.person_id for r in people), now)
    session.flush()
    audit(session, actor, "events.cancel_event", f"event:{event.id}", now=now,
          details={"title": event.title, "told": len(people)})
    return event


@action(MATRIX, "publish_minutes")
def publish_minutes(session: Session, *, actor: Actor, event_id: int, minutes: str,
                    recording_url: str = "", attendance: int | None = None, now: datetime) -> Event:
    """After the start only; published again, the text is replaced (the audit keeps both times)."""
    event = queries.get_event(session, event_id)
    if event.status != rules.SCHEDULED or as_utc(event.starts_at) > now:
        raise AgoraError("events.errors.minutes_too_early")
    minutes, recording_url = _text(minutes, rules.MAX_MINUTES), _text(recording_url, rules.MAX_URL)
    if len(minutes) < rules.MIN_DESCRIPTION:
        raise InvalidInput("events.errors.minutes_short", n=rules.MIN_DESCRIPTION)
    if recording_url and not rules.safe_url(recording_url):
        raise InvalidInput("events.errors.recording_url")
    if attendance is not None and not 0 <= attendance <= rules.MAX_CAPACITY:
        raise InvalidInput("events.errors.attendance")
    event.minutes, event.recording_url, event.attendance = minutes, recording_url or None, attendance
    event.minutes_published_at = event.updated_at = now
    session.add(event)
    session.flush()
    audit(session, actor, "events.publish_minutes", f"event:{event.id}", now=now,
          details={"length": len(minutes), "recording_url": event.recording_url, "attendance": attendance})
    return event


@action(MATRIX, "record_attendance")
def record_attendance(session: Session, *, actor: Actor, registration_id: int, attended: bool,
                      now: datetime) -> EventRegistration:
    """Mark one seat at the door: came, or did not. From shortly before the start on, and again
    later to correct a mistake; only for people with a seat (not the waitlist or a cancelled place)."""
    reg = queries.get_registration(session, registration_id)
    event = queries.get_event(session, reg.event_id)
    if not rules.checkin_open(event.status, event.starts_at, now):
        raise AgoraError("events.errors.checkin_closed")
    if reg.status != rules.REGISTERED:
        raise AgoraError("events.errors.checkin_no_seat")
    previous = reg.attended
    reg.attended, reg.attendance_marked_at = attended, now
    session.add(reg)
    session.flush()
    audit(session, actor, "events.record_attendance", f"event:{event.id}", now=now,
          details={"registration_id": reg.id, "attended": attended, "before": previous})
    return reg

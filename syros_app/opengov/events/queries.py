"""Reads of open meetings and events: lists, counts, one person's place, open data
and the figures of /measurement."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.core.errors import NotFound
from syros_app.core.timefmt import as_utc

from . import rules
from .models import Event, EventRegistration


def get_event(session: Session, event_id: object) -> Event:
    """The event with this id (any client-sent value), or a typed NotFound."""
    try:
        row_id = int(event_id)
    except (TypeError, ValueError):
        row_id = None
    event = session.get(Event, row_id) if row_id is not None and abs(row_id) < 2**63 else None
    if event is None:
        raise NotFound("events.errors.not_found")
    return event


def link_title(session: Session, target: str) -> str | None:
    """An event's title for the tracker's links (None: no such event)."""
    try:
        return get_event(session, target if target.isdigit() and len(target) < 18 else None).title
    except NotFound:
        return None


def lock_event(session: Session, event_id: int) -> Event:
    """The event, locked until the transaction ends, so seats are counted by one writer at a
    time: a row lock on PostgreSQL; on SQLite the database write lock, taken before the
    first read (``BEGIN IMMEDIATE``; the busy timeout queues the others)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        dbapi = connection.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            dbapi.execute("BEGIN IMMEDIATE")
    query = (select(Event).where(Event.id == event_id).with_for_update()
             .execution_options(populate_existing=True))
    event = session.exec(query).first()
    if event is None:
        raise NotFound("events.errors.not_found")
    return event


def get_registration(session: Session, registration_id: int) -> EventRegistration:
    reg = session.get(EventRegistration, registration_id) if 0 < registration_id < 2**63 else None
    if reg is None:
        raise NotFound("events.errors.registration_not_found")
    return reg


def checkin_list(session: Session, event_id: int) -> list[tuple[EventRegistration, str]]:
    """The people with a seat, by name (staff only: the list at the door), with their marks."""
    from syros_app.identity.models import Person

    rows = session.exec(select(EventRegistration, Person.display_name)
                        .join(Person, Person.id == EventRegistration.person_id)
                        .where(EventRegistration.event_id == event_id,
                               EventRegistration.status == rules.REGISTERED)).all()
    return sorted(((reg, name or "") for reg, name in rows), key=lambda pair: (pair[1].casefold(), pair[0].id))


def attendance_counts(session: Session, event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per event: (attended, did not come), from the marks at the door on seats."""
    found = {i: (0, 0) for i in event_ids}
    if event_ids:
        rows = session.exec(select(EventRegistration.event_id, EventRegistration.attended, func.count())
                            .where(EventRegistration.event_id.in_(event_ids),
                                   EventRegistration.status == rules.REGISTERED,
                                   EventRegistration.attended.is_not(None))
                            .group_by(EventRegistration.event_id, EventRegistration.attended)).all()
        for event_id, attended, n in rows:
            came, missed = found[event_id]
            found[event_id] = (came + int(n), missed) if attended else (came, missed + int(n))
    return found


def counts(session: Session, event_ids: list[int]) -> dict[int, Counter]:
    """Per event: how many registered and waitlisted (and cancelled)."""
    found: dict[int, Counter] = {i: Counter() for i in event_ids}
    if event_ids:
        rows = session.exec(select(EventRegistration.event_id, EventRegistration.status, func.count())
                            .where(EventRegistration.event_id.in_(event_ids))
                            .group_by(EventRegistration.event_id, EventRegistration.status)).all()
        for event_id, status, n in rows:
            found[event_id][status] = int(n)
    return found


def registration(session: Session, event_id: int, person_id: int) -> EventRegistration | None:
    return session.exec(select(EventRegistration).where(EventRegistration.event_id == event_id,
                                                        EventRegistration.person_id == person_id)).first()


def waitlist(session: Session, event_id: int) -> list[EventRegistration]:
    """The queue, first in line first."""
    return list(session.exec(select(EventRegistration)
                             .where(EventRegistration.event_id == event_id,
                                    EventRegistration.status == rules.WAITLISTED)
                             .order_by(EventRegistration.queued_at, EventRegistration.id)))


def seats_taken(session: Session, event_id: int) -> int:
    return session.exec(select(func.count()).select_from(EventRegistration).where(
        EventRegistration.event_id == event_id, EventRegistration.status == rules.REGISTERED)).one()


def waitlist_position(session: Session, reg: EventRegistration) -> int:
    """1 for the first in line (0 when not waiting)."""
    if reg.status != rules.WAITLISTED:
        return 0
    ahead = session.exec(select(func.count()).select_from(EventRegistration).where(
        EventRegistration.event_id == reg.event_id, EventRegistration.status == rules.WAITLISTED,
        (EventRegistration.queued_at < reg.queued_at)
        | ((EventRegistration.queued_at == reg.queued_at) & (EventRegistration.id < reg.id)))).one()
    return int(ahead) + 1


def upcoming(session: Session, now: datetime, *, public_only: bool = True) -> list[Event]:
    query = select(Event).where(Event.ends_at > as_utc(now))
    if public_only:
        query = query.where(Event.status == rules.SCHEDULED)
    return list(session.exec(query.order_by(Event.starts_at, Event.id)))


def past(session: Session, now: datetime, limit: int = 50) -> list[Event]:
    return list(session.exec(select(Event).where(Event.ends_at <= as_utc(now), Event.status == rules.SCHEDULED)
                             .order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)))


def all_events(session: Session) -> list[Event]:
    return list(session.exec(select(Event).order_by(Event.starts_at.desc(), Event.id.desc())))


def registered_people(session: Session, event_id: int) -> list[EventRegistration]:
    return list(session.exec(select(EventRegistration).where(EventRegistration.event_id == event_id,
                                                             EventRegistration.status.in_(rules.ACTIVE))))


# --- open data and figures ----------------------------------------------------------------------

def open_data(session: Session, now: datetime) -> list[dict]:
    """Every event, as published at ``GET /api/v1/events`` (no personal data: counts only)."""
    events = all_events(session)
    tally = counts(session, [e.id for e in events])
    marks = attendance_counts(session, [e.id for e in events])
    return [{
        "id": e.id, "kind": e.kind, "title": e.title, "description": e.description, "place": e.place,
        "lat": e.lat, "lon": e.lon, "starts_at": as_utc(e.starts_at).isoformat(),
        "ends_at": as_utc(e.ends_at).isoformat(), "quarter": rules.quarter_of(e.starts_at),
        "capacity": e.capacity, "registration_open": e.registration_open, "status": e.status,
        "held": rules.is_held(e.status, e.ends_at, now),
        "registered": tally[e.id][rules.REGISTERED], "waitlisted": tally[e.id][rules.WAITLISTED],
        "minutes": e.minutes, "recording_url": e.recording_url, "attendance": e.attendance,
        "attended": marks[e.id][0], "no_shows": marks[e.id][1],
        "minutes_published_at": as_utc(e.minutes_published_at).isoformat() if e.minutes_published_at else None,
        "url": f"/events/{e.id}", "ical_url": f"/api/v1/events/{e.id}.ics",
    } for e in events]


@dataclass(frozen=True)
class FigureRow:
    quarter: str
    kind: str
    held: int
    registrations: int
    with_minutes: int
    attended: int  # seats marked "attended" at the door
    no_shows: int  # seats marked "did not come" (the attendance rate is attended / both)


def figures(rows: list[dict]) -> list[FigureRow]:
    """Events held per quarter and kind, the seats taken at them, how many have their minutes
    published, and how many of the seats marked at the door came — computed from the
    open-data rows (counts only), so anyone can recompute them."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        if row["held"]:
            grouped.setdefault((row["quarter"], row["kind"]), []).append(row)

    def row(quarter: str, kind: str, items: list[dict]) -> FigureRow:
        return FigureRow(quarter, kind, len(items), sum(r["registered"] for r in items),
                         sum(1 for r in items if r["minutes"]), sum(r["attended"] for r in items),
                         sum(r["no_shows"] for r in items))

    order = {kind: i for i, kind in enumerate(rules.KINDS)}
    return [row(quarter, kind, items)
            for (quarter, kind), items in sorted(grouped.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99)))]

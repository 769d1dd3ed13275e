"""What the event pages show: view models and the builders from rows to them, so states
only assign what these return. Every time is Athens time in both languages."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core import formatting
from syros_app.core.actions import MAX_ID
from syros_app.core.actors import Actor
from syros_app.core.i18n import translate
from syros_app.core.registry import OpenItem
from syros_app.core.timefmt import as_utc, to_athens, utcnow  # noqa: F401  (utcnow: the states' clock)

from . import queries, rules
from .models import Event
from .permissions import MATRIX


class Both(BaseModel):
    """A text the server prepared in both languages (the page shows the reader's)."""

    el: str = ""
    en: str = ""


class EventCard(BaseModel):
    when: Both = Both()
    id: int = 0
    title: str = ""
    kind: str = "council"
    place: str = ""
    seats: Both = Both()
    full: bool = False
    cancelled: bool = False
    has_minutes: bool = False


class EventView(EventCard):
    """Everything the event's own page shows, and this person's place."""

    description: str = ""
    map_url: str = ""
    ical_url: str = ""
    my_status: str = ""  # "" | registered | waitlisted
    my_position: Both = Both()
    can_register: bool = False
    closed_reason: str = ""  # catalogue key of why registering is not possible
    minutes: str = ""
    recording_url: str = ""
    my_attended: str = ""  # "" not marked | "yes" attended | "no" did not come (marked at the door)


class StaffRow(EventCard):
    """One event on the staff desk. ``form`` holds its edit form's values by field name
    (times as the datetime-local input wants them, in Athens time); empty: a new event."""

    status: str = ""
    registered: str = ""
    waitlisted: str = ""
    form: dict[str, str] = {}
    capacity: str = ""
    past: bool = False
    can_publish: bool = False


class FigureView(BaseModel):
    """One row of the events' figures: its quarter and kind, then each figure's cell."""

    quarter: str
    kind: str
    cells: list[Both]


def row_id(value: object) -> int:
    """A row id from the page; 0 (no row) when it is not one."""
    text = str(value).strip()
    number = int(text) if text.isascii() and text.isdigit() else 0
    return number if number <= MAX_ID else 0


def _both(fn, *args, **params) -> Both:
    return Both(el=fn(*args, "el", **params), en=fn(*args, "en", **params))


def _seats(capacity: int | None, taken: int, lang: str) -> str:
    if capacity is None:
        return translate("events.seats.unlimited", lang)
    left = max(0, capacity - taken)
    if left == 0:
        return translate("events.seats.full", lang)
    return translate("events.seats.left", lang, n=formatting.number(left, lang))


def _card_fields(event: Event, taken: int) -> dict:
    return dict(id=event.id, title=event.title, kind=event.kind, place=event.place,
                when=_both(formatting.datetime_text, event.starts_at), seats=_both(_seats, event.capacity, taken),
                full=event.capacity is not None and taken >= event.capacity,
                cancelled=event.status == rules.CANCELLED, has_minutes=bool(event.minutes))


def cards(session: Session, events: list[Event]) -> list[EventCard]:
    tally = queries.counts(session, [e.id for e in events])
    return [EventCard(**_card_fields(e, tally[e.id][rules.REGISTERED])) for e in events]


def list_page(session: Session, now: datetime) -> dict:
    return {"upcoming": cards(session, queries.upcoming(session, now)), "past": cards(session, queries.past(session, now)),
            "loaded": True}


def _position(position: int, lang: str) -> str:
    return translate("events.page.position", lang, n=formatting.number(position, lang)) if position else ""


def _closed_reason(event: Event, now: datetime) -> str:
    if event.status == rules.CANCELLED:
        return "events.errors.cancelled"
    if as_utc(event.starts_at) <= now:
        return "events.errors.started"
    if not event.registration_open:
        return "events.errors.registration_closed"
    return ""


def event_page(session: Session, event_id: int, actor: Actor | None, now: datetime | None = None) -> dict:
    now = as_utc(now or utcnow())
    event = session.get(Event, event_id) if event_id else None
    if event is None:
        return {"found": False, "loaded": True}
    taken = queries.seats_taken(session, event.id)
    fields = _card_fields(event, taken)
    reg = queries.registration(session, event.id, actor.person_id) if actor is not None else None
    # a cancelled event leaves nobody a place to keep or cancel
    mine = reg.status if reg is not None and reg.status in rules.ACTIVE and event.status == rules.SCHEDULED else ""
    position = queries.waitlist_position(session, reg) if reg is not None else 0
    reason = _closed_reason(event, now)
    view = EventView(
        **fields, description=event.description, ical_url=f"/api/v1/events/{event.id}.ics",
        map_url=(f"https://www.openstreetmap.org/?mlat={event.lat}&mlon={event.lon}#map=17/{event.lat}/{event.lon}"
                 if event.lat is not None and event.lon is not None else ""),
        my_status=mine,
        my_attended=_mark(reg.attended) if reg is not None and reg.status == rules.REGISTERED else "",
        my_position=_both(_position, position),
        can_register=not reason and not mine and MATRIX.allows(actor, "register"),
        closed_reason=reason, minutes=event.minutes or "", recording_url=event.recording_url or "",
    )
    return {"found": True, "loaded": True, "view": view, "logged_in": actor is not None}


def _mark(attended: bool | None) -> str:
    return "" if attended is None else "yes" if attended else "no"


class CheckinRow(BaseModel):
    """One seat on the list at the door: the person's name and their mark."""

    id: int
    name: str
    mark: str  # "" | "yes" | "no"


class CheckinView(BaseModel):
    id: int = 0
    title: str = ""
    when: Both = Both()
    open: bool = False  # marks may be set now
    rows: list[CheckinRow] = []
    summary: Both = Both()


def _summary(came: int, missed: int, unmarked: int, lang: str) -> str:
    n = lambda value: formatting.number(value, lang)  # noqa: E731
    return translate("events.checkin.summary", lang, came=n(came), missed=n(missed), unmarked=n(unmarked))


def checkin_page(session: Session, event_id: int, now: datetime | None = None) -> dict:
    """The check-in list of one event (the caller checked that the reader is staff)."""
    now = as_utc(now or utcnow())
    event = session.get(Event, event_id) if event_id else None
    if event is None:
        return {"found": False, "loaded": True}
    rows = [CheckinRow(id=reg.id, name=name, mark=_mark(reg.attended))
            for reg, name in queries.checkin_list(session, event.id)]
    marks = [r.mark for r in rows]
    view = CheckinView(id=event.id, title=event.title, when=_both(formatting.datetime_text, event.starts_at),
                       open=rules.checkin_open(event.status, event.starts_at, now), rows=rows,
                       summary=_both(_summary, marks.count("yes"), marks.count("no"), marks.count("")))
    return {"found": True, "loaded": True, "view": view}


def _local_input(value: datetime) -> str:
    return to_athens(value).strftime("%Y-%m-%dT%H:%M")


def _form(e: Event) -> dict[str, str]:
    """The edit form's values of an event, by field name."""
    return {"kind": e.kind, "title": e.title, "description": e.description, "place": e.place,
            "starts_at": _local_input(e.starts_at), "ends_at": _local_input(e.ends_at),
            "capacity": str(e.capacity or ""), "lat": "" if e.lat is None else str(e.lat),
            "lon": "" if e.lon is None else str(e.lon), "registration_open": "on" if e.registration_open else "",
            "minutes": e.minutes or "", "recording_url": e.recording_url or "",
            "attendance": "" if e.attendance is None else str(e.attendance)}


def staff_rows(session: Session, now: datetime | None = None) -> list[StaffRow]:
    now = as_utc(now or utcnow())
    events = queries.all_events(session)
    tally = queries.counts(session, [e.id for e in events])
    return [StaffRow(
        **_card_fields(e, tally[e.id][rules.REGISTERED]), status=e.status,
        registered=formatting.number(tally[e.id][rules.REGISTERED]),
        waitlisted=formatting.number(tally[e.id][rules.WAITLISTED]), form=_form(e),
        capacity=formatting.number(e.capacity) if e.capacity is not None else "∞",
        past=as_utc(e.ends_at) <= now, can_publish=as_utc(e.starts_at) <= now and e.status == rules.SCHEDULED,
    ) for e in events]


def figure_rows(session: Session, now: datetime | None = None) -> list[FigureView]:
    rows = queries.figures(queries.open_data(session, as_utc(now or utcnow())))
    return [FigureView(quarter=r.quarter, kind=r.kind,
                       cells=[*(_both(formatting.number, n) for n in (r.held, r.registrations, r.with_minutes)),
                              _both(formatting.percent, rules.attendance_rate(r.attended, r.no_shows))])
            for r in rows]


def open_now(session: Session, now: datetime) -> list[OpenItem]:
    """Upcoming events open for registration, for the home page."""
    return [OpenItem(kind_key="events.kind_label", title=e.title, url=f"/events/{e.id}", closes_at=e.starts_at)
            for e in queries.upcoming(session, now) if e.registration_open][:5]


def number_or_none(value: object) -> float | None:
    """A typed coordinate ("37,44" as well as "37.44"), or None when empty; text stays text
    (the action's schema refuses it with a clear error)."""
    text = str(value or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def form_input(data: object) -> dict:
    """The event form as the actions take it (the actions validate every field)."""
    data = data if isinstance(data, dict) else {}
    capacity = str(data.get("capacity", "")).strip()
    return {
        "kind": str(data.get("kind", "")), "title": str(data.get("title", "")),
        "description": str(data.get("description", "")), "place": str(data.get("place", "")),
        "starts_at": str(data.get("starts_at", "")) or None, "ends_at": str(data.get("ends_at", "")) or None,
        "capacity": capacity or None, "registration_open": data.get("registration_open") in ("on", True, "true"),
        "lat": number_or_none(data.get("lat")), "lon": number_or_none(data.get("lon")),
    }

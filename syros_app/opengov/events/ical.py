"""iCalendar (RFC 5545) of the events, built with the ``icalendar`` library: stable UIDs
(the event's id and the site's host), times in Europe/Athens with its VTIMEZONE, and
a cancelled event kept with ``STATUS:CANCELLED`` so calendars that subscribed drop it."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as VEvent

from syros_app.core.i18n import translate
from syros_app.core.timefmt import to_athens

from . import rules
from .models import Event

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Municipality of Syros-Ermoupoli//Syros Agora events//EL"


def uid(event_id: int, public_url: str) -> str:
    return f"event-{event_id}@{urlsplit(public_url).hostname or 'syros-agora.local'}"


def _vevent(event: Event, public_url: str, now: datetime) -> VEvent:
    item = VEvent()
    item.add("uid", uid(event.id, public_url))
    item.add("dtstamp", now)
    item.add("created", event.created_at)
    item.add("last-modified", event.updated_at)
    item.add("sequence", int(event.updated_at.timestamp()) - int(event.created_at.timestamp()))
    item.add("dtstart", to_athens(event.starts_at))
    item.add("dtend", to_athens(event.ends_at))
    kind = translate(f"events.kind.{event.kind}", "el")
    item.add("summary", event.title)
    item.add("description", f"{kind}\n\n{event.description}")
    item.add("location", event.place)
    item.add("categories", [kind])
    item.add("url", public_url.rstrip("/") + f"/events/{event.id}")
    if event.lat is not None and event.lon is not None:
        item.add("geo", (event.lat, event.lon))
    item.add("status", "CANCELLED" if event.status == rules.CANCELLED else "CONFIRMED")
    return item


def calendar(events: list[Event], *, public_url: str, now: datetime, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Athens")
    for event in events:
        cal.add_component(_vevent(event, public_url, now))
    if events:
        first = min(to_athens(e.starts_at).date() for e in events)
        cal.add_missing_timezones(first_date=date(first.year - 1, 1, 1))
    return cal.to_ical()

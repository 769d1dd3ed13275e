"""Pure rules of open meetings and events: kinds, limits, placement (a seat or the
waitlist), the reminder's time and the quarter an event counts in. No database, no Reflex."""

from __future__ import annotations

from datetime import datetime, timedelta

from syros_app.core.timefmt import ATHENS, as_utc, to_athens

KINDS = ("council", "workshop", "open_day")
SCHEDULED, CANCELLED = "scheduled", "cancelled"
REGISTERED, WAITLISTED, WITHDRAWN = "registered", "waitlisted", "cancelled"
ACTIVE = (REGISTERED, WAITLISTED)

MAX_TITLE, MAX_DESCRIPTION, MAX_PLACE, MAX_MINUTES, MAX_URL = 160, 8000, 200, 50_000, 500
MIN_TITLE, MIN_DESCRIPTION = 5, 10
MAX_CAPACITY = 100_000
MAX_DURATION = timedelta(days=7)
# The reminder goes to each person with a seat this long before the start.
REMINDER_BEFORE = timedelta(hours=24)
# The check-in list opens this long before the start (people arrive early); it stays open after
# the event, so a mistake can be corrected.
CHECKIN_BEFORE = timedelta(hours=3)
# Syros and its waters: a map point outside this box is a typo.
SYROS_BOX = (37.33, 37.53, 24.84, 25.00)


def local_to_utc(value: datetime) -> datetime:
    """A time typed in a form (naive: Athens wall-clock time) or an aware one, as aware UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ATHENS)
    return as_utc(value)


def placement(capacity: int | None, seats_taken: int) -> str:
    """Where a new registration goes: a seat while one is free, else the waitlist."""
    return REGISTERED if capacity is None or seats_taken < capacity else WAITLISTED


def seats_to_fill(capacity: int | None, seats_taken: int, waiting: int) -> int:
    """How many people at the head of the waitlist get a seat now."""
    if capacity is None:
        return waiting
    return max(0, min(waiting, capacity - seats_taken))


def reminder_at(starts_at: datetime, now: datetime) -> datetime | None:
    """When the reminder is due, or None when the event starts sooner than that (the
    person has just been told)."""
    due = as_utc(starts_at) - REMINDER_BEFORE
    return due if due > as_utc(now) else None


def quarter_of(moment: datetime) -> str:
    """``2026-Q4``: the calendar quarter of a moment in Athens time."""
    local = to_athens(moment)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def is_held(status: str, ends_at: datetime, now: datetime) -> bool:
    """An event counts as held once it ended without being cancelled."""
    return status == SCHEDULED and as_utc(ends_at) <= as_utc(now)


def checkin_open(status: str, starts_at: datetime, now: datetime) -> bool:
    """Whether attendance may be marked: a scheduled event, from shortly before its start."""
    return status == SCHEDULED and as_utc(now) >= as_utc(starts_at) - CHECKIN_BEFORE


def attendance_rate(attended: int, no_shows: int) -> float | None:
    """People who came over the places marked at the door (None when nobody was marked)."""
    marked = attended + no_shows
    return attended / marked if marked else None


def on_syros(lat: float, lon: float) -> bool:
    south, north, west, east = SYROS_BOX
    return south <= lat <= north and west <= lon <= east


def safe_url(value: str) -> bool:
    """Only web links (never ``javascript:`` and the like) are published."""
    return value.startswith("https://") and " " not in value

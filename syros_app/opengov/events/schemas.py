"""Public routes of open meetings and events, for the OpenAPI document."""

from __future__ import annotations

from syros_app.api.operation import CSV, Answer, Operation, Param

ICAL = "text/calendar"


class EventRow(Answer):
    id: int
    kind: str  # council | workshop | open_day
    title: str
    description: str
    place: str
    lat: float | None
    lon: float | None
    starts_at: str
    ends_at: str
    quarter: str
    capacity: int | None
    registration_open: bool
    status: str
    held: bool
    registered: int
    waitlisted: int
    minutes: str | None
    recording_url: str | None
    attended: int  # seats marked "attended" at the door (counts only, no person)
    no_shows: int  # seats marked "did not come"
    attendance: int | None  # the headcount recorded with the minutes (walk-ins included)
    minutes_published_at: str | None
    url: str
    ical_url: str


class EventList(Answer):
    events: list[EventRow]


OPERATIONS = [
    Operation("GET", "/api/v1/events", "api.op.events", "events", EventList,
              params=(Param("format", enum=("json", "csv")),), also=(CSV,)),
    Operation("GET", "/api/v1/events.ics", "api.op.events_ical", "events", None, media_type=ICAL),
    Operation("GET", "/api/v1/events/{event_id}.ics", "api.op.event_ical", "events", None, media_type=ICAL,
              errors=(404,)),
    Operation("GET", "/api/v1/events/figures.csv", "api.op.events_figures", "events", None, media_type=CSV),
]

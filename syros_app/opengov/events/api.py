"""HTTP routes of events: the iCalendar feeds (all upcoming, and one event), the open
data (JSON and CSV) and the figures of /measurement as CSV."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.api.csv_files import csv_response
from syros_app.core.db import session_scope
from syros_app.core.errors import NotFound
from syros_app.core.i18n import translate
from syros_app.core.settings import get_settings
from syros_app.core.timefmt import utcnow

from . import ical, queries

OPEN_DATA_FIELDS = ("id", "kind", "title", "place", "starts_at", "ends_at", "quarter", "capacity", "status",
                    "held", "registered", "waitlisted", "attended", "no_shows", "attendance", "minutes_published_at",
                    "recording_url", "url")
FIGURE_FIELDS = ("quarter", "kind", "held", "registrations", "with_minutes", "attended", "no_shows")


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, media_type=ical.MEDIA_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-cache"})


async def feed(request: Request) -> Response:
    now = utcnow()
    with session_scope() as session:
        body = ical.calendar(queries.upcoming(session, now), public_url=get_settings().public_url, now=now,
                             name=translate("events.ical_name", "el"))
    return _ics(body, "syros-events.ics")


async def one(request: Request) -> Response:
    now = utcnow()
    with session_scope() as session:
        try:
            event = queries.get_event(session, request.path_params["event_id"])
        except NotFound:
            return JSONResponse({"error": "events.errors.not_found",
                                 "message": translate("events.errors.not_found", "el")}, status_code=404)
        body = ical.calendar([event], public_url=get_settings().public_url, now=now, name=event.title)
    return _ics(body, f"event-{event.id}.ics")


async def open_data(request: Request) -> Response:
    with session_scope() as session:
        rows = queries.open_data(session, utcnow())
    if request.query_params.get("format") == "csv":
        return csv_response(OPEN_DATA_FIELDS, ([row[k] for k in OPEN_DATA_FIELDS] for row in rows), "events.csv")
    return JSONResponse({"events": rows})


async def figures(request: Request) -> Response:
    with session_scope() as session:
        rows = queries.figures(queries.open_data(session, utcnow()))
    return csv_response(FIGURE_FIELDS, ([getattr(r, k) for k in FIGURE_FIELDS] for r in rows), "events-held.csv")


routes = [
    Route("/api/v1/events.ics", feed, methods=["GET"]),
    Route("/api/v1/events", open_data, methods=["GET"]),
    Route("/api/v1/events/figures.csv", figures, methods=["GET"]),
    Route("/api/v1/events/{event_id:int}.ics", one, methods=["GET"]),
]

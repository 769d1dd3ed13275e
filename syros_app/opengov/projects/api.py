"""Open data of the tracker: ``GET /api/v1/projects`` (JSON, or ``?format=csv``) and
its milestones ``GET /api/v1/projects/milestones`` (the measurement figures' raw data)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.api.csv_files import csv_response
from syros_app.core.db import session_scope
from syros_app.core.timefmt import utcnow

from . import queries

PROJECT_FIELDS = ("id", "parent_id", "title", "department", "status", "own_progress", "weight", "progress",
                  "budget", "spent", "starts_on", "ends_on", "last_update_at", "stale", "url")
MILESTONE_FIELDS = ("id", "project_id", "title", "due_on", "done_on")


def _wants_csv(request: Request) -> bool:
    return request.query_params.get("format") == "csv"


async def projects(request: Request) -> Response:
    with session_scope() as session:
        rows = queries.open_data(session, utcnow())
    if _wants_csv(request):
        return csv_response(PROJECT_FIELDS, ([r[f] for f in PROJECT_FIELDS] for r in rows), "projects.csv")
    return JSONResponse({"projects": rows})


async def milestones(request: Request) -> Response:
    with session_scope() as session:
        rows = queries.milestone_rows(session)
    if _wants_csv(request):
        return csv_response(MILESTONE_FIELDS, ([r[f] for f in MILESTONE_FIELDS] for r in rows),
                            "project-milestones.csv")
    return JSONResponse({"milestones": rows})


routes = [
    Route("/api/v1/projects", projects, methods=["GET"]),
    Route("/api/v1/projects/milestones", milestones, methods=["GET"]),
]

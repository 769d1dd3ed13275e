"""Open data of decisions: ``GET /api/v1/decisions`` (``q``, ``type``, ``year``;
JSON, or ``?format=csv``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.api.csv_files import csv_response
from syros_app.core.db import session_scope

from . import queries

FIELDS = ("ada", "subject", "issue_date", "decision_type", "document_url", "url", "linked")


def filters(params) -> dict:
    year = params.get("year", "")
    return {"q": params.get("q", "")[:200], "kind": params.get("type", "")[:20],
            "year": int(year) if year.isdigit() and len(year) == 4 else None}


async def decisions(request: Request) -> Response:
    with session_scope() as session:
        rows = queries.open_data(session, **filters(request.query_params))
    if request.query_params.get("format") == "csv":
        return csv_response(FIELDS, ([r[f] for f in FIELDS] for r in rows), "decisions.csv")
    return JSONResponse({"source": "https://diavgeia.gov.gr", "decisions": rows})


routes = [Route("/api/v1/decisions", decisions, methods=["GET"])]

"""HTTP routes of residents' proposals: the open data (JSON, CSV), the participation
figures behind /measurement (JSON, CSV) and a proposal's photo."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.api.csv_files import csv_response
from syros_app.core.db import session_scope
from syros_app.core.i18n import translate
from syros_app.core.timefmt import utcnow

from . import queries, rules

PARTICIPATION_FIELDS = ("municipal_unit", "age_band", "participants")


async def proposals(request: Request) -> Response:
    now = utcnow()
    with session_scope() as session:
        rows = queries.open_data(session, now=now)
    if request.query_params.get("format") == "csv":
        return csv_response(queries.OPEN_FIELDS, ([row[k] for k in queries.OPEN_FIELDS] for row in rows),
                            "proposals.csv")
    return JSONResponse({
        "threshold_rule": "ceil(share × verified residents of the area on the voter rolls), fixed when proposed",
        "answer_rule": "answer due within the set number of working days after the threshold is reached "
                       "(Mon–Fri, Greek public and local holidays excluded, Europe/Athens)",
        "statuses": list(rules.PUBLIC_STATUSES),
        "proposals": rows,
    })


async def participation(request: Request) -> Response:
    now = utcnow()
    with session_scope() as session:
        rows = queries.participation(session, now=now)
    if request.query_params.get("format") == "csv":
        return csv_response(PARTICIPATION_FIELDS, rows, "proposals-participation.csv")
    return JSONResponse({
        "definition": "distinct verified residents who made or supported a proposal, by the municipal unit of "
                      "their voter-roll entry and their age band this year (by birth year)",
        "age_bands": list(rules.AGE_BANDS),
        "rows": [dict(zip(PARTICIPATION_FIELDS, row)) for row in rows],
    })


async def photo(request: Request) -> Response:
    with session_scope() as session:
        row = queries.photo_of(session, request.path_params["proposal_id"])
        data = row.data if row is not None else None
    if data is None:
        return JSONResponse({"error": "proposals.errors.photo_not_found",
                             "message": translate("proposals.errors.photo_not_found", "el")}, status_code=404)
    return Response(data, media_type="image/jpeg", headers={"cache-control": "public, max-age=3600",
                                                            "x-content-type-options": "nosniff"})


routes = [
    Route("/api/v1/proposals", proposals, methods=["GET"]),
    Route("/api/v1/proposals/participation", participation, methods=["GET"]),
    Route("/api/v1/proposals/{proposal_id}/photo", photo, methods=["GET"]),
]

"""Open data of votes: the list, published results and the anonymous ballot list."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError, NotFound, PermissionDenied
from syros_app.core.i18n import normalise_language
from syros_app.core.timefmt import as_utc, utcnow

from . import queries


def _lang(request: Request) -> str:
    return normalise_language(request.cookies.get("syros_lang"))


def _error(exc: AgoraError, request: Request) -> JSONResponse:
    status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 400
    return JSONResponse({"error": exc.key, "message": exc.message(_lang(request))}, status_code=status)


def _iso(value) -> str | None:
    return as_utc(value).isoformat() if value else None


async def list_votes(request: Request) -> Response:
    now = utcnow()
    with session_scope() as session:
        votes = [
            {
                "id": vote.id, "title": vote.title, "question": vote.question, "kind": vote.kind, "status": status,
                "municipal_unit": vote.municipal_unit, "min_age": vote.min_age,
                "opens_at": _iso(vote.opens_at), "closes_at": _iso(vote.closes_at),
                "url": f"/votes/{vote.id}",
                "results_url": f"/api/v1/votes/{vote.id}/results.json" if status == "published" else None,
                "ballots_url": f"/api/v1/votes/{vote.id}/ballots.csv" if status == "published" else None,
            }
            for vote, status in queries.list_votes(session, now=now)
        ]
    return JSONResponse({"votes": votes})


async def results_json(request: Request) -> Response:
    try:
        with session_scope() as session:
            vote, results = queries.published_results(session, request.path_params["vote_id"])
            results = {**results, "title": vote.title, "question": vote.question}
    except AgoraError as exc:
        return _error(exc, request)
    return Response(json.dumps(results, ensure_ascii=False, indent=1), media_type="application/json")


async def ballots_csv(request: Request) -> Response:
    try:
        with session_scope() as session:
            text = queries.published_ballots_csv(session, request.path_params["vote_id"])
    except AgoraError as exc:
        return _error(exc, request)
    vote_id = request.path_params["vote_id"]
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="vote-{vote_id}-ballots.csv"'})


async def document(request: Request) -> Response:
    try:
        with session_scope() as session:
            doc = queries.document_of(session, request.path_params["vote_id"])
            data, name = doc.data, doc.filename
    except AgoraError as exc:
        return _error(exc, request)
    ascii_name = name.encode("ascii", "ignore").decode() or "document.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{ascii_name}"', "X-Content-Type-Options": "nosniff"})


routes = [
    Route("/api/v1/votes", list_votes, methods=["GET"]),
    Route("/api/v1/votes/{vote_id:int}/results.json", results_json, methods=["GET"]),
    Route("/api/v1/votes/{vote_id:int}/ballots.csv", ballots_csv, methods=["GET"]),
    Route("/api/v1/votes/{vote_id:int}/document.pdf", document, methods=["GET"]),
]

"""Open data of votes: the list, published results, the anonymous ballot list (plaintext votes),
the bulletin board and the election record (encrypted votes)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from syros_app.api.routing import RouteTable, error_response, refusals_as_errors, request_language
from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError, PermissionDenied
from syros_app.core.timefmt import as_utc, utcnow

from . import queries


routes = RouteTable()


def _read_json(request: Request, build) -> Response:
    """``build(session, vote_id)`` as JSON (a refusal is answered by ``refusals_as_errors``)."""
    with session_scope() as session:
        data = build(session, request.path_params["vote_id"])
    return JSONResponse(data)


def _iso(value) -> str | None:
    return as_utc(value).isoformat() if value else None


@routes.get("/api/v1/votes")
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
                # plaintext votes publish their ballots; encrypted ones a bulletin board and a record
                "ballots_url": f"/api/v1/votes/{vote.id}/ballots.csv"
                if status == "published" and not vote.encrypted else None,
                "encrypted": vote.encrypted,
                "board_url": f"/api/v1/votes/{vote.id}/board.json" if vote.encrypted and status != "draft" else None,
                "record_url": f"/api/v1/votes/{vote.id}/record" if vote.encrypted and status == "published" else None,
            }
            for vote, status in queries.list_votes(session, now=now)
        ]
    return JSONResponse({"votes": votes})


@routes.get("/api/v1/votes/{vote_id:int}/results.json")
@refusals_as_errors
async def results_json(request: Request) -> Response:
    with session_scope() as session:
        vote, results = queries.published_results(session, request.path_params["vote_id"])
        results = {**results, "title": vote.title, "question": vote.question}
    return Response(json.dumps(results, ensure_ascii=False, indent=1), media_type="application/json")


@routes.get("/api/v1/votes/{vote_id:int}/ballots.csv")
@refusals_as_errors
async def ballots_csv(request: Request) -> Response:
    with session_scope() as session:
        text = queries.published_ballots_csv(session, request.path_params["vote_id"])
    vote_id = request.path_params["vote_id"]
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="vote-{vote_id}-ballots.csv"'})


@routes.get("/api/v1/votes/{vote_id:int}/record")
@refusals_as_errors
async def election_record(request: Request) -> Response:
    """An encrypted vote's election record (RECORD.md): a ZIP of JSON files, after publication."""
    from .crypto import record

    vote_id = request.path_params["vote_id"]
    with session_scope() as session:
        files = queries.election_record(session, vote_id)
    return Response(record.write_archive(files), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="vote-{vote_id}-record.zip"'})


@routes.get("/api/v1/votes/{vote_id:int}/board.json")
@refusals_as_errors
async def board_json(request: Request) -> Response:
    """The bulletin board of an encrypted vote: every cast ballot's fingerprint and receipt (no choice)."""
    from .crypto.ballot import receipt

    return _read_json(request, lambda session, vote_id: {
        "ballots": [{"fingerprint": f, "receipt": receipt(f)} for f in queries.board(session, vote_id)]})


@routes.get("/api/v1/votes/{vote_id:int}/trustee-kit.json")
@refusals_as_errors
async def trustee_kit(request: Request) -> Response:
    """What a trustee's offline tool reads (public values only; see ``voting/trustee.py``)."""
    return _read_json(request, queries.trustee_kit)


@routes.get("/api/v1/votes/{vote_id:int}/document.pdf")
@refusals_as_errors
async def document(request: Request) -> Response:
    with session_scope() as session:
        doc = queries.document_of(session, request.path_params["vote_id"])
        data, name = doc.data, doc.filename
    ascii_name = name.encode("ascii", "ignore").decode() or "document.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{ascii_name}"', "X-Content-Type-Options": "nosniff"})


@routes.add("/api/v1/staff/votes/{vote_id:int}/document", "POST")
async def upload_document(request: Request) -> Response:
    """Staff upload of a vote's PDF from a plain multipart form (HttpOnly session cookie,
    SameSite=Lax, same-origin check), then back to the staff page with the outcome."""
    from urllib.parse import urlsplit

    from starlette.responses import RedirectResponse

    from syros_app.identity.sessions import resolve_cookie_header

    from . import actions
    from .permissions import MATRIX

    vote_id = request.path_params["vote_id"]
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
        return JSONResponse({"error": "errors.permission_denied"}, status_code=403)
    outcome = "ok"
    try:
        with session_scope() as session:
            actor = resolve_cookie_header(session, request.headers.get("cookie"))
        MATRIX.enforce(actor, "manage_votes")  # before the upload is read
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("document")
        if upload is None or isinstance(upload, str):
            raise AgoraError("voting.errors.document_empty")
        data = await upload.read(actions.MAX_DOCUMENT_BYTES + 1)
        with session_scope() as session:
            actions.attach_document(session, actor=actor, vote_id=vote_id, filename=upload.filename or "document.pdf",
                                    content_type=upload.content_type or "", data=data)
    except PermissionDenied as exc:
        return error_response(exc, request_language(request))
    except AgoraError as exc:
        outcome = exc.key
    return RedirectResponse(f"/staff/votes?vote={vote_id}&doc={outcome}", status_code=303)

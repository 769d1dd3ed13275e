"""HTTP routes of e-applications: the catalogue as open data, the logged-in person's own
applications as JSON, and the files of an application (receipt, signed answer, uploads)
for its applicant or the desk of its department."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError, NotFound, PermissionDenied
from syros_app.core.i18n import normalise_language, translate
from syros_app.core.timefmt import as_utc

from . import queries
from . import receipt as receipt_pdf
from .receipt import protocol_text

JSON_TYPE = "application/json; charset=utf-8"


def _json(data, status: int = 200, *, private: bool = False) -> Response:
    headers = {"Cache-Control": "private, no-store" if private else "public, max-age=300"}
    return Response(json.dumps(data, ensure_ascii=False), status_code=status, media_type=JSON_TYPE, headers=headers)


def _actor(request: Request):
    from syros_app.identity.sessions import resolve_cookie_header

    with session_scope() as session:
        return resolve_cookie_header(session, request.headers.get("cookie", ""))


def _refusal(request: Request, exc: AgoraError) -> Response:
    lang = normalise_language(request.query_params.get("lang", "")[:2].lower() or None)
    status = 404 if isinstance(exc, NotFound) else 401 if "login_required" in exc.key else 403 \
        if isinstance(exc, PermissionDenied) else 400
    return JSONResponse({"error": exc.key, "message": translate(exc.key, lang, **exc.params)}, status_code=status,
                        headers={"Cache-Control": "private, no-store"})


async def services(request: Request) -> Response:
    with session_scope() as session:
        return _json({"services": queries.services_open_data(session)})


def _iso(value) -> str | None:
    return as_utc(value).isoformat() if value else None


async def my_applications(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return _refusal(request, PermissionDenied("applications.errors.login_required"))
    with session_scope() as session:
        rows = queries.my_applications(session, actor.person_id)
        answered = queries.answered_ids(session, [a.id for a, _ in rows])
        data = [{
            "reference": a.reference, "service": s.slug, "title": {"el": s.title_el, "en": s.title_en},
            "status": a.status, "channel": a.channel,
            "incoming_protocol": protocol_text("in", a.in_protocol_number, a.in_protocol_year) or None,
            "outgoing_protocol": protocol_text("out", a.out_protocol_number, a.out_protocol_year) or None,
            "submitted_at": _iso(a.submitted_at), "due_at": _iso(a.due_at), "answered_at": _iso(a.answered_at),
            "closed_at": _iso(a.closed_at), "receipt_pdf": document_url(a.reference, "receipt"),
            "answer_pdf": document_url(a.reference, "answer") if a.id in answered else None,
        } for a, s in rows]
    return _json({"applications": data}, private=True)


def document_url(reference: str, kind: str) -> str:
    return f"/api/v1/applications/{quote(reference)}/{kind}.pdf"


def _file_response(filename: str, content_type: str, data: bytes, *, inline: bool) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, media_type=content_type, headers={
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


async def answer(request: Request) -> Response:
    try:
        with session_scope() as session:
            file = queries.document(session, _actor(request), request.path_params["reference"], "answer")
    except AgoraError as exc:
        return _refusal(request, exc)
    return _file_response(file.filename, file.content_type, file.data, inline=True)


async def receipt(request: Request) -> Response:
    lang = normalise_language(request.query_params.get("lang", "")[:2].lower() or None)
    try:
        with session_scope() as session:
            application = queries.viewable(session, _actor(request), request.path_params["reference"])
            name, pdf = await asyncio.to_thread(receipt_pdf.render, session, application, lang)
    except AgoraError as exc:
        return _refusal(request, exc)
    return _file_response(name, "application/pdf", pdf, inline=True)


async def upload(request: Request) -> Response:
    try:
        with session_scope() as session:
            file = queries.upload(session, _actor(request), int(request.path_params["file_id"]))
    except AgoraError as exc:
        return _refusal(request, exc)
    return _file_response(file.filename, file.content_type, file.data, inline=False)  # never shown as a page


routes = [Route(path, endpoint, methods=["GET"]) for path, endpoint in (
    ("/api/v1/applications/services", services),
    ("/api/v1/me/applications", my_applications),
    ("/api/v1/applications/files/{file_id:int}", upload),
    ("/api/v1/applications/{reference}/receipt.pdf", receipt),
    ("/api/v1/applications/{reference}/answer.pdf", answer),
)]

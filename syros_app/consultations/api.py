"""Open data of consultations (JSON, CSV) and the attachment routes.

    GET  /api/v1/consultations                      list (filters: phase, category, area)
    GET  /api/v1/consultations/{id}                 one, with sections, versions, attachments, counts
    GET  /api/v1/consultations/{id}/comments.json   public comments with supports and responses
    GET  /api/v1/consultations/{id}/comments.csv    the same as CSV (author = public display name)
    GET  /api/v1/consultations/{id}/report.json     the published "you said, we did" report
    GET  /api/v1/consultations/{id}/report.pdf      the same report as a PDF (``?lang=en`` for English labels)
    GET  /api/v1/consultations/attachments/{id}     an attachment (download)
    POST /api/v1/consultations/{id}/attachments     staff upload (multipart field ``file``)
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from syros_app.api.csv_files import csv_response
from syros_app.api.routing import RouteTable, error_response, refusals_as_errors, request_language
from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError, NotFound
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.identity.sessions import resolve_cookie_header

from . import actions, queries, report_pdf, rules
from .models import Attachment
from .permissions import MATRIX

CSV_FIELDS = ["comment_id", "parent_id", "section_id", "section", "author", "created_at", "edited_at", "status",
              "text", "agree", "disagree", "response_outcome", "response_reason"]

routes = RouteTable()


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def _actor(request: Request, session):
    return resolve_cookie_header(session, request.headers.get("cookie"))


def consultation_summary(c, phase: str, count: int) -> dict:
    return {
        "id": c.id, "title": c.title, "summary": c.summary, "category": c.category, "area": c.area,
        "opens_at": _iso(c.opens_at), "closes_at": _iso(c.closes_at), "moderation_mode": c.moderation_mode,
        "status": phase, "comment_count": count, "url": rules.consultation_url(c.id),
        "report_published_at": _iso(c.report_published_at),
    }


def comment_json(v: queries.CommentView, lang: str) -> dict:
    return {
        "id": v.id, "parent_id": v.parent_id, "section_id": v.section_id,
        "author": translate("consultations.deleted_user", lang) if v.author_deleted else v.author,
        "created_at": _iso(v.created_at), "edited_at": _iso(v.edited_at), "status": v.status,
        "text": public_text(v, lang), "agree": v.agree, "disagree": v.disagree,
        "response": {"outcome": v.response_outcome, "reason": v.response_reason} if v.response_outcome else None,
    }


def public_text(v: queries.CommentView, lang: str) -> str:
    if v.status == "hidden":
        return translate("consultations.hidden_by_moderator", lang, reason=v.hidden_reason)
    if v.status == "withdrawn":
        return translate("consultations.withdrawn_text", lang)
    return v.body


@routes.get("/api/v1/consultations")
async def list_route(request: Request) -> JSONResponse:
    q = request.query_params
    with session_scope() as session:
        rows = queries.list_consultations(session, now=utcnow(), phase=q.get("phase", ""),
                                          category=q.get("category", ""), area=q.get("area", ""))
        data = [consultation_summary(c, p, n) for c, p, n in rows]
    return JSONResponse({"consultations": data, "count": len(data)})


@routes.get("/api/v1/consultations/{consultation_id:int}")
@refusals_as_errors
async def detail_route(request: Request) -> JSONResponse:
    with session_scope() as session:
        c = queries.get_consultation(session, request.path_params["consultation_id"], actor=_actor(request, session))
        now = utcnow()
        counts = queries.section_counts(session, c.id)
        sections = queries.sections_of(session, c.id)
        versions = queries.versions_of(session, [s.id for s in sections])
        agree, disagree = queries.support_totals(session, c.id)
        data = consultation_summary(c, queries.phase_of(c, now), sum(counts.values()))
        data["whole_text_comment_count"] = counts.get(0, 0)
        data["supports"] = {"agree": agree, "disagree": disagree}
        data["sections"] = [{
            "id": s.id, "position": s.position, "title": s.title, "text": s.body, "version": s.version,
            "comment_count": counts.get(s.id, 0),
            "versions": [{"version": v.version, "title": v.title, "text": v.body, "note": v.note,
                          "created_at": _iso(v.created_at)} for v in versions.get(s.id, [])],
        } for s in sections]
        data["attachments"] = [{
            "id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
            "sha256": a.sha256, "url": f"/api/v1/consultations/attachments/{a.id}",
        } for a in queries.attachments_of(session, c.id)]
    return JSONResponse(data)


def _comments(request: Request):
    with session_scope() as session:
        c = queries.get_consultation(session, request.path_params["consultation_id"], actor=_actor(request, session))
        titles = {s.id: s.title for s in queries.sections_of(session, c.id)}
        return c, titles, queries.all_public_comments(session, c.id)


@routes.get("/api/v1/consultations/{consultation_id:int}/comments.json")
@refusals_as_errors
async def comments_json_route(request: Request) -> JSONResponse:
    lang = request_language(request)
    c, _titles, comments = _comments(request)
    return JSONResponse({"consultation_id": c.id, "comments": [comment_json(v, lang) for v in comments]})


@routes.get("/api/v1/consultations/{consultation_id:int}/comments.csv")
@refusals_as_errors
async def comments_csv_route(request: Request) -> Response:
    lang = request_language(request)
    c, titles, comments = _comments(request)
    whole = translate("consultations.whole_text", lang)
    rows = ([v.id, v.parent_id, v.section_id, titles.get(v.section_id, whole) if v.section_id else whole,
             row["author"], row["created_at"], row["edited_at"], v.status, row["text"],
             v.agree, v.disagree, v.response_outcome, v.response_reason]
            for v in comments for row in (comment_json(v, lang),))
    return csv_response(CSV_FIELDS, rows, f"consultation-{c.id}-comments.csv")


def _published_report(request: Request, lang: str) -> dict:
    """The report data, or NotFound while the report is not published (drafts included)."""
    with session_scope() as session:
        c = queries.get_consultation(session, request.path_params["consultation_id"])
        if c.status != "report_published":
            raise NotFound("consultations.errors.report_not_published")
        return report_data(session, c, lang)


@routes.get("/api/v1/consultations/{consultation_id:int}/report.json")
@refusals_as_errors
async def report_route(request: Request) -> JSONResponse:
    return JSONResponse(_published_report(request, request_language(request)))


@routes.get("/api/v1/consultations/{consultation_id:int}/report.pdf")
@refusals_as_errors
async def report_pdf_route(request: Request) -> Response:
    lang = request_language(request)
    data = _published_report(request, lang)
    # laying out pages takes a few hundred milliseconds of CPU: keep it off the event loop
    pdf = await run_in_threadpool(report_pdf.render_report_pdf, data, lang)
    filename = report_pdf.report_filename(data["consultation"]["id"])
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"})


def report_data(session, c, lang: str) -> dict:
    sections = queries.sections_of(session, c.id)
    versions = queries.versions_of(session, [s.id for s in sections])
    comments = queries.all_public_comments(session, c.id)
    responses = queries.responses_of(session, c.id)
    by_section: dict[int, list] = {}
    for v in comments:
        by_section.setdefault(v.section_id or 0, []).append(v)

    def section_block(key: int, title: str, s=None) -> dict:
        block = {"section_id": s.id if s else None, "title": title,
                 "comments": [comment_json(v, lang) for v in by_section.get(key, [])]}
        if s is not None:
            history = versions.get(s.id, [])
            first = history[0] if history else None
            block.update({
                "final_text": s.body, "version": s.version, "what_changed": s.change_summary,
                "diff": [{"kind": d.kind, "text": d.text} for d in rules.diff_lines(first.body if first else s.body, s.body)
                         if d.kind != "same"],
            })
        return block

    blocks = [section_block(0, translate("consultations.whole_text", lang))]
    blocks += [section_block(s.id, s.title, s) for s in sections]
    counts = {o: 0 for o in rules.OUTCOMES}
    for v in comments:
        if v.response_outcome:
            counts[v.response_outcome] += 1
    return {
        "consultation": consultation_summary(c, "report_published", len(comments)),
        "summary": c.report_summary,
        "published_at": _iso(c.report_published_at),
        "outcomes": counts,
        "responses": [{"id": r.id, "outcome": r.outcome, "reason": r.reason,
                       "comment_ids": [v.id for v in comments if v.response_id == r.id]}
                      for r in sorted(responses.values(), key=lambda r: r.id)],
        "sections": blocks,
    }


@routes.get("/api/v1/consultations/attachments/{attachment_id}")
@refusals_as_errors
async def attachment_route(request: Request) -> Response:
    with session_scope() as session:
        attachment = queries.load(session, Attachment, request.path_params["attachment_id"])
        queries.get_consultation(session, attachment.consultation_id, actor=_actor(request, session))
        data = queries.attachment_bytes(session, attachment)
    if data is None:
        raise NotFound("consultations.errors.attachment_not_found")
    disposition = "inline" if attachment.content_type.startswith("image/") else "attachment"
    return Response(data, media_type=attachment.content_type, headers={
        "Content-Disposition": f"{disposition}; filename*=utf-8''{quote(attachment.filename)}",
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"})


@routes.add("/api/v1/consultations/{consultation_id:int}/attachments", "POST")
async def upload_route(request: Request) -> JSONResponse:
    lang = request_language(request)
    limit = rules.attachment_max_bytes()
    try:
        length = int(request.headers.get("content-length") or 0)
    except ValueError:
        length = 0
    try:
        with session_scope() as session:
            actor = _actor(request, session)
            MATRIX.enforce(actor, "attach")  # before reading a body of megabytes
            if length > limit + 64 * 1024:
                raise AgoraError("consultations.errors.attachment_too_large", maximum=limit // (1024 * 1024))
            form = await request.form(max_files=1, max_fields=5, max_part_size=limit + 1)
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise AgoraError("consultations.errors.attachment_empty")
            data = await upload.read(limit + 1)
            attachment = actions.add_attachment(session, actor=actor,
                                                consultation_id=request.path_params["consultation_id"],
                                                filename=upload.filename or "", data=data)
            result = {"id": attachment.id, "filename": attachment.filename, "size": attachment.size}
    except AgoraError as exc:
        return error_response(exc, lang)
    except Exception as exc:  # noqa: BLE001 - multipart limits raise their own errors
        if exc.__class__.__name__ in {"MultiPartException", "HTTPException"}:
            return error_response(AgoraError("consultations.errors.attachment_too_large", maximum=limit // (1024 * 1024)), lang)
        raise
    return JSONResponse(result, status_code=201)

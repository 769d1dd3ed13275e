"""What the consultation pages show: the view models and the builders that fill them.

Each ``*_page`` builder reads through :mod:`.queries` inside the caller's transaction
(``ui.state_helpers.read``) and returns the state variables to assign, so the states
only assign. Row → view conversions live here too, once, for every page that needs them.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urlparse

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core.actors import Actor
from syros_app.core.i18n import translate
from syros_app.core import formatting
from syros_app.core.timefmt import ATHENS, as_utc, format_local, to_athens

from . import queries, rules
from .api import report_data


class SegmentView(BaseModel):
    text: str = ""
    href: str = ""


class _About(BaseModel):
    """What a consultation is about and when, as its card and its page say it."""

    id: int = 0
    title: str = ""
    summary: str = ""
    category: str = ""
    area: str = ""
    opens: str = ""
    closes: str = ""


class ListItem(_About):
    phase: str = ""
    count: int = 0
    url: str = ""


class ConsultationHead(_About):
    """The top of a consultation's page (``ConsultationState.head``), sent once per visit."""

    moderation_mode: str = "post"


class StaffDetails(BaseModel):
    """A consultation's details as its staff form shows them (``StaffConsultationState.details``)."""

    title: str = ""
    summary: str = ""
    category: str = ""
    area: str = ""
    opens_at: str = ""  # as a datetime-local input wants it
    closes_at: str = ""
    moderation_mode: str = "post"
    report_summary: str = ""


class StaffListItem(BaseModel):
    id: int = 0
    title: str = ""
    phase: str = ""
    closes: str = ""
    count: int = 0


class DiffLineView(BaseModel):
    kind: str = ""
    text: str = ""


class VersionView(BaseModel):
    version: int = 0
    created: str = ""
    note: str = ""
    diff: list[DiffLineView] = []


class SectionView(BaseModel):
    id: int = 0
    position: int = 0
    title: str = ""
    body: str = ""
    version: int = 1
    count: int = 0
    history: list[VersionView] = []
    change_summary: str = ""


class AttachmentView(BaseModel):
    id: int = 0
    filename: str = ""
    url: str = ""
    size: str = ""
    size_en: str = ""


class CommentItem(BaseModel):
    id: int = 0
    depth: int = 0
    author: str = ""
    author_deleted: bool = False
    body: str = ""
    segments: list[SegmentView] = []
    status: str = ""
    hidden_reason: str = ""
    created: str = ""
    edited: str = ""
    agree: int = 0
    disagree: int = 0
    response_outcome: str = ""
    response_reason: str = ""
    my_support: str = ""
    mine: bool = False
    editable: bool = False
    can_reply: bool = False
    can_support: bool = False
    section_title: str = ""
    section_greek: bool = False  # the title is an article's (Greek), not "the whole text"
    anchor: str = ""


class StaffCommentRow(BaseModel):
    id: int = 0
    depth: int = 0
    author: str = ""
    body: str = ""
    status: str = ""
    section_title: str = ""
    response_outcome: str = ""
    response_reason: str = ""


class QueueView(BaseModel):
    comment: CommentItem = CommentItem()
    comment_id: int = 0
    person_id: int = 0
    consultation_id: int = 0
    consultation_title: str = ""
    kind: str = ""
    flags: list[str] = []
    full_text: str = ""
    blocked_until: str = ""


class ReportSection(BaseModel):
    title: str = ""
    final_text: str = ""
    what_changed: str = ""
    diff: list[DiffLineView] = []
    comments: list[CommentItem] = []
    is_whole: bool = False


# --- small conversions ---------------------------------------------------------------------------

def to_int(value: object) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def size_text(n: int, lang: str = "el") -> str:
    if n >= 1024 * 1024:
        return f"{formatting.number(n / 1024 / 1024, lang, digits=1)} MB"
    return f"{formatting.number(max(1, n // 1024), lang)} KB"


def id_from_path(router: object) -> int:
    """The consultation id in the page's URL (``/consultations/12``, ``/staff/consultations/12``)."""
    try:
        path = urlparse(str(getattr(router, "url", "") or "")).path or ""
    except ValueError:
        return 0
    match = re.search(r"/consultations/(\d+)", path)
    return int(match.group(1)) if match else 0


def parse_local(value: object) -> datetime | None:
    """``2026-12-01T09:00`` (a datetime-local input, Athens time) → aware UTC."""
    try:
        return as_utc(datetime.fromisoformat(str(value)).replace(tzinfo=ATHENS))
    except (TypeError, ValueError):
        return None


def local_input(value: datetime) -> str:
    return to_athens(value).strftime("%Y-%m-%dT%H:%M")


def details_input(form: dict) -> dict:
    """The action input of a consultation's details form (create and edit share it)."""
    return {"title": form.get("title", ""), "summary": form.get("summary", ""), "category": form.get("category", ""),
            "area": form.get("area") or None, "opens_at": parse_local(form.get("opens_at")),
            "closes_at": parse_local(form.get("closes_at")), "moderation_mode": form.get("moderation_mode", "post")}


def chosen_comments(form: dict) -> list[str]:
    """The ids of the ticked ``c_<id>`` boxes of the response form."""
    return [key[2:] for key, value in form.items()
            if isinstance(key, str) and key.startswith("c_") and key[2:].isdigit() and value not in (False, "", None)]


def upload_outcome(result: object, lang: str) -> tuple[str, str]:
    """(error, notice) for the upload route's JSON answer as the browser handed it back."""
    try:
        data = json.loads(result) if isinstance(result, str) else {}
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    if data.get("id"):
        return "", translate("consultations.staff.attached", lang)
    if data.get("error") == "empty":
        return translate("consultations.errors.attachment_empty", lang), ""
    return str(data.get("message", "")) or translate("errors.unexpected", lang), ""


# --- rows → views ------------------------------------------------------------------------------

def comment_item(v: queries.CommentView, lang: str, *, viewer: Actor | None = None, accepts: bool = False,
                 now: datetime | None = None, section_titles: dict[int, str] | None = None) -> CommentItem:
    mine = viewer is not None and v.person_id == viewer.person_id
    return CommentItem(
        id=v.id, depth=min(v.depth, rules.MAX_DEPTH), author=v.author, author_deleted=v.author_deleted,
        body=v.body,
        segments=[SegmentView(text=s.text, href=s.href) for s in rules.segments(v.body, links_approved=v.links_approved)],
        status=v.status, hidden_reason=v.hidden_reason, created=format_local(v.created_at, lang),
        edited=format_local(v.edited_at, lang) if v.edited_at else "", agree=v.agree, disagree=v.disagree,
        response_outcome=v.response_outcome, response_reason=v.response_reason, my_support=v.my_support,
        mine=mine,
        editable=(mine and accepts and v.status in ("visible", "pending") and now is not None
                  and rules.within_edit_window(v.created_at, now)),
        can_reply=accepts and v.status == "visible" and v.depth < rules.MAX_DEPTH,
        can_support=accepts and v.status == "visible" and not mine,
        section_title=(section_titles or {}).get(v.section_id or 0, ""), section_greek=bool(v.section_id),
        anchor=f"comment-{v.id}",
    )


def diff_views(diff) -> list[DiffLineView]:
    return [DiffLineView(kind=d.kind, text=d.text) if not isinstance(d, dict) else DiffLineView(**d) for d in diff]


def history(versions, lang: str) -> list[VersionView]:
    """Each later version of an article with its differences from the one before, newest first."""
    out = []
    for previous, current in zip(versions, versions[1:]):
        diff = rules.diff_lines(previous.title + "\n" + previous.body, current.title + "\n" + current.body)
        out.append(VersionView(version=current.version, created=format_local(current.created_at, lang),
                               note=current.note, diff=diff_views(diff)))
    return list(reversed(out))


def _text_views(session: Session, consultation_id: int, counts: dict[int, int], lang: str) -> dict:
    """The articles (with their version history) and the attachments of one consultation."""
    sections = queries.sections_of(session, consultation_id)
    versions = queries.versions_of(session, [s.id for s in sections])
    return {
        "sections": [SectionView(id=s.id, position=s.position, title=s.title, body=s.body, version=s.version,
                                 change_summary=s.change_summary, count=counts.get(s.id, 0),
                                 history=history(versions.get(s.id, []), lang)) for s in sections],
        "attachments": [AttachmentView(id=a.id, filename=a.filename, size=size_text(a.size), size_en=size_text(a.size, "en"),
                                       url=f"/api/v1/consultations/attachments/{a.id}")
                        for a in queries.attachments_of(session, consultation_id)],
    }


def _section_titles(sections, lang: str) -> dict[int, str]:
    titles = {s.id: f"{s.position}. {s.title}" for s in sections}
    titles[0] = translate("consultations.whole_text", lang)
    return titles


# --- pages -------------------------------------------------------------------------------------

def list_page(session: Session, lang: str, now: datetime, *, phase: str, category: str, area: str) -> dict:
    rows = queries.list_consultations(session, now=now, phase=phase, category=category, area=area)
    return {"items": [ListItem(id=c.id, title=c.title, summary=c.summary, category=c.category, area=c.area or "",
                               phase=p, opens=format_local(c.opens_at, lang), closes=format_local(c.closes_at, lang),
                               count=n, url=rules.consultation_url(c.id)) for c, p, n in rows],
            "loaded": True}


def detail_page(session: Session, cid: int, lang: str, now: datetime, *, viewer: Actor | None, full: bool,
                shown_sections: list[SectionView], comments: bool, section_key: int | None, sort: str,
                page: int) -> dict:
    """One consultation as a reader sees it. ``full``: its text too (else only the counts of
    the articles already shown); ``comments``: one page of comments too."""
    c = queries.get_consultation(session, cid, actor=viewer)
    counts = queries.section_counts(session, c.id)
    out: dict = {"found": True, "phase": queries.phase_of(c, now), "whole_count": counts.get(0, 0),
                 "total_count": sum(counts.values()), "logged_in": viewer is not None,
                 "viewer_name": viewer.display_name if viewer else ""}
    if full:
        out["head"] = ConsultationHead(id=c.id, title=c.title, summary=c.summary, category=c.category, area=c.area or "",
                                       moderation_mode=c.moderation_mode, opens=format_local(c.opens_at, lang),
                                       closes=format_local(c.closes_at, lang))
        out.update(_text_views(session, c.id, counts, lang))
        shown_sections = out["sections"]
    elif any(s.count != counts.get(s.id, 0) for s in shown_sections):  # else nothing to resend
        out["sections"] = [s.model_copy(update={"count": counts.get(s.id, 0)}) for s in shown_sections]
    if not comments:
        return out | {"loaded": True}
    result = queries.comment_page(session, c.id, section_key=section_key, sort=sort, page=page, viewer=viewer)
    block = queries.active_block(session, viewer.person_id, now) if viewer else None
    titles = _section_titles(shown_sections, lang)
    accepts = out["phase"] == "open"
    return out | {
        "blocked_until": format_local(block.until, lang) if block else "",
        "comments": [comment_item(v, lang, viewer=viewer, accepts=accepts, now=now, section_titles=titles)
                     for v in result.items],
        "page": result.page, "pages": result.pages, "top_total": result.total,
        "loaded": True, "comments_loaded": True,
    }


def report_page(session: Session, cid: int, lang: str) -> dict:
    """The published "you said, we did" report (only the title while unpublished)."""
    c = queries.get_consultation(session, cid)
    if c.status != "report_published":
        return {"title": c.title, "published": False}
    data = report_data(session, c, lang)
    comments = {v.id: v for v in queries.all_public_comments(session, c.id)}
    return {
        "title": c.title, "published": True, "summary": c.report_summary,
        "published_at": format_local(c.report_published_at, lang), "closes": format_local(c.closes_at, lang),
        "comment_total": len(comments), "outcome_counts": [[k, str(n)] for k, n in data["outcomes"].items()],
        "report_sections": [ReportSection(
            title=b["title"], final_text=b.get("final_text", ""), what_changed=b.get("what_changed", ""),
            is_whole=b["section_id"] is None, diff=diff_views(b.get("diff", [])),
            comments=[comment_item(comments[cm["id"]], lang) for cm in b["comments"]],
        ) for b in data["sections"] if b["section_id"] is not None or b["comments"]],
    }


def staff_list_page(session: Session, lang: str, now: datetime) -> dict:
    rows = queries.list_consultations(session, now=now, include_drafts=True)
    return {"items": [StaffListItem(id=c.id, title=c.title, phase=p, closes=format_local(c.closes_at, lang), count=n)
                      for c, p, n in rows],
            "waiting": queries.waiting_count(session)}


def staff_consultation_page(session: Session, cid: int, lang: str, now: datetime, *, viewer: Actor | None) -> dict:
    """Everything staff edit on one consultation, with the public comments to answer."""
    c = queries.get_consultation(session, cid, actor=viewer)
    counts = queries.section_counts(session, c.id)
    out = {"found": True, "waiting": queries.waiting_count(session), "status": c.status,
           "phase": queries.phase_of(c, now), "details": StaffDetails(
               title=c.title, summary=c.summary, category=c.category, area=c.area or "",
               moderation_mode=c.moderation_mode, opens_at=local_input(c.opens_at),
               closes_at=local_input(c.closes_at), report_summary=c.report_summary)}
    out.update(_text_views(session, c.id, counts, lang))
    titles = _section_titles(out["sections"], lang)
    deleted = translate("consultations.deleted_user", lang)
    out["comment_rows"] = [StaffCommentRow(
        id=v.id, depth=v.depth, author=deleted if v.author_deleted else v.author, body=v.body or v.hidden_reason,
        status=v.status, section_title=titles.get(v.section_id or 0, titles[0]),
        response_outcome=v.response_outcome, response_reason=v.response_reason,
    ) for v in queries.all_public_comments(session, c.id) if v.status in ("visible", "hidden")]
    return out


def moderation_page(session: Session, lang: str, now: datetime) -> dict:
    return {"waiting": queries.waiting_count(session), "queue": [QueueView(
        comment=comment_item(i.comment, lang), comment_id=i.comment.id, person_id=i.comment.person_id,
        consultation_id=i.consultation_id, consultation_title=i.consultation_title, kind=i.kind, flags=i.flags,
        full_text=i.full_text,
        blocked_until=format_local(i.author_blocked_until, lang) if i.author_blocked_until else "",
    ) for i in queries.moderation_queue(session, now=now)]}

"""Reflex states of consultations: thin — read input, call an action or query, show the result.

Reader/resident states are plain ``rx.State`` (their writes still go through the
actions, which check who acts on the server); staff states subclass
``StaffState`` and resolve the actor before they look at any argument.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from urllib.parse import urlparse

import reflex as rx
from pydantic import BaseModel

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.core.timefmt import ATHENS, as_utc, format_local, to_athens, utcnow
from syros_app.identity.roles import MUNICIPAL_UNITS, Actor
from syros_app.identity.state import StaffState, current_actor
from syros_app.ui.state_helpers import reader_language as _lang
from syros_app.ui.state_helpers import run_service, staff_actor

from . import actions, queries, rules

# --- view models -------------------------------------------------------------------------------


class SegmentView(BaseModel):
    text: str = ""
    href: str = ""


class ListItem(BaseModel):
    id: int = 0
    title: str = ""
    summary: str = ""
    category: str = ""
    area: str = ""
    phase: str = ""
    opens: str = ""
    closes: str = ""
    count: int = 0
    url: str = ""


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
    anchor: str = ""


def _int(value: object) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _url_path(state: rx.State) -> str:
    try:
        return urlparse(str(state.router.url)).path or ""
    except Exception:  # noqa: BLE001 - no router in tests
        return ""


def _id_from_path(state: rx.State) -> int:
    match = re.search(r"/consultations/(\d+)", _url_path(state))
    return int(match.group(1)) if match else 0


def comment_item(v: queries.CommentView, *, viewer: Actor | None, accepts: bool, now: datetime,
                 section_titles: dict[int, str], lang: str) -> CommentItem:
    mine = viewer is not None and v.person_id == viewer.person_id
    return CommentItem(
        id=v.id, depth=min(v.depth, rules.MAX_DEPTH), author=v.author, author_deleted=v.author_deleted,
        body=v.body,
        segments=[SegmentView(text=s.text, href=s.href) for s in rules.segments(v.body, links_approved=v.links_approved)],
        status=v.status, hidden_reason=v.hidden_reason, created=format_local(v.created_at, lang),
        edited=format_local(v.edited_at, lang) if v.edited_at else "", agree=v.agree, disagree=v.disagree,
        response_outcome=v.response_outcome, response_reason=v.response_reason, my_support=v.my_support,
        mine=mine,
        editable=mine and accepts and v.status in ("visible", "pending") and rules.within_edit_window(v.created_at, now),
        can_reply=accepts and v.status == "visible" and v.depth < rules.MAX_DEPTH,
        can_support=accepts and v.status == "visible" and not mine,
        section_title=section_titles.get(v.section_id or 0, ""), anchor=f"comment-{v.id}",
    )


# --- public: the list --------------------------------------------------------------------------


class ConsultationListState(rx.State):
    items: list[ListItem] = []
    phase_filter: str = ""
    category_filter: str = ""
    area_filter: str = ""
    loaded: bool = False

    @rx.event
    async def load(self):
        lang = await _lang(self)
        now = utcnow()
        with session_scope() as session:
            rows = queries.list_consultations(session, now=now, phase=self.phase_filter,
                                              category=self.category_filter, area=self.area_filter)
        self.items = [ListItem(id=c.id, title=c.title, summary=c.summary, category=c.category, area=c.area or "",
                               phase=phase, opens=format_local(c.opens_at, lang), closes=format_local(c.closes_at, lang),
                               count=count, url=actions.consultation_url(c.id)) for c, phase, count in rows]
        self.loaded = True

    @rx.event
    async def set_phase_filter(self, value: str):
        self.phase_filter = value if value in ("open", "upcoming", "closed", "report_published") else ""
        await self.load()

    @rx.event
    async def set_category_filter(self, value: str):
        self.category_filter = value if value in rules.CATEGORIES else ""
        await self.load()

    @rx.event
    async def set_area_filter(self, value: str):
        self.area_filter = value if value in MUNICIPAL_UNITS or value == "all" else ""
        await self.load()


# --- public: one consultation ------------------------------------------------------------------


class ConsultationState(rx.State):
    cid: int = 0
    found: bool = False
    loaded: bool = False
    title: str = ""
    summary: str = ""
    category: str = ""
    area: str = ""
    phase: str = ""
    opens: str = ""
    closes: str = ""
    moderation_mode: str = "post"
    report_summary: str = ""
    sections: list[SectionView] = []
    attachments: list[AttachmentView] = []
    whole_count: int = 0
    total_count: int = 0
    comments: list[CommentItem] = []
    comments_loaded: bool = False
    page: int = 1
    pages: int = 1
    top_total: int = 0
    sort: str = "newest"
    section_filter: str = "all"  # all | 0 (whole text) | <section id>
    logged_in: bool = False
    viewer_name: str = ""
    blocked_until: str = ""
    reply_to: int = 0
    editing_id: int = 0
    flagging_id: int = 0
    error: str = ""
    notice: str = ""

    @rx.var
    def login_url(self) -> str:
        return f"/auth/login?next=/consultations/{self.cid}"

    @rx.var
    def accepts(self) -> bool:
        return self.phase == "open"

    @rx.var
    def comment_section_options(self) -> list[list[str]]:
        return [[str(s.id), f"{s.position}. {s.title}"] for s in self.sections]

    @rx.event
    async def load(self):
        self.cid = _id_from_path(self)
        self.reply_to = self.editing_id = self.flagging_id = 0
        self.error = self.notice = ""
        self.page, self.sort, self.section_filter = 1, "newest", "all"
        self.comments, self.comments_loaded = [], False
        # The text first (what a reader sees first on a phone), then the comments.
        await self._refresh(full=True, with_comments=False)
        yield
        await self._refresh()

    async def _refresh(self, *, full: bool = False, with_comments: bool = True):
        lang = await _lang(self)
        actor = current_actor(self)
        now = utcnow()
        self.logged_in = actor is not None
        self.viewer_name = actor.display_name if actor else ""
        try:
            with session_scope() as session:
                c = queries.get_consultation(session, self.cid, actor=actor)
                self.found = True
                self.phase = queries.phase_of(c, now)
                counts = queries.section_counts(session, c.id)
                if full:
                    self.title, self.summary, self.category = c.title, c.summary, c.category
                    self.area, self.moderation_mode, self.report_summary = c.area or "", c.moderation_mode, c.report_summary
                    self.opens, self.closes = format_local(c.opens_at, lang), format_local(c.closes_at, lang)
                    sections = queries.sections_of(session, c.id)
                    versions = queries.versions_of(session, [s.id for s in sections])
                    self.sections = [SectionView(
                        id=s.id, position=s.position, title=s.title, body=s.body, version=s.version,
                        change_summary=s.change_summary, count=counts.get(s.id, 0),
                        history=_history(versions.get(s.id, []), lang)) for s in sections]
                    self.attachments = [AttachmentView(id=a.id, filename=a.filename, size=_size(a.size),
                                                       url=f"/api/v1/consultations/attachments/{a.id}")
                                        for a in queries.attachments_of(session, c.id)]
                else:  # the plain list, not the state's change-tracking proxy of it (many times faster)
                    current = self.get_value("sections")
                    if any(s.count != counts.get(s.id, 0) for s in current):  # else nothing to resend
                        self.sections = [s.model_copy(update={"count": counts.get(s.id, 0)}) for s in current]
                self.whole_count = counts.get(0, 0)
                self.total_count = sum(counts.values())
                if not with_comments:
                    self.loaded = True
                    return
                key = None if self.section_filter == "all" else int(self.section_filter)
                page = queries.comment_page(session, c.id, section_key=key, sort=self.sort, page=self.page, viewer=actor)
                block = actions.active_block(session, actor.person_id, now) if actor else None
                self.blocked_until = format_local(block.until, lang) if block else ""
        except AgoraError:
            self.found = False
            self.loaded = True
            return
        titles = {s.id: f"{s.position}. {s.title}" for s in self.get_value("sections")}
        titles[0] = translate("consultations.whole_text", lang)
        accepts = self.phase == "open"
        self.comments = [comment_item(v, viewer=actor, accepts=accepts, now=now, section_titles=titles, lang=lang)
                         for v in page.items]
        self.page, self.pages, self.top_total = page.page, page.pages, page.total
        self.loaded = self.comments_loaded = True

    async def _run(self, fn, success_key: str = "", **kwargs) -> bool:
        """Call an action as the person on the other end of the socket; show its refusal."""
        actor = current_actor(self)
        return await run_service(self, lambda session: fn(session, actor=actor, **kwargs), success_key)

    @rx.event
    async def set_sort(self, value: str):
        self.sort = value if value in ("newest", "supported", "oldest") else "newest"
        self.page = 1
        await self._refresh()

    @rx.event
    async def set_section_filter(self, value: str):
        value = str(value)
        valid = {"all", "0", *(str(s.id) for s in self.sections)}
        self.section_filter = value if value in valid else "all"
        self.page = 1
        await self._refresh()

    @rx.event
    async def show_section_comments(self, section_id: int):
        await self.set_section_filter(str(section_id))
        return rx.call_script("document.getElementById('comments-heading')?.scrollIntoView()")

    @rx.event
    async def go_page(self, page: int):
        try:
            self.page = max(1, int(page))
        except (TypeError, ValueError):
            self.page = 1
        await self._refresh()

    @rx.event
    async def post_comment(self, form_data: dict):
        section = str(form_data.get("section", "0") or "0")
        section_id = int(section) if section.isdigit() and section != "0" else None
        key = "consultations.pending_notice" if self.moderation_mode == "pre" else "consultations.posted_notice"
        if await self._run(actions.post_comment, key, consultation_id=self.cid, body=form_data.get("body", ""),
                           section_id=section_id):
            await self._refresh()

    @rx.event
    def start_reply(self, comment_id: int):
        self.reply_to, self.editing_id, self.flagging_id = _int(comment_id), 0, 0
        self.error = self.notice = ""

    @rx.event
    def cancel(self):
        self.reply_to = self.editing_id = self.flagging_id = 0

    @rx.event
    async def post_reply(self, form_data: dict):
        key = "consultations.pending_notice" if self.moderation_mode == "pre" else "consultations.replied_notice"
        if await self._run(actions.post_comment, key, consultation_id=self.cid, body=form_data.get("body", ""),
                           parent_id=self.reply_to):
            self.reply_to = 0
            await self._refresh()

    @rx.event
    async def support(self, comment_id: int, value: str):
        if await self._run(actions.support_comment, comment_id=comment_id, value=value):
            await self._refresh()

    @rx.event
    def start_edit(self, comment_id: int):
        self.editing_id, self.reply_to, self.flagging_id = _int(comment_id), 0, 0
        self.error = self.notice = ""

    @rx.event
    async def save_edit(self, form_data: dict):
        if await self._run(actions.edit_comment, "consultations.edited_notice", comment_id=self.editing_id,
                           body=form_data.get("body", "")):
            self.editing_id = 0
            await self._refresh()

    @rx.event
    async def withdraw(self, comment_id: int):
        if await self._run(actions.withdraw_comment, "consultations.withdrawn_notice", comment_id=comment_id):
            self.editing_id = 0
            await self._refresh()

    @rx.event
    def start_flag(self, comment_id: int):
        self.flagging_id, self.reply_to, self.editing_id = _int(comment_id), 0, 0
        self.error = self.notice = ""

    @rx.event
    async def save_flag(self, form_data: dict):
        if await self._run(actions.flag_comment, "consultations.flagged_notice", comment_id=self.flagging_id,
                           reason=form_data.get("reason", "")):
            self.flagging_id = 0


def _history(versions, lang: str) -> list[VersionView]:
    out = []
    for previous, current in zip(versions, versions[1:]):
        diff = rules.diff_lines(previous.title + "\n" + previous.body, current.title + "\n" + current.body)
        out.append(VersionView(version=current.version, created=format_local(current.created_at, lang), note=current.note,
                               diff=[DiffLineView(kind=d.kind, text=d.text) for d in diff]))
    return list(reversed(out))


# --- public: the report ------------------------------------------------------------------------


class ReportSection(BaseModel):
    title: str = ""
    final_text: str = ""
    what_changed: str = ""
    diff: list[DiffLineView] = []
    comments: list[CommentItem] = []
    is_whole: bool = False


class ReportState(rx.State):
    cid: int = 0
    loaded: bool = False
    published: bool = False
    title: str = ""
    summary: str = ""
    published_at: str = ""
    closes: str = ""
    comment_total: int = 0
    outcome_counts: list[list[str]] = []
    report_sections: list[ReportSection] = []

    @rx.event
    async def load(self):
        from .api import report_data

        lang = await _lang(self)
        self.cid = _id_from_path(self)
        self.published = False
        now = utcnow()
        try:
            with session_scope() as session:
                c = queries.get_consultation(session, self.cid)
                self.title = c.title
                if c.status == "report_published":
                    data = report_data(session, c, lang)
                    comments = {v.id: v for v in queries.all_public_comments(session, c.id)}
                    self.published = True
                    self.summary = c.report_summary
                    self.published_at = format_local(c.report_published_at, lang)
                    self.closes = format_local(c.closes_at, lang)
                    self.comment_total = len(comments)
                    self.outcome_counts = [[k, str(n)] for k, n in data["outcomes"].items()]
                    self.report_sections = [ReportSection(
                        title=b["title"], final_text=b.get("final_text", ""), what_changed=b.get("what_changed", ""),
                        is_whole=b["section_id"] is None,
                        diff=[DiffLineView(kind=d["kind"], text=d["text"]) for d in b.get("diff", [])],
                        comments=[comment_item(comments[cm["id"]], viewer=None, accepts=False, now=now,
                                               section_titles={}, lang=lang) for cm in b["comments"]],
                    ) for b in data["sections"] if b["section_id"] is not None or b["comments"]]
        except AgoraError:
            self.title = ""
        self.loaded = True


# --- staff ------------------------------------------------------------------------------------


class _StaffPage(rx.State, mixin=True):
    """What every consultations staff page shows besides its own data."""

    allowed: bool = False
    loaded: bool = False
    waiting: int = 0
    error: str = ""


def _admit(state: rx.State) -> Actor | None:
    """The staff member opening a staff page (None for anyone else); marks the page loaded."""
    actor = staff_actor(state)
    state.allowed = actor is not None
    state.loaded = True
    return actor


def _parse_local(value: object) -> datetime | None:
    """``2026-12-01T09:00`` (a datetime-local input, Athens time) → aware UTC."""
    try:
        return as_utc(datetime.fromisoformat(str(value)).replace(tzinfo=ATHENS))
    except (TypeError, ValueError):
        return None


def _local_input(value: datetime) -> str:
    return to_athens(value).strftime("%Y-%m-%dT%H:%M")


class StaffListItem(BaseModel):
    id: int = 0
    title: str = ""
    phase: str = ""
    closes: str = ""
    count: int = 0


class StaffConsultationsState(_StaffPage, StaffState):
    items: list[StaffListItem] = []
    default_opens: str = ""
    default_closes: str = ""

    @rx.event
    async def load(self):
        actor = _admit(self)
        if actor is None:
            self.items = []
            return
        lang = await _lang(self)
        now = utcnow()
        with session_scope() as session:
            rows = queries.list_consultations(session, now=now, include_drafts=True)
            self.waiting = queries.waiting_count(session)
        self.items = [StaffListItem(id=c.id, title=c.title, phase=p, closes=format_local(c.closes_at, lang), count=n)
                      for c, p, n in rows]
        self.default_opens = _local_input(now)
        self.default_closes = _local_input(now + timedelta(days=21))

    @rx.event
    async def create(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        lang = await _lang(self)
        self.error = ""
        try:
            with session_scope() as session:
                c = actions.create_consultation(
                    session, actor=actor, title=form_data.get("title", ""), summary=form_data.get("summary", ""),
                    category=form_data.get("category", ""), area=form_data.get("area") or None,
                    opens_at=_parse_local(form_data.get("opens_at")), closes_at=_parse_local(form_data.get("closes_at")),
                    moderation_mode=form_data.get("moderation_mode", "post"))
                new_id = c.id
        except AgoraError as exc:
            self.error = exc.message(lang)
            return
        return rx.redirect(f"/staff/consultations/{new_id}")


class StaffCommentRow(BaseModel):
    id: int = 0
    depth: int = 0
    author: str = ""
    body: str = ""
    status: str = ""
    section_title: str = ""
    response_outcome: str = ""
    response_reason: str = ""


class StaffConsultationState(_StaffPage, StaffState):
    found: bool = False
    cid: int = 0
    title: str = ""
    summary: str = ""
    category: str = ""
    area: str = ""
    opens_at: str = ""
    closes_at: str = ""
    moderation_mode: str = "post"
    status: str = ""
    phase: str = ""
    report_summary: str = ""
    sections: list[SectionView] = []
    attachments: list[AttachmentView] = []
    comment_rows: list[StaffCommentRow] = []
    editing_section: int = 0
    notice: str = ""
    form_key: int = 0

    @rx.var
    def ended(self) -> bool:
        return self.phase == "closed"

    @rx.event
    async def load(self):
        actor = _admit(self)
        if actor is None:
            return
        self.cid = _id_from_path(self)
        self.error = self.notice = ""
        self.editing_section = 0
        await self._refresh(actor)

    async def _refresh(self, actor: Actor):
        lang = await _lang(self)
        now = utcnow()
        try:
            with session_scope() as session:
                c = queries.get_consultation(session, self.cid, actor=actor)
                self.waiting = queries.waiting_count(session)
                self.found = True
                self.title, self.summary, self.category = c.title, c.summary, c.category
                self.area, self.moderation_mode, self.status = c.area or "", c.moderation_mode, c.status
                self.phase = queries.phase_of(c, now)
                self.opens_at, self.closes_at = _local_input(c.opens_at), _local_input(c.closes_at)
                self.report_summary = c.report_summary
                sections = queries.sections_of(session, c.id)
                versions = queries.versions_of(session, [s.id for s in sections])
                counts = queries.section_counts(session, c.id)
                self.sections = [SectionView(id=s.id, position=s.position, title=s.title, body=s.body, version=s.version,
                                             count=counts.get(s.id, 0), change_summary=s.change_summary,
                                             history=_history(versions.get(s.id, []), lang)) for s in sections]
                self.attachments = [AttachmentView(id=a.id, filename=a.filename, size=_size(a.size),
                                                   url=f"/api/v1/consultations/attachments/{a.id}")
                                    for a in queries.attachments_of(session, c.id)]
                titles = {s.id: f"{s.position}. {s.title}" for s in sections}
                whole = translate("consultations.whole_text", lang)
                self.comment_rows = [StaffCommentRow(
                    id=v.id, depth=v.depth, author=translate("consultations.deleted_user", lang) if v.author_deleted
                    else v.author, body=v.body or v.hidden_reason, status=v.status,
                    section_title=titles.get(v.section_id, whole) if v.section_id else whole,
                    response_outcome=v.response_outcome, response_reason=v.response_reason,
                ) for v in queries.all_public_comments(session, c.id) if v.status in ("visible", "hidden")]
        except AgoraError:
            self.found = False
        self.form_key += 1

    async def _run(self, actor: Actor, fn, success_key: str, **kwargs) -> bool:
        if not await run_service(self, lambda session: fn(session, actor=actor, **kwargs), success_key):
            return False
        await self._refresh(actor)
        return True

    @rx.event
    async def save_details(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        await self._run(actor, actions.update_consultation, "consultations.staff.saved", consultation_id=self.cid,
                        title=form_data.get("title", ""), summary=form_data.get("summary", ""),
                        category=form_data.get("category", ""), area=form_data.get("area") or None,
                        opens_at=_parse_local(form_data.get("opens_at")),
                        closes_at=_parse_local(form_data.get("closes_at")),
                        moderation_mode=form_data.get("moderation_mode", "post"))

    @rx.event
    async def add_section(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        await self._run(actor, actions.add_section, "consultations.staff.section_added", consultation_id=self.cid,
                        title=form_data.get("title", ""), body=form_data.get("body", ""))

    @rx.event
    def start_section_edit(self, section_id: int):
        if staff_actor(self) is None:
            return
        self.editing_section = _int(section_id)

    @rx.event
    def cancel_section_edit(self):
        if staff_actor(self) is None:
            return
        self.editing_section = 0

    @rx.event
    async def save_section(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        if await self._run(actor, actions.edit_section, "consultations.staff.section_saved",
                           section_id=self.editing_section, title=form_data.get("title", ""),
                           body=form_data.get("body", ""), note=form_data.get("note", "")):
            self.editing_section = 0

    @rx.event
    async def save_change_summary(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        await self._run(actor, actions.set_change_summary, "consultations.staff.saved",
                        section_id=form_data.get("section_id"), summary=form_data.get("summary", ""))

    @rx.event
    async def open_now(self):
        actor = staff_actor(self)
        if actor is None:
            return
        await self._run(actor, actions.open_consultation, "consultations.staff.opened", consultation_id=self.cid)

    @rx.event
    async def close_now(self):
        actor = staff_actor(self)
        if actor is None:
            return
        await self._run(actor, actions.close_consultation, "consultations.staff.closed", consultation_id=self.cid)

    @rx.event
    async def respond(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        ids = [key[2:] for key, value in form_data.items()
               if isinstance(key, str) and key.startswith("c_") and key[2:].isdigit() and value not in (False, "", None)]
        await self._run(actor, actions.record_response, "consultations.staff.responded", consultation_id=self.cid,
                        comment_ids=ids, outcome=form_data.get("outcome", ""), reason=form_data.get("reason", ""))

    @rx.event
    async def publish(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        await self._run(actor, actions.publish_report, "consultations.staff.published", consultation_id=self.cid,
                        summary=form_data.get("summary", ""))

    @rx.event
    def upload(self):
        """Send the chosen file to the upload route (the browser sends the session cookie)."""
        if staff_actor(self) is None:
            return
        script = (
            "(async () => { const input = document.getElementById('attachment-file');"
            " if (!input || !input.files.length) { return JSON.stringify({error: 'empty'}); }"
            " const body = new FormData(); body.append('file', input.files[0]);"
            f" const r = await fetch('/api/v1/consultations/{int(self.cid)}/attachments',"
            " {method: 'POST', body, credentials: 'same-origin'});"
            " const text = await r.text(); input.value = ''; return text; })()"
        )
        return rx.call_script(script, callback=StaffConsultationState.uploaded)

    @rx.event
    async def uploaded(self, result: str):
        actor = staff_actor(self)
        if actor is None:
            return
        lang = await _lang(self)
        try:
            data = json.loads(result) if isinstance(result, str) else {}
        except ValueError:
            data = {}
        await self._refresh(actor)
        if isinstance(data, dict) and data.get("id"):
            self.error, self.notice = "", translate("consultations.staff.attached", lang)
        elif isinstance(data, dict) and data.get("error") == "empty":
            self.error, self.notice = translate("consultations.errors.attachment_empty", lang), ""
        else:
            self.error = str(data.get("message", "")) if isinstance(data, dict) else ""
            self.error = self.error or translate("errors.unexpected", lang)
            self.notice = ""


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


class ModerationState(_StaffPage, StaffState):
    queue: list[QueueView] = []
    notice: str = ""

    @rx.event
    async def load(self):
        actor = _admit(self)
        if actor is None:
            self.queue = []
            return
        await self._refresh()

    async def _refresh(self):
        lang = await _lang(self)
        now = utcnow()
        with session_scope() as session:
            self.waiting = queries.waiting_count(session)
            items = queries.moderation_queue(session, now=now)
        self.queue = [QueueView(
            comment=comment_item(i.comment, viewer=None, accepts=False, now=now, section_titles={}, lang=lang),
            comment_id=i.comment.id, person_id=i.comment.person_id, consultation_id=i.consultation_id,
            consultation_title=i.consultation_title, kind=i.kind, flags=i.flags, full_text=i.full_text,
            blocked_until=format_local(i.author_blocked_until, lang) if i.author_blocked_until else "",
        ) for i in items]

    async def _run(self, fn, success_key: str, **kwargs):
        actor = staff_actor(self)
        if actor is None:
            return
        if await run_service(self, lambda session: fn(session, actor=actor, **kwargs), success_key):
            await self._refresh()

    @rx.event
    async def approve(self, comment_id: int):
        if staff_actor(self) is None:
            return
        await self._run(actions.approve_comment, "consultations.mod.approved", comment_id=comment_id)

    @rx.event
    async def hide(self, form_data: dict):
        if staff_actor(self) is None:
            return
        await self._run(actions.hide_comment, "consultations.mod.hidden", comment_id=form_data.get("comment_id"),
                        reason=form_data.get("reason", ""))

    @rx.event
    async def restore(self, comment_id: int):
        if staff_actor(self) is None:
            return
        await self._run(actions.restore_comment, "consultations.mod.restored", comment_id=comment_id)

    @rx.event
    async def block(self, form_data: dict):
        if staff_actor(self) is None:
            return
        await self._run(actions.block_person, "consultations.mod.blocked", person_id=form_data.get("person_id"),
                        days=form_data.get("days"), reason=form_data.get("reason", ""))

    @rx.event
    async def unblock(self, person_id: int):
        if staff_actor(self) is None:
            return
        await self._run(actions.unblock_person, "consultations.mod.unblocked", person_id=person_id)



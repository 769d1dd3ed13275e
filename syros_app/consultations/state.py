"""Reflex states of consultations: thin — read input, run an action or a read, assign.

Writes go through ``run_action`` (the action's role matrix is the only guard: no state
checks roles before writing); reads go through ``read`` and the builders of
:mod:`.views`. Staff pages check the matrix's view permission before showing staff data.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from syros_app.core.errors import AgoraError
from syros_app.core.timefmt import utcnow
from syros_app.identity.roles import MUNICIPAL_UNITS
from syros_app.identity.state import StaffState
from syros_app.ui.state_helpers import Confirming, current_actor, read, reader_language, run_action

from . import actions, rules, views
from .permissions import MATRIX


async def _show(state: rx.State, build: Callable[[Session], dict]) -> bool:
    """Read in one transaction and assign what ``build`` returns; False when refused (not found)."""
    try:
        values = await read(build)
    except AgoraError:
        return False
    for name, value in values.items():
        setattr(state, name, value)
    return True


async def _act(state: rx.State, action: Callable, done_key: str = "", **inputs) -> bool:
    """Run one action as the person behind the socket, then show the page afresh."""
    outcome = await run_action(state, action, done_key, **inputs)
    if outcome:
        await state._refresh()
    return bool(outcome)


async def _confirm_step(state: rx.State, step: object, steps: dict[str, tuple[Callable, str, dict]]):
    """Run the step a confirmation dialog named — ``steps[step]`` is (action, done key,
    inputs) — then show the page afresh; an unknown step does nothing."""
    if not isinstance(step, str) or step not in steps:
        return None
    action, done_key, inputs = steps[step]
    outcome, then = await state._confirmed(action, done_key, **inputs)
    if outcome:
        await state._refresh()
    return then


_FORMS = ("reply_to", "editing_id", "flagging_id")


def _focus(state: rx.State, reply_to: object = 0, editing_id: object = 0, flagging_id: object = 0) -> None:
    """Open at most one of the reply, edit and flag forms (all closed by default)."""
    state.reply_to, state.editing_id, state.flagging_id = map(views.to_int, (reply_to, editing_id, flagging_id))
    state.error = state.notice = ""


def _posted(state: rx.State, done_key: str) -> str:
    """What a new comment's author is told: waiting for a moderator, or ``done_key``."""
    return "consultations.pending_notice" if state.head.moderation_mode == "pre" else done_key


def _target(state: rx.State, form_data: dict) -> object:
    """The consultation a staff form acts on: the page's own (a form may name it)."""
    return form_data.get("consultation_id", state.cid)


# --- public: the list --------------------------------------------------------------------------


class ConsultationListState(rx.State):
    items: list[views.ListItem] = []
    phase_filter: str = ""
    category_filter: str = ""
    area_filter: str = ""
    loaded: bool = False

    @rx.event
    async def load(self):
        lang = await reader_language(self)
        filters = {"phase": self.phase_filter, "category": self.category_filter, "area": self.area_filter}
        await _show(self, lambda s: views.list_page(s, lang, utcnow(), **filters))

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
    head: views.ConsultationHead = views.ConsultationHead()
    phase: str = ""
    sections: list[views.SectionView] = []
    attachments: list[views.AttachmentView] = []
    whole_count: int = 0
    total_count: int = 0
    comments: list[views.CommentItem] = []
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
        self.cid = views.id_from_path(self.router)
        _focus(self)
        self.page, self.sort, self.section_filter = 1, "newest", "all"
        self.comments, self.comments_loaded = [], False
        # The text first (what a reader sees first on a phone), then the comments.
        await self._refresh(full=True, with_comments=False)
        yield
        await self._refresh()

    async def _refresh(self, *, full: bool = False, with_comments: bool = True):
        lang, actor, cid, now = await reader_language(self), current_actor(self), self.cid, utcnow()
        # the plain list, not the state's change-tracking proxy of it (many times faster)
        shown = self.get_value("sections")
        key = None if self.section_filter == "all" else int(self.section_filter)
        sort, page = self.sort, self.page
        if not await _show(self, lambda s: views.detail_page(
                s, cid, lang, now, viewer=actor, full=full, shown_sections=shown, comments=with_comments,
                section_key=key, sort=sort, page=page)):
            self.found, self.loaded = False, True

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
        self.page = max(1, views.to_int(page))
        await self._refresh()

    @rx.event
    async def post_comment(self, form_data: dict):
        await _act(self, actions.post_comment, _posted(self, "consultations.posted_notice"),
                   consultation_id=self.cid, body=form_data.get("body", ""),
                   section_id=form_data.get("section") or None)

    @rx.event
    def open_form(self, form: str, comment_id: int):
        """Open one comment's reply, edit or flag form (``reply_to`` | ``editing_id`` | ``flagging_id``)."""
        if form in _FORMS:
            _focus(self, **{form: comment_id})

    @rx.event
    def cancel(self):
        self.reply_to = self.editing_id = self.flagging_id = 0

    @rx.event
    async def post_reply(self, form_data: dict):
        if await _act(self, actions.post_comment, _posted(self, "consultations.replied_notice"),
                      consultation_id=self.cid, body=form_data.get("body", ""), parent_id=self.reply_to):
            self.reply_to = 0

    @rx.event
    async def support(self, comment_id: int, value: str):
        await _act(self, actions.support_comment, comment_id=comment_id, value=value)

    @rx.event
    async def save_edit(self, form_data: dict):
        if await _act(self, actions.edit_comment, "consultations.edited_notice", comment_id=self.editing_id,
                      body=form_data.get("body", "")):
            self.editing_id = 0

    @rx.event
    async def withdraw(self, comment_id: int):
        if await _act(self, actions.withdraw_comment, "consultations.withdrawn_notice", comment_id=comment_id):
            self.editing_id = 0

    @rx.event
    async def save_flag(self, form_data: dict):
        if await _act(self, actions.flag_comment, "consultations.flagged_notice", comment_id=self.flagging_id,
                      reason=form_data.get("reason", "")):
            self.flagging_id = 0


# --- public: the report ------------------------------------------------------------------------


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
    report_sections: list[views.ReportSection] = []

    @rx.event
    async def load(self):
        lang, self.cid = await reader_language(self), views.id_from_path(self.router)
        cid, self.published = self.cid, False
        if not await _show(self, lambda s: views.report_page(s, cid, lang)):
            self.title = ""
        self.loaded = True


# --- staff ------------------------------------------------------------------------------------


class _StaffPage(rx.State, mixin=True):
    """What every consultations staff page shows besides its own data."""

    allowed: bool = False
    loaded: bool = False
    waiting: int = 0
    error: str = ""
    notice: str = ""


def _admit(state: rx.State, permission: str) -> bool:
    """May the person behind the socket see this staff page (its matrix view permission)?"""
    state.allowed = MATRIX.allows(current_actor(state), permission)
    state.loaded = True
    return state.allowed


class StaffConsultationsState(_StaffPage, StaffState):
    items: list[views.StaffListItem] = []
    default_opens: str = ""
    default_closes: str = ""

    @rx.event
    async def load(self):
        self.items = []
        if _admit(self, "view_drafts"):
            lang, now = await reader_language(self), utcnow()
            await _show(self, lambda s: views.staff_list_page(s, lang, now))
            self.default_opens, self.default_closes = views.local_input(now), views.local_input(now + rules.NEW_LENGTH)

    @rx.event
    async def create(self, form_data: dict):
        created = await run_action(self, actions.create_consultation, **views.details_input(form_data))
        if created:
            return rx.redirect(f"/staff/consultations/{created.value.id}")


class StaffConsultationState(Confirming, _StaffPage, StaffState):
    found: bool = False
    cid: int = 0
    details: views.StaffDetails = views.StaffDetails()
    status: str = ""
    phase: str = ""
    sections: list[views.SectionView] = []
    attachments: list[views.AttachmentView] = []
    comment_rows: list[views.StaffCommentRow] = []
    editing_section: int = 0
    form_key: int = 0

    @rx.var
    def ended(self) -> bool:
        return self.phase == "closed"

    @rx.event
    async def load(self):
        self.cid = views.id_from_path(self.router)
        self.error = self.notice = ""
        self.editing_section = 0
        await self._refresh()

    async def _refresh(self):
        if _admit(self, "view_drafts"):
            lang, actor, cid, now = await reader_language(self), current_actor(self), self.cid, utcnow()
            self.found = await _show(self, lambda s: views.staff_consultation_page(s, cid, lang, now, viewer=actor))
        self.form_key += 1

    @rx.event
    async def save_details(self, form_data: dict):
        await _act(self, actions.update_consultation, "consultations.staff.saved",
                   consultation_id=_target(self, form_data), **views.details_input(form_data))

    @rx.event
    async def add_section(self, form_data: dict):
        await _act(self, actions.add_section, "consultations.staff.section_added",
                   consultation_id=_target(self, form_data), title=form_data.get("title", ""),
                   body=form_data.get("body", ""))

    @rx.event
    def start_section_edit(self, section_id: int):
        self.editing_section = views.to_int(section_id)

    @rx.event
    def cancel_section_edit(self):
        self.editing_section = 0

    @rx.event
    async def save_section(self, form_data: dict):
        if await _act(self, actions.edit_section, "consultations.staff.section_saved",
                      section_id=form_data.get("section_id", self.editing_section), title=form_data.get("title", ""),
                      body=form_data.get("body", ""), note=form_data.get("note", "")):
            self.editing_section = 0

    @rx.event
    async def save_change_summary(self, form_data: dict):
        await _act(self, actions.set_change_summary, "consultations.staff.saved",
                   section_id=form_data.get("section_id"), summary=form_data.get("summary", ""))

    @rx.event
    async def ask_open(self):
        return await self._ask("open", self.cid, title="consultations.confirm.open_title",
                               what="consultations.confirm.open_what", who="consultations.confirm.open_who",
                               label="consultations.confirm.open_label", name=self.details.title, closes=self.details.closes_at)

    @rx.event
    async def ask_close(self):
        early = self.phase != "closed"
        return await self._ask("close", self.cid, title="consultations.confirm.close_title",
                               what="consultations.confirm.close_what", who="consultations.confirm.close_who",
                               label="consultations.confirm.close_label", reason=early, name=self.details.title,
                               closes=self.details.closes_at)

    @rx.event
    async def ask_publish(self, form_data: dict):
        summary = form_data.get("summary", "") if isinstance(form_data, dict) else ""
        return await self._ask("publish", self.cid, title="consultations.confirm.publish_title",
                               what="consultations.confirm.publish_what", who="consultations.confirm.publish_who",
                               label="consultations.confirm.publish_label", payload=str(summary), name=self.details.title)

    @rx.event
    async def confirm(self, form_data: dict):
        """Run the step the dialog confirmed: open, close (early: with a reason) or publish."""
        data = form_data if isinstance(form_data, dict) else {}
        target = data.get("target")
        return await _confirm_step(self, data.get("step"), {
            "open": (actions.open_consultation, "consultations.staff.opened", {"consultation_id": target}),
            "close": (actions.close_consultation, "consultations.staff.closed",
                      {"consultation_id": target, "reason": data.get("reason", "")}),
            "publish": (actions.publish_report, "consultations.staff.published",
                        {"consultation_id": target, "summary": data.get("payload", "")}),
        })

    @rx.event
    async def respond(self, form_data: dict):
        await _act(self, actions.record_response, "consultations.staff.responded",
                   consultation_id=_target(self, form_data), comment_ids=views.chosen_comments(form_data),
                   outcome=form_data.get("outcome", ""), reason=form_data.get("reason", ""))

    @rx.event
    def upload(self):
        """Send the chosen file to the upload route (the browser sends the session cookie; the
        route runs the ``attach`` action, which checks who uploads)."""
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
        lang = await reader_language(self)
        await self._refresh()
        self.error, self.notice = views.upload_outcome(result, lang)


async def _ask_hide(state: Confirming, comment_id: int, author: str, consultation_title: str):
    """The confirmation of hiding one comment (a public reason is asked in the dialog)."""
    return await state._ask("hide", comment_id, title="consultations.confirm.hide_title",
                            what="consultations.confirm.hide_what", who="consultations.confirm.hide_who",
                            label="consultations.confirm.hide_label", reason=True, author=author,
                            name=consultation_title)


class ModerationState(Confirming, _StaffPage, StaffState):
    queue: list[views.QueueView] = []

    @rx.event
    async def load(self):
        await self._refresh()

    async def _refresh(self):
        self.queue = []
        if _admit(self, "view_queue"):
            lang, now = await reader_language(self), utcnow()
            await _show(self, lambda s: views.moderation_page(s, lang, now))

    @rx.event
    async def approve(self, comment_id: int):
        await _act(self, actions.approve_comment, "consultations.mod.approved", comment_id=comment_id)

    def _queued(self, comment_id: object) -> views.QueueView | None:
        wanted = views.to_int(comment_id)
        return next((item for item in self.queue if item.comment_id == wanted), None)

    @rx.event
    async def ask_hide(self, comment_id: int):
        item = self._queued(comment_id)
        if item is None:
            return None
        return await _ask_hide(self, item.comment_id, item.comment.author, item.consultation_title)

    @rx.event
    async def ask_block(self, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        item = next((i for i in self.queue if i.person_id == views.to_int(data.get("person_id"))), None)
        if item is None:
            return None
        days = str(views.to_int(data.get("days")))
        return await self._ask("block", item.person_id, title="consultations.confirm.block_title",
                               what="consultations.confirm.block_what", who="consultations.confirm.block_who",
                               label="consultations.confirm.block_label", reason=True, payload=days,
                               author=item.comment.author, days=days)

    @rx.event
    async def confirm(self, form_data: dict):
        """Run the step the dialog confirmed: hide a comment (public reason) or block a person."""
        data = form_data if isinstance(form_data, dict) else {}
        target, reason = data.get("target"), data.get("reason", "")
        return await _confirm_step(self, data.get("step"), {
            "hide": (actions.hide_comment, "consultations.mod.hidden", {"comment_id": target, "reason": reason}),
            "block": (actions.block_person, "consultations.mod.blocked",
                      {"person_id": target, "days": data.get("payload"), "reason": reason}),
        })

    @rx.event
    async def restore(self, comment_id: int):
        await _act(self, actions.restore_comment, "consultations.mod.restored", comment_id=comment_id)


    @rx.event
    async def unblock(self, person_id: int):
        await _act(self, actions.unblock_person, "consultations.mod.unblocked", person_id=person_id)


class PageModerationState(Confirming, StaffState):
    """Moderation where a moderator reads: hide (with a public reason, confirmed) or
    restore any comment from the consultation page itself. The actions' matrix is the
    guard; the page shows the buttons only to those who may use the moderation queue."""

    error: str = ""
    notice: str = ""

    async def _page(self) -> ConsultationState:
        return await self.get_state(ConsultationState)

    @rx.event
    async def ask_hide(self, comment_id: int):
        page = await self._page()
        wanted = views.to_int(comment_id)
        item = next((c for c in page.comments if c.id == wanted), None)
        if item is None:
            return None
        return await _ask_hide(self, item.id, item.author, page.head.title)

    @rx.event
    async def restore(self, comment_id: int):
        if await run_action(self, actions.restore_comment, "consultations.mod.restored", comment_id=comment_id):
            await (await self._page())._refresh()

    @rx.event
    async def confirm(self, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        if data.get("step") != "hide":
            return None
        outcome, then = await self._confirmed(actions.hide_comment, "consultations.mod.hidden",
                                              comment_id=data.get("target"), reason=data.get("reason", ""))
        if outcome:
            await (await self._page())._refresh()
        return then

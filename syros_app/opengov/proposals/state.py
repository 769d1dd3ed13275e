"""Reflex states of residents' proposals: thin. Writes go through ``run_action`` (the
action's role matrix is the only guard), reads through ``read`` and ``views``."""

from __future__ import annotations

from typing import Any

import reflex as rx

from syros_app.core.timefmt import utcnow
from syros_app.identity.state import StaffState
from syros_app.ui.state_helpers import Confirming, OutcomePage, current_actor, read, run_action

from . import actions, rules, views
from .permissions import MATRIX


def _assign(state: rx.State, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(state, name, value)


class ProposalsListState(rx.State):
    items: list[views.ProposalCard] = []
    area: str = "*"
    status: str = ""
    loaded: bool = False
    is_staff: bool = False

    async def _reload(self, **filters):
        _assign(self, filters)
        actor, area, status = current_actor(self), self.area, self.status
        _assign(self, await read(lambda s: views.list_page(
            s, now=utcnow(), area=None if area == "*" else area, status=status, viewer=actor)))

    @rx.event
    async def load(self):
        params = self.router.page.params
        self.status = views.choice(params.get("status", ""), rules.STATUSES)
        await self._reload()

    @rx.event
    async def set_area(self, value: str):
        await self._reload(area=value if value in rules.AREAS else "*")

    @rx.event
    async def set_status(self, value: str):
        await self._reload(status=views.choice(value, rules.STATUSES))


class ProposalPageState(OutcomePage, rx.State):
    found: bool = True
    loaded: bool = False
    view: views.ProposalView = views.ProposalView()

    async def _reload(self):
        actor, params = current_actor(self), self.router.page.params
        self.logged_in = actor is not None
        proposal_id, created = views.row_id(params.get("proposal_id", "")), params.get("new") == "1"
        _assign(self, await read(lambda s: views.proposal_page(s, proposal_id, actor, now=utcnow(), created=created)))

    @rx.event
    async def support(self):
        await run_action(self, actions.support_proposal, "proposals.page.supported", proposal_id=self.view.id)
        await self._reload()


class ProposalFormState(rx.State):
    logged_in: bool = False
    loaded: bool = False
    error: str = ""
    photo_name: str = ""
    photo_error: str = ""
    _photo_token: str = ""  # the cleaned upload waits in the database; only its token is here

    @rx.event
    def load(self):
        _assign(self, {"logged_in": current_actor(self) is not None, "loaded": True, "error": "",
                       "photo_error": "", "photo_name": "", "_photo_token": ""})

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        self.photo_error = ""
        for upload in (files or [])[:1]:
            data = await upload.read(10 * 1024 * 1024 + 1)
            outcome = await run_action(self, actions.upload_photo, done_attr="", data=data)
            if outcome:
                self._photo_token, self.photo_name = outcome.value, (upload.name or "photo")[:60]
            else:
                self.photo_error, self.error = self.error, ""

    @rx.event
    def remove_photo(self):
        self._photo_token, self.photo_name = "", ""

    @rx.event
    async def submit(self, form_data: dict):
        data = views.form(form_data)
        outcome = await run_action(self, actions.create_proposal, done_attr="", title=data.get("title", ""),
                                   body=data.get("body", ""), area=data.get("area", ""),
                                   photo_token=self._photo_token)
        if outcome:
            self._photo_token, self.photo_name = "", ""
            return rx.redirect(f"/proposals/{outcome.value.id}?new=1")


class ProposalStaffState(Confirming, StaffState):
    """Staff tools on a proposal's page. The handlers ask nobody: each action's matrix check
    is the guard (a resident who fires them changes nothing)."""

    allowed: bool = False
    can_start_consultation: bool = False  # the answer may start a draft consultation
    can_prepare_vote: bool = False  # … or prepare a draft vote
    links: list[views.LinkChoice] = []
    error: str = ""
    notice: str = ""

    @rx.event
    async def load(self):
        actor = current_actor(self)
        _assign(self, await read(lambda s: {"links": views.link_choices(s, actor)}))
        self.allowed = MATRIX.allows(actor, "answer_proposal")
        self.can_start_consultation = MATRIX.allows(actor, "start_consultation")
        self.can_prepare_vote = MATRIX.allows(actor, "prepare_vote")
        self.error = self.notice = ""

    @rx.event
    async def answer(self, form_data: dict):
        data = views.form(form_data)
        common = dict(proposal_id=views.row_id(data.get("proposal_id")), answer=data.get("answer", ""))
        new = views.new_link(data.get("link", ""))
        if new:  # the answer creates the draft it promises (each action checks its own permission)
            outcome = await run_action(self, views.NEW_LINK_ACTIONS[new], f"proposals.staff.answered_new_{new}",
                                       **common)
        else:
            kind, target = views.parse_link(data.get("link", ""))
            outcome = await run_action(self, actions.answer_proposal, "proposals.staff.answered", **common,
                                       link_kind=kind, link_id=target)
        if outcome:
            return ProposalPageState.load

    @rx.event
    async def ask_hide(self, proposal_id: int):
        return await self._ask("hide", views.row_id(proposal_id), title="proposals.staff.hide_title",
                               what="proposals.staff.hide_what", who="proposals.staff.hide_who",
                               label="proposals.staff.hide", reason=True)

    @rx.event
    async def confirm(self, form_data: dict):
        data = views.form(form_data)
        if data.get("step") != "hide":
            return None
        outcome, close = await self._confirmed(actions.hide_proposal, "proposals.staff.hidden",
                                               proposal_id=views.row_id(data.get("target")),
                                               reason=data.get("reason", ""))
        return [close, ProposalPageState.load] if outcome else close

    @rx.event
    async def restore(self, proposal_id: int):
        outcome = await run_action(self, actions.restore_proposal, "proposals.staff.restored",
                                   proposal_id=views.row_id(proposal_id))
        if outcome:
            return ProposalPageState.load


class ProposalFiguresState(rx.State):
    """The proposals' section of /measurement (public figures, from the open data's rows)."""

    summary: list[views.FigureRow] = []
    participation: list[views.ParticipationRow] = []
    bands: list[views.Bi] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        _assign(self, await read(lambda s: {**views.figures(s, now=utcnow()), "loaded": True}))


class ProposalBacklinksState(rx.State):
    """"From proposal X" on a consultation's or a vote's page (the registry's backlinks hook):
    the page's own id comes from its URL (``consultation_id`` / ``vote_id``)."""

    items: list[views.BackLink] = []

    @rx.event
    async def load(self, kind: str):
        kind = views.choice(kind, rules.LINK_KINDS)
        target = views.row_id(self.router.page.params.get(f"{kind}_id", "")) if kind else 0
        self.items = await read(lambda s: views.backlinks(s, kind, target)) if target else []

"""Reflex states of decisions: thin (reads through ``views``, writes through actions)."""

from __future__ import annotations

from urllib.parse import unquote

import reflex as rx

from syros_app.identity.state import StaffState
from syros_app.opengov.projects.state import Desk, ItemPage
from syros_app.opengov.projects.views import form_value as _v, row_id
from syros_app.ui.state_helpers import current_actor, read, run_action

from . import actions, views


class DecisionsState(rx.State):
    loaded: bool = False
    q: str = ""
    kind: str = ""
    year: str = ""
    listing: views.Listing = views.Listing()

    async def _reload(self) -> None:
        q, kind, year = self.q, self.kind, self.year
        self.listing = await read(lambda s: views.listing(s, q=q, kind=kind, year=year))
        self.loaded = True

    @rx.event
    async def load(self):
        await self._reload()

    @rx.event
    async def search(self, form: dict):
        self.q = str(_v(form, "q") or "")[:200]
        self.kind = views.choice(_v(form, "type"), self.listing.types)
        self.year = views.choice(_v(form, "year"), self.listing.years)
        await self._reload()


class DecisionPageState(ItemPage, rx.State):
    view: views.DecisionView = views.empty()
    can_link: bool = False

    async def _reload(self) -> None:
        actor = current_actor(self)
        ada = unquote(str(self.router.page.params.get("ada", "")))
        view, self.can_link = await read(lambda s: views.decision_page(s, ada, actor))
        self.found, self.view, self.loaded = view is not None, view or views.empty(), True


class DecisionFiguresState(rx.State):
    figures: views.FiguresView = views.FiguresView()

    @rx.event
    async def load(self):
        self.figures = await read(views.figures)


class DecisionDeskState(Desk, StaffState):
    async def _done(self, outcome) -> None:
        await self._refresh(outcome, DecisionPageState)

    @rx.event
    async def link(self, form: dict):
        await self._done(await run_action(self, actions.link_decision, "decisions.desk.linked",
                                          ada=str(_v(form, "ada") or ""), kind=_v(form, "kind") or "",
                                          target=_v(form, "target") or ""))

    @rx.event
    async def unlink(self, link_id: int):
        await self._done(await run_action(self, actions.unlink_decision, "decisions.desk.unlinked",
                                          link_id=row_id(link_id)))

"""Reflex states of decisions: thin (reads through ``views``, writes through actions)."""

from __future__ import annotations

from urllib.parse import unquote

import reflex as rx

from syros_app.identity.state import StaffState
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


class DecisionPageState(rx.State):
    loaded: bool = False
    found: bool = False
    view: views.DecisionView = views.DecisionView()
    can_link: bool = False

    async def _show(self) -> None:
        actor = current_actor(self)
        ada = unquote(str(self.router.page.params.get("ada", "")))
        view, self.can_link = await read(lambda s: views.decision_page(s, ada, actor))
        self.found, self.view, self.loaded = view is not None, view or views.DecisionView(), True

    @rx.event
    async def load(self):
        await self._show()


class DecisionDeskState(StaffState):
    error: str = ""
    notice: str = ""
    form_key: int = 0

    async def _done(self, outcome) -> None:
        if outcome:
            self.form_key += 1
            await (await self.get_state(DecisionPageState))._show()

    @rx.event
    async def link(self, form: dict):
        await self._done(await run_action(self, actions.link_decision, "decisions.desk.linked",
                                          ada=str(_v(form, "ada") or ""), kind=_v(form, "kind") or "",
                                          target=_v(form, "target") or ""))

    @rx.event
    async def unlink(self, link_id: int):
        await self._done(await run_action(self, actions.unlink_decision, "decisions.desk.unlinked",
                                          link_id=row_id(link_id)))

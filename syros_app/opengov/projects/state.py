"""Reflex states of the tracker: thin. Reads through ``read`` and ``views``; writes
through ``run_action`` (the action's role matrix is the only guard)."""

from __future__ import annotations

import reflex as rx

from syros_app.core.timefmt import utcnow
from syros_app.identity.state import StaffState
from syros_app.ui.state_helpers import OutcomePage, current_actor, read, run_action

from . import actions, views
from .links import BACKLINK_KINDS
from .permissions import MATRIX
from .views import form_value as _v


class Desk(rx.State, mixin=True):
    """A staff desk's messages and form reset; after a write, the pages it changed reload."""

    error: str = ""
    notice: str = ""
    form_key: int = 0

    async def _refresh(self, outcome, *pages: type[rx.State]) -> None:
        if not outcome:
            return
        self.form_key += 1
        for page_class in pages:
            page = await self.get_state(page_class)
            if page.loaded:
                await page._reload()


class ProjectsState(rx.State):
    loaded: bool = False
    rows: list[views.ProjectRow] = []
    can_create: bool = False  # shows the "new project" form (the action decides)

    async def _reload(self) -> None:
        self.rows = await read(views.tree)
        self.can_create = MATRIX.allows(current_actor(self), "create_project")
        self.loaded = True

    @rx.event
    async def load(self):
        await self._reload()


class ItemPage(rx.State, mixin=True):
    """One item's page: loaded, found or not (``_reload`` fills it in)."""

    loaded: bool = False
    found: bool = False

    @rx.event
    async def load(self):
        await self._reload()


class ProjectPageState(OutcomePage, rx.State):
    loaded: bool = False
    found: bool = False
    view: views.ProjectView = views.ProjectView()
    following: bool = False
    keeps: bool = False

    async def _reload(self) -> None:
        actor = current_actor(self)
        project_id = views.row_id(self.router.page.params.get("project_id", ""))
        view, self.following, self.keeps = await read(lambda s: views.project_page(s, project_id, actor))
        self.found, self.view = view is not None, view or views.ProjectView()
        self.logged_in, self.loaded = actor is not None, True

    @rx.event
    async def follow(self):
        if await run_action(self, actions.follow_project, "projects.page.followed", project_id=self.view.id):
            await self._reload()

    @rx.event
    async def unfollow(self):
        if await run_action(self, actions.unfollow_project, "projects.page.unfollowed", project_id=self.view.id):
            await self._reload()


class ProjectFiguresState(rx.State):
    figures: views.FiguresView = views.FiguresView()

    @rx.event
    async def load(self):
        today = utcnow().date()
        self.figures = await read(lambda s: views.figures(s, today))


PROJECT_FIELDS = ("title", "department", "summary", "status", "progress", "weight", "budget", "spent",
                  "starts_on", "ends_on")


class ProjectDeskState(Desk, StaffState):
    """What staff do on a project's page (and "new project" on the list); the actions
    check who may, per department."""

    async def _done(self, outcome) -> None:
        await self._refresh(outcome, ProjectPageState, ProjectsState)

    @rx.event
    async def create_project(self, form: dict):
        fields = {name: _v(form, name) for name in PROJECT_FIELDS if _v(form, name) is not None}
        outcome = await run_action(self, actions.create_project, "projects.desk.created",
                                   parent_id=_v(form, "parent_id"), **fields)
        await self._done(outcome)

    @rx.event
    async def save_project(self, form: dict):
        fields = {name: _v(form, name) for name in PROJECT_FIELDS}
        fields["summary"] = fields["summary"] or ""
        await self._done(await run_action(self, actions.edit_project, "projects.desk.saved",
                                          project_id=_v(form, "project_id") or 0, **fields))

    @rx.event
    async def post_update(self, form: dict):
        await self._done(await run_action(self, actions.post_update, "projects.desk.posted",
                                          project_id=_v(form, "project_id") or 0, body=_v(form, "body") or ""))

    @rx.event
    async def add_milestone(self, form: dict):
        await self._done(await run_action(self, actions.add_milestone, "projects.desk.milestone_added",
                                          project_id=_v(form, "project_id") or 0, title=_v(form, "title") or "",
                                          due_on=_v(form, "due_on")))

    @rx.event
    async def complete_milestone(self, milestone_id: int):
        await self._done(await run_action(self, actions.complete_milestone, "projects.desk.milestone_done",
                                          milestone_id=views.row_id(milestone_id)))

    @rx.event
    async def add_link(self, form: dict):
        await self._done(await run_action(self, actions.add_link, "projects.desk.linked",
                                          project_id=_v(form, "project_id") or 0, kind=_v(form, "kind") or "",
                                          target=_v(form, "target") or ""))

    @rx.event
    async def remove_link(self, link_id: int):
        await self._done(await run_action(self, actions.remove_link, "projects.desk.unlinked",
                                          link_id=views.row_id(link_id)))


class ProjectBacklinksState(rx.State):
    """"Part of project X" on an event's or a survey's page (the registry's backlinks hook):
    the page's own id comes from its URL (``event_id`` / ``survey_id``)."""

    project_links: list[views.ProjectBackLink] = []

    @rx.event
    async def load(self, kind: str):
        kind = kind if kind in BACKLINK_KINDS else ""
        target = str(views.row_id(self.router.page.params.get(f"{kind}_id", ""))) if kind else "0"
        self.project_links = await read(lambda s: views.backlinks(s, kind, target)) if target != "0" else []

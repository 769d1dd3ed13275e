"""Reflex states of events: thin. Writes go through ``run_action`` (the action's role
matrix is the only guard), reads through ``read`` and the builders in ``views``."""

from __future__ import annotations

import reflex as rx

from syros_app.identity.state import StaffState
from syros_app.core.i18n import translate
from syros_app.ui.state_helpers import Confirming, OutcomePage, current_actor, read, reader_language, run_action

from . import actions, views
from .permissions import MATRIX


class EventsListState(rx.State):
    upcoming: list[views.EventCard] = []
    past: list[views.EventCard] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        for name, value in (await read(lambda s: views.list_page(s, views.utcnow()))).items():
            setattr(self, name, value)


class EventPageState(OutcomePage, rx.State):
    view: views.EventView = views.EventView()
    found: bool = True
    loaded: bool = False

    async def _reload(self):
        actor, event_id = current_actor(self), views.row_id(self.router.page.params.get("event_id", ""))
        for name, value in (await read(lambda s: views.event_page(s, event_id, actor))).items():
            setattr(self, name, value)

    @rx.event
    async def register(self):
        outcome = await run_action(self, actions.register, event_id=self.view.id)
        if outcome:
            self.notice = translate(f"events.page.done_{outcome.value.status}", await reader_language(self))
        await self._reload()

    @rx.event
    async def cancel(self):
        await run_action(self, actions.cancel_registration, "events.page.cancelled", event_id=self.view.id)
        await self._reload()


class StaffEventsState(Confirming, StaffState):
    rows: list[views.StaffRow] = []
    editing: views.StaffRow = views.StaffRow()
    allowed: bool = False
    loaded: bool = False
    error: str = ""
    notice: str = ""

    async def _reload(self):
        self.allowed = MATRIX.allows(current_actor(self), "view_staff_desk")
        self.rows = await read(views.staff_rows) if self.allowed else []
        self.loaded = True

    @rx.event
    async def load(self):
        self.error = self.notice = ""
        self.editing = views.StaffRow()
        await self._reload()

    @rx.event
    def edit(self, event_id: int):
        found = [r for r in self.rows if r.id == views.row_id(event_id)]
        self.editing = found[0] if found else views.StaffRow()
        self.error = self.notice = ""

    @rx.event
    def new(self):
        self.editing, self.error, self.notice = views.StaffRow(), "", ""

    @rx.event
    async def save(self, form_data: dict):
        """Create, or edit the event the form names (its hidden ``event_id``)."""
        data = form_data if isinstance(form_data, dict) else {}
        event_id, inputs = views.row_id(data.get("event_id")), views.form_input(data)
        if event_id:
            outcome = await run_action(self, actions.update_event, "events.staff.saved", event_id=event_id, **inputs)
        else:
            outcome = await run_action(self, actions.create_event, "events.staff.created", **inputs)
        if outcome:
            await self._reload()
            self.editing = next((r for r in self.rows if r.id == outcome.value.id), views.StaffRow())

    @rx.event
    async def publish(self, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        await run_action(self, actions.publish_minutes, "events.staff.published",
                         event_id=views.row_id(data.get("event_id")), minutes=str(data.get("minutes", "")),
                         recording_url=str(data.get("recording_url", "")),
                         attendance=str(data.get("attendance", "")).strip() or None)
        await self._reload()

    @rx.event
    async def ask_cancel(self, event_id: int):
        row = next((r for r in self.rows if r.id == views.row_id(event_id)), None)
        if row is None:
            return None
        return await self._ask("cancel", row.id, title="events.confirm.cancel_title", what="events.confirm.cancel_what",
                               who="events.confirm.cancel_who", label="events.confirm.cancel_label", name=row.title,
                               registered=row.registered, waitlisted=row.waitlisted)

    @rx.event
    async def confirm(self, form_data: dict):
        """The dialog's one step here: cancelling the event it names."""
        data = form_data if isinstance(form_data, dict) else {}
        target = views.row_id(data.get("target")) if data.get("step") == "cancel" else 0
        if target:
            then = (await self._confirmed(actions.cancel_event, "events.staff.cancelled", event_id=target))[1]
            await self._reload()
            return then
        return None


class EventCheckinState(OutcomePage, StaffState):
    """The list at the door: staff mark each seat attended or not (the action is the guard)."""

    view: views.CheckinView = views.CheckinView()
    allowed: bool = False
    found: bool = True
    loaded: bool = False

    async def _reload(self):
        self.allowed = MATRIX.allows(current_actor(self), "view_staff_desk")
        event_id = views.row_id(self.router.page.params.get("event_id", ""))
        page = await read(lambda s: views.checkin_page(s, event_id)) if self.allowed else {"loaded": True}
        self.view, self.found, self.loaded = page.get("view", views.CheckinView()), page.get("found", True), True

    @rx.event
    async def mark(self, registration_id: int, attended: bool):
        await run_action(self, actions.record_attendance, done_attr="", registration_id=views.row_id(registration_id),
                         attended=attended)
        await self._reload()


class EventsFiguresState(rx.State):
    """The events' section of /measurement (loaded when the section mounts)."""

    figures: list[views.FigureView] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        self.figures = await read(views.figure_rows)
        self.loaded = True

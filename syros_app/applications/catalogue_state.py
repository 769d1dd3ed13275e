"""The catalogue editor's Reflex state: thin. Reads through ``catalogue_views``; every
write through ``run_action`` and a ``catalogue_actions`` action (the matrix check and the
department scope are the action's). A refusal about one input shows beside it."""

from __future__ import annotations

import reflex as rx

from syros_app.identity.state import StaffState
from syros_app.reports.views import form, row_id
from syros_app.ui.state_helpers import Confirming, current_actor, read, reader_language, run_action

from . import catalogue_actions as ca
from . import catalogue_rules as cr
from . import catalogue_views as cv
from . import rules

NS = cr.NS
SERVICE_INPUTS = ("title_el", "title_en", "purpose_el", "purpose_en", "eligibility_el", "eligibility_en",
                  "documents_el", "documents_en", "fee_el", "fee_en", "department", "govgr_url", "target_days",
                  "paper_pages", "active", "uses_pickup_slots")
FIELD_INPUTS = ("key", "type", "label_el", "label_en", "help_el", "help_en", "required", "prefill", "choices",
                "max_mb")


def _texts(data: dict, names) -> dict:
    return {n: data.get(n) if isinstance(data.get(n), (str, bool)) else "" for n in names}


def _confirm_keys(step: str) -> dict[str, str]:
    return {part: f"{NS}.confirm.{step}_{part}" for part in ("title", "what", "who", "label")}


class ApplicationsCatalogueState(StaffState, Confirming):
    allowed: bool = False
    loaded: bool = False
    services: list[cv.Choice] = []
    selected_id: int = 0
    creating: bool = False
    service: cv.ServiceForm = cv.ServiceForm()
    fields: list[cv.FieldRow] = []
    version_text: str = ""
    editing: bool = False
    slots: list[cv.SlotRow] = []
    editor: cv.FieldRow = cv.FieldRow()
    editor_key: str = ""  # the field being changed ("" = a new one)
    editor_type: str = "text"
    form_key: int = 0  # a new key remounts the forms with the values just loaded
    field_errors: dict[str, str] = {}
    error: str = ""
    message: str = ""

    async def _reload(self):
        actor, lang = current_actor(self), await reader_language(self)
        data = await read(lambda s: cv.page(s, actor=actor, selected_id=self.selected_id, lang=lang))
        for name, value in data.items():
            setattr(self, name, value)
        self.form_key += 1

    def _new_field(self):
        self.editor, self.editor_key, self.editor_type = cv.FieldRow(), "", "text"

    @rx.event
    async def load(self):
        self.error = self.message = ""
        self.field_errors, self.creating = {}, False
        self._new_field()
        await self._reload()

    @rx.event
    async def choose_service(self, value: str):
        self.selected_id, self.creating = row_id(value), False
        self.error, self.message, self.field_errors = "", "", {}
        self._new_field()
        await self._reload()

    @rx.event
    async def new_service(self):
        self.selected_id, self.creating = 0, True
        self.error, self.message, self.field_errors = "", "", {}
        await self._reload()
        return rx.call_script("(h => h && h.focus())(document.getElementById('svc-slug'))")

    async def _act(self, action, done_key: str, prefix: str, done_params=None, **inputs):
        """One write on the service the request names (``service_id``: the form's hidden
        input or the button's argument, never kept state); a refusal naming an input shows
        beside it (``<prefix>-<input>``)."""
        outcome = await run_action(self, action, f"{NS}.done.{done_key}", done_attr="message",
                                   done_params=done_params, **inputs)
        if inputs.get("service_id"):
            self.selected_id = inputs["service_id"]
        self.field_errors = {}
        field = outcome.error.params.get("field") if outcome.error is not None else None
        if field:
            self.field_errors, self.error = {f"{prefix}-{field}": self.error}, ""
        return outcome

    @rx.event
    async def save_service(self, form_data: dict):
        data = form(form_data)
        values = _texts(data, SERVICE_INPUTS)
        outcome = await self._act(ca.save_service, "service_saved", "svc", service_id=row_id(data.get("service_id")),
                                  slug=str(data.get("slug") or ""), values=values)
        if outcome:
            self.selected_id, self.creating = outcome.value.id, False
            await self._reload()

    # --- the form ----------------------------------------------------------------------------

    @rx.event
    def edit_field(self, key: str):
        found = next((f for f in self.fields if f.key == key), None)
        if found is not None:
            self.editor, self.editor_key, self.editor_type = found, found.key, found.type
            self.field_errors, self.form_key = {}, self.form_key + 1
            return rx.call_script("(h => h && h.focus())(document.getElementById('fld-key'))")
        return None

    @rx.event
    def new_field(self):
        self._new_field()
        self.field_errors, self.form_key = {}, self.form_key + 1

    @rx.event
    def choose_type(self, value: str):
        self.editor_type = value if value in rules.FIELD_TYPES else "text"

    @rx.event
    async def save_field(self, form_data: dict):
        data = form(form_data)
        field = {**_texts(data, FIELD_INPUTS),
                 "types": [t for t in cr.ATTACHMENT_TYPES if data.get(f"type-{t}") in ("on", True)]}
        outcome = await self._act(ca.save_form_field, "field_saved", "fld", service_id=row_id(data.get("service_id")),
                                  field=field, replace_key=str(data.get("replace_key") or ""))
        if outcome:
            self._new_field()
            await self._reload()

    @rx.event
    async def remove_field(self, service_id: int, key: str):
        await self._act(ca.remove_form_field, "field_removed", "fld", service_id=row_id(service_id), key=str(key))
        await self._reload()

    @rx.event
    async def move_field(self, service_id: int, key: str, step: int):
        await self._act(ca.move_form_field, "field_moved", "fld", service_id=row_id(service_id), key=str(key),
                        step=1 if step == 1 else -1)
        await self._reload()

    @rx.event
    async def publish(self, service_id: int):
        """Publishing changes what every resident fills in from now on: asked first."""
        return await self._ask("publish", row_id(service_id), **_confirm_keys("publish"), name=self.service.title_el)

    @rx.event
    async def discard(self, service_id: int):
        """Discarding loses the edited version for good: asked first."""
        return await self._ask("discard", row_id(service_id), **_confirm_keys("discard"), name=self.service.title_el)

    @rx.event
    async def confirm(self, form_data: dict):
        """Run the step the dialog confirmed (the form names it and its service)."""
        data = form_data if isinstance(form_data, dict) else {}
        steps = {"publish": (ca.publish_form, "published"), "discard": (ca.discard_form_changes, "discarded")}
        if data.get("step") not in steps:
            return None
        action, done = steps[data["step"]]
        service_id = row_id(data.get("target"))
        outcome, then = await self._confirmed(action, f"{NS}.done.{done}", done_attr="message", service_id=service_id)
        if outcome:
            self.selected_id = service_id
            self._new_field()
        await self._reload()
        return then

    # --- pickup days ---------------------------------------------------------------------------

    @rx.event
    async def add_days(self, form_data: dict):
        data = form(form_data)
        weekdays = [d for d in range(7) if data.get(f"wd-{d}") in ("on", True)]
        outcome = await self._act(ca.add_pickup_days, "days_added", "slot", lambda n: {"n": n},
                                  service_id=row_id(data.get("service_id")),
                                  area=str(data.get("area") or ""), first_day=str(data.get("first_day") or ""),
                                  last_day=str(data.get("last_day") or ""), weekdays=weekdays,
                                  capacity=str(data.get("capacity") or ""))
        if outcome:
            await self._reload()

    @rx.event
    async def set_capacity(self, form_data: dict):
        data = form(form_data)
        await self._act(ca.set_slot_capacity, "capacity_saved", "slot", service_id=row_id(data.get("service_id")),
                        slot_id=row_id(data.get("slot_id")), capacity=str(data.get("capacity") or ""))
        await self._reload()

    @rx.event
    async def close_day(self, service_id: int, slot_id: int):
        await self._act(ca.close_slot, "day_closed", "slot", service_id=row_id(service_id), slot_id=row_id(slot_id))
        await self._reload()

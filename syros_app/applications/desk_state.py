"""The staff desk's Reflex state: thin. Reads through ``desk_views``; every write
through ``run_action`` and a ``desk_actions`` action (its matrix check is the guard).
Answering and closing are final for the applicant, so they ask first (``confirm_dialog``).
"""

from __future__ import annotations

import json

import reflex as rx

from syros_app.identity.state import StaffState
from syros_app.reports.views import choice, form, payload, row_id
from syros_app.ui.state_helpers import Confirming, current_actor, read, reader_language, run_action

from . import desk_actions, desk_queries, desk_views, rules

NS = "applications_desk"
ASSIGNED = ("me", "none")


class ApplicationsDeskState(Confirming, StaffState):
    allowed: bool = False
    loaded: bool = False
    status: str = ""
    service_id: str = ""
    assigned: str = ""
    overdue_only: bool = False
    page: int = 0
    has_next: bool = False
    queue: list[desk_views.QueueItem] = []
    summary: str = ""
    services: list[desk_views.Choice] = []
    selected_id: int = 0
    selected: list[desk_views.DeskDetail] = []
    field_errors: dict[str, str] = {}
    counter_service_id: str = ""
    counter_fields: list[desk_views.CounterField] = []
    counter_key: int = 0  # a new key empties the counter form after a filing
    counter_attachments: list[desk_views.Choice] = []
    counter_files: list[desk_views.CounterFile] = []
    counter_upload_field: str = ""
    counter_uses_slots: bool = False
    counter_slots: list[desk_views.Choice] = []
    error: str = ""
    message: str = ""

    async def _reload(self):
        actor, lang = current_actor(self), await reader_language(self)
        filters = desk_queries.QueueFilters(status=self.status, service_id=row_id(self.service_id),
                                            assigned=self.assigned, overdue_only=self.overdue_only)
        args = dict(actor=actor, filters=filters, selected_id=self.selected_id, page=self.page, lang=lang)
        for name, value in (await read(lambda s: desk_views.desk(s, **args))).items():
            setattr(self, name, value)

    @rx.event
    async def load(self):
        self.error = self.message = ""
        self.field_errors = {}
        await self._reload()

    @rx.event
    async def set_filter(self, name: str, value: str | bool):
        """One filter changed (status, service, assigned, overdue): back to the first page."""
        if name == "status":
            self.status = choice(value, (*desk_queries.STATUSES, "all"))
        elif name == "service_id":
            self.service_id = str(row_id(value) or "")
        elif name == "assigned":
            self.assigned = choice(value, ASSIGNED)
        elif name == "overdue_only":
            self.overdue_only = value is True
        self.page = 0
        await self._reload()

    @rx.event
    async def turn_page(self, step: int):
        self.page = max(0, self.page + (1 if step == 1 else -1))
        await self._reload()

    @rx.event
    async def select(self, application_id: int):
        self.selected_id, self.error, self.message, self.field_errors = row_id(application_id), "", "", {}
        await self._reload()
        if self.selected:
            return rx.call_script("(h => h && (h.scrollIntoView({block: 'start'}), h.focus()))"
                                  "(document.getElementById('selected-heading'))")
        return None

    @rx.event
    def close_detail(self):
        closed, self.selected_id, self.selected = self.selected_id, 0, []
        return rx.call_script(f"(b => b && b.focus())(document.getElementById('open-{closed}'))")

    async def _act(self, action, done_key: str, form_data: object, field: str = "", **inputs):
        """One desk action on the application the form names (its hidden ``application_id``);
        a refusal about a field shows beside that field."""
        target = row_id(form(form_data).get("application_id")) or self.selected_id
        outcome = await run_action(self, action, f"{NS}.done.{done_key}", done_attr="message",
                                   application_id=target, **inputs)
        self.field_errors = {}
        if outcome.error is not None and field and outcome.error.params.get("field") == field:
            self.field_errors, self.error = {field: self.error}, ""
        await self._reload()
        return outcome

    @rx.event
    async def assign(self, form_data: dict):
        await self._act(desk_actions.assign_application, "assigned", form_data,
                        officer_id=row_id(form(form_data).get("officer_id")) or None)

    @rx.event
    async def protocol(self, form_data: dict):
        await self._act(desk_actions.protocol_application, "protocolled", form_data)

    @rx.event
    async def request_information(self, form_data: dict):
        await self._act(desk_actions.request_information, "info_requested", form_data, "message",
                        message=form(form_data).get("message", ""))

    @rx.event
    async def add_note(self, form_data: dict):
        await self._act(desk_actions.add_internal_note, "note_added", form_data, "body",
                        body=form(form_data).get("body", ""))

    @rx.event
    async def ask_answer(self, form_data: dict):
        decision = form(form_data).get("decision", "")
        decision = decision.strip() if isinstance(decision, str) else ""
        target = row_id(form(form_data).get("application_id")) or self.selected_id
        if len(decision) < 10:  # said beside the field, before any dialog
            return await self._act(desk_actions.answer_application, "answered", form_data, "decision",
                                   decision=decision)
        item = self.selected[0] if self.selected else None
        return await self._ask("answer", target, title=f"{NS}.confirm.answer_title",
                               what=f"{NS}.confirm.answer_what", who=f"{NS}.confirm.answer_who",
                               label=f"{NS}.confirm.answer_label", payload=json.dumps({"decision": decision}),
                               reference=item.reference if item else "")

    @rx.event
    async def ask_close(self, form_data: dict):
        item = self.selected[0] if self.selected else None
        target = row_id(form(form_data).get("application_id")) or self.selected_id
        return await self._ask("close", target, title=f"{NS}.confirm.close_title",
                               what=f"{NS}.confirm.close_what", who=f"{NS}.confirm.close_who",
                               label=f"{NS}.confirm.close_label", reference=item.reference if item else "")

    @rx.event
    async def confirm(self, form_data: dict):
        """Run the step the dialog confirmed, on the application the form names."""
        data = form(form_data)
        steps = {"answer": (desk_actions.answer_application, "answered",
                            {"decision": payload(data.get("payload")).get("decision", "")}),
                 "close": (desk_actions.close_application, "closed", {})}
        if data.get("step") not in steps:
            return None
        action, done, inputs = steps[data["step"]]
        _outcome, then = await self._confirmed(action, f"{NS}.done.{done}", done_attr="message",
                                               application_id=row_id(data.get("target")), **inputs)
        await self._reload()
        return then

    # --- filing at the counter ------------------------------------------------------------

    @rx.event
    async def choose_counter_service(self, value: str):
        service_id, lang = row_id(value), await reader_language(self)
        self.counter_service_id = str(service_id or "")
        self.counter_fields = await read(lambda s: desk_views.counter_fields(s, service_id, lang)) if service_id \
            else []
        await self._counter_extras()

    async def _counter_extras(self):
        actor, lang, service_id = current_actor(self), await reader_language(self), row_id(self.counter_service_id)
        for name, value in (await read(lambda s: desk_views.counter_extras(s, actor, service_id, lang))).items():
            setattr(self, name, value)
        keys = [c.value for c in self.counter_attachments]
        self.counter_upload_field = self.counter_upload_field if self.counter_upload_field in keys else \
            (keys[0] if keys else "")

    @rx.event
    async def counter_choice(self, key: str, value: str):
        """A choice of the counter form changed: the area's pickup days, when it names the area."""
        if key == rules.AREA_KEY and self.counter_uses_slots:
            lang = await reader_language(self)
            area = value if isinstance(value, str) else ""
            self.counter_slots = await read(lambda s: desk_views.counter_slots(s, area, lang))

    @rx.event
    def choose_counter_upload_field(self, value: str):
        self.counter_upload_field = choice(value, [c.value for c in self.counter_attachments])

    @rx.event
    async def counter_upload(self, files: list[rx.UploadFile], service_id: int, field_key: str):
        """Scanned documents the resident handed in, for the service and field the request names."""
        for upload in files or []:
            data = await upload.read(rules.MAX_FILE_BYTES + 1)
            outcome = await run_action(self, desk_actions.upload_at_counter, f"{NS}.done.file_added",
                                       done_attr="message", service_id=row_id(service_id),
                                       field_key=str(field_key or ""), filename=str(upload.name or "file")[:200],
                                       data=data)
            if not outcome:
                break
        await self._counter_extras()

    @rx.event
    async def remove_counter_file(self, service_id: int, file_id: int):
        await run_action(self, desk_actions.remove_counter_file, f"{NS}.done.file_removed", done_attr="message",
                         service_id=row_id(service_id), file_id=row_id(file_id))
        await self._counter_extras()

    @rx.event
    async def file_at_counter(self, form_data: dict):
        data = form(form_data)
        service_id, lang = row_id(data.get("service_id")), await reader_language(self)
        fields = await read(lambda s: desk_views.counter_fields(s, service_id, lang))
        outcome = await run_action(self, desk_actions.file_on_behalf, f"{NS}.done.filed", done_attr="message",
                                   done_params=lambda a: {"reference": a.reference}, service_id=service_id,
                                   taxid=data.get("taxid", ""), name=data.get("name", ""),
                                   answers=desk_views.counter_answers(data, fields))
        self.field_errors = {}
        field = outcome.error.params.get("field") if outcome.error is not None else None
        if field not in ("taxid", "name", rules.SLOT_KEY, *(f.key for f in fields)):
            field = None  # an attachment's (its error stays at the top, with the upload above it)
        if field:  # beside the field: the person's (taxid, name) or the form's own
            where = f"counter-{field}" if field in ("taxid", "name") else f"counter-f-{field}"
            self.field_errors, self.error = {where: self.error}, ""
        elif outcome:
            self.counter_key += 1
            await self._counter_extras()
            await self._reload()


class ApplicationsFiguresState(rx.State):
    """The applications' section of the public /measurement page (no personal data)."""

    figures: list[desk_views.FigureLine] = []
    paper_total: str = ""
    figures_loaded: bool = False

    @rx.event
    async def load(self):
        lang = await reader_language(self)
        for name, value in (await read(lambda s: desk_views.figure_lines(s, 12, lang))).items():
            setattr(self, name, value)

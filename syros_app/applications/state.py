"""Reflex states of the resident's application pages: thin. Reads through ``views``
builders, writes through ``run_action`` and the ``actions`` (their matrix is the guard).

The filing form sends its fields (debounced while the person types: the last event
carries the whole form, so none is lost) to ``autosave``, which keeps them in
``answers`` and writes the server-side draft, so the form resumes on any device.
"""

from __future__ import annotations

import reflex as rx

from syros_app.core.i18n import translate
from syros_app.reports.rules import in_syros
from syros_app.reports.views import choice, form, map_tiles, point as point_of, row_id
from syros_app.ui.state_helpers import current_actor, read, reader_language, run_action

from . import actions, rules, views

MAX_ANSWER = rules.MAX_TEXTAREA
STEPS = ("form", "review", "done")


def _assign(state: rx.State, fields: dict) -> None:
    for name, value in fields.items():
        setattr(state, name, value)


class CatalogueState(rx.State):
    query: str = ""
    department: str = ""
    items: list[views.ServiceCard] = []
    departments: list[views.ChoiceView] = []
    loaded: bool = False

    async def _reload(self):
        department, query = self.department, self.query
        _assign(self, await read(lambda s: views.catalogue(s, department, query)))

    @rx.event
    async def load(self):
        self.departments = views.department_choices()
        await self._reload()

    @rx.event
    async def set_query(self, value: str):
        self.query = str(value)[:80] if isinstance(value, str) else ""
        await self._reload()

    @rx.event
    async def set_department(self, value: str):
        self.department = choice(value, {c.value for c in self.departments})
        await self._reload()


class FilingState(rx.State):
    found: bool = True
    loaded: bool = False
    logged_in: bool = False
    service: views.ServiceView = views.ServiceView()
    fields: list[views.FieldView] = []
    answers: dict[str, str] = {}
    files: list[views.FileView] = []
    slot_options: list[views.ChoiceView] = []
    has_draft: bool = False
    has_attachments: bool = False
    step: str = "form"
    review: list[views.ReviewRow] = []
    field_errors: dict[str, str] = {}
    upload_field: str = ""
    saved: str = ""
    error: str = ""
    notice: str = ""
    form_key: int = 0  # remounts the form's inputs when the answers come from the server
    done: dict[str, str] = {}
    points: dict[str, list[float]] = {}  # address field -> [lat, lon] picked on the map
    map_message: str = ""
    tile_url: str = ""
    attribution: str = ""

    def _slug(self) -> str:
        return str(self.router.page.params.get("slug", ""))[:60]

    async def _reload(self):
        slug, actor = self._slug(), current_actor(self)
        _assign(self, {**map_tiles(), "map_message": ""})
        _assign(self, await read(lambda s: views.filing_page(s, slug, actor)))
        self.form_key += 1
        self.upload_field = next((f.key for f in self.fields if f.type == "attachment"), "")
        self.has_attachments = bool(self.upload_field)

    @rx.event
    async def load(self):
        _assign(self, {"step": "form", "review": [], "field_errors": {}, "error": "", "notice": "", "saved": "",
                       "done": {}, "loaded": False})
        await self._reload()

    @rx.event
    async def autosave(self, form_data: dict):
        """The whole form as it stands (the page sends it, debounced, while she types) into
        the draft; a new municipal unit of a pickup changes the days offered."""
        area = self.answers.get(rules.AREA_KEY, "")
        self._take(form_data)
        if self.service.uses_slots and self.answers.get(rules.AREA_KEY, "") != area:
            area = self.answers.get(rules.AREA_KEY, "")
            self.answers = {**self.answers, rules.SLOT_KEY: ""}
            self.slot_options = await read(lambda s: views.slots(s, area))
        await self._save_draft()

    @rx.event
    async def save_draft(self):
        await self._save_draft()

    async def _save_draft(self):
        self.saved = ""
        if not self.logged_in or self.step != "form":
            return
        outcome = await run_action(self, actions.save_draft, done_attr="", service_slug=self._slug(),
                                   answers=self._answers())
        if outcome:
            self.saved = translate("applications.form.saved", await reader_language(self))
            self.has_draft = True

    @rx.event
    def choose_upload_field(self, value: str):
        self.upload_field = choice(value, {f.key for f in self.fields if f.type == "attachment"})

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        for upload in files or []:
            data = await upload.read(rules.MAX_FILE_BYTES + 1)
            outcome = await run_action(self, actions.upload_file, "applications.form.file_added",
                                       service_slug=self._slug(), field_key=self.upload_field,
                                       filename=str(upload.name or "file")[:200], data=data)
            if not outcome:
                break
        await self._refresh_files()

    async def _refresh_files(self):
        slug, actor = self._slug(), current_actor(self)
        fresh = await read(lambda s: views.filing_page(s, slug, actor))
        self.files = fresh.get("files", [])

    @rx.event
    async def remove_file(self, file_id: int):
        await run_action(self, actions.remove_file, "applications.form.file_removed", service_slug=self._slug(),
                         file_id=row_id(file_id))
        await self._refresh_files()

    def _answers(self) -> dict:
        return views.with_points(dict(self.answers), dict(self.points))

    @rx.event
    async def pick_point(self, key: str, position: list):
        """A point of an address tapped on the map (or the map's centre, by keyboard): kept
        with the typed address if it is on Syros, said either way."""
        lang, point = await reader_language(self), point_of(position)
        if key not in {f.key for f in self.fields if f.type == "address"}:
            return
        if point is None or not in_syros(*point):
            self.map_message = translate("reports.errors.point_outside", lang)
            return
        self.points = {**self.points, key: [round(point[0], 6), round(point[1], 6)]}
        self.map_message = translate("applications.form.point_picked", lang)
        await self._save_draft()

    @rx.event
    async def clear_point(self, key: str):
        self.points = {k: v for k, v in self.points.items() if k != key}
        self.map_message = translate("applications.form.point_cleared", await reader_language(self))
        await self._save_draft()

    def _take(self, form_data: dict) -> None:
        """The form's fields as sent with its button (the last keystrokes included)."""
        data = form(form_data)
        self.answers = {k: (str(data[k])[:MAX_ANSWER] if isinstance(data.get(k), str) else v)
                        for k, v in self.answers.items()}

    @rx.event
    async def to_review(self, form_data: dict):
        """Check the answers (nothing is filed yet) and show them for a last look."""
        self._take(form_data)
        await self._save_draft()
        lang, slug, actor, answers = await reader_language(self), self._slug(), current_actor(self), self._answers()
        problems, rows = await read(lambda s: views.review(s, slug, actor, answers, lang))
        self.field_errors = problems
        if problems:
            self.error = translate("applications.errors.form", lang)
            return _focus(f"f-{next(iter(problems))}")
        self.error, self.review, self.step = "", rows, "review"
        return _focus("review-heading")

    @rx.event
    def back_to_form(self):
        self.step, self.form_key = "form", self.form_key + 1
        return _focus("form-heading")

    @rx.event
    async def submit(self):
        outcome = await run_action(self, actions.submit_application, done_attr="", service_slug=self._slug(),
                                   answers=self._answers())
        if outcome:
            self.done, self.step, self.has_draft = views.submitted(outcome.value), "done", False
            return _focus("done-heading")
        self.field_errors = views.field_errors(outcome.error, await reader_language(self))
        if self.field_errors:
            self.step, self.form_key = "form", self.form_key + 1
            return _focus(f"f-{next(iter(self.field_errors))}")
        return None

    @rx.event
    async def discard(self):
        await run_action(self, actions.discard_draft, "applications.form.discarded", service_slug=self._slug())
        await self._reload()


def _focus(element_id: str):
    """Move focus to an element of the step just shown (retried until React has drawn it)."""
    return rx.call_script(f"(function f(n) {{ const e = document.getElementById({element_id!r}); "
                          "if (e) e.focus(); else if (n > 0) requestAnimationFrame(() => f(n - 1)); })(30)")


class MyApplicationsState(rx.State):
    items: list[views.MyItem] = []
    loaded: bool = False
    logged_in: bool = False

    @rx.event
    async def load(self):
        actor = current_actor(self)
        _assign(self, await read(lambda s: views.my_items(s, actor)))


class ApplicationPageState(rx.State):
    """One of the person's applications: its timeline, her answer to a request for
    information, her rating (the desk of its department may look too)."""

    view: views.ApplicationView = views.ApplicationView()
    found: bool = True
    loaded: bool = False
    error: str = ""
    notice: str = ""

    async def _reload(self, *, fresh: bool = False):
        actor, application_id = current_actor(self), row_id(self.router.page.params.get("application_id", ""))
        page = await read(lambda s: views.application_page(s, actor, application_id))
        _assign(self, {**page, **({"error": "", "notice": ""} if fresh else {})})

    @rx.event
    async def load(self):
        await self._reload(fresh=True)

    @rx.event
    async def provide_information(self, form_data: dict):
        outcome = await run_action(self, actions.provide_information, "applications.page.information_sent",
                                   application_id=self.view.id, message=str(form(form_data).get("message") or ""))
        if outcome:
            await self._reload()

    @rx.event
    async def rate(self, form_data: dict):
        data = form(form_data)
        outcome = await run_action(self, actions.rate_application, "applications.page.rated",
                                   application_id=self.view.id, score=row_id(data.get("score")),
                                   comment=str(data.get("comment") or ""))
        if outcome:
            await self._reload()

"""Reflex states of surveys: thin. Writes go through ``run_action`` (the action's role
matrix is the only guard), reads through ``read`` and the builders in ``views``."""

from __future__ import annotations

from typing import Any

import reflex as rx

from syros_app.core.i18n import translate
from syros_app.core.timefmt import utcnow
from syros_app.identity.state import StaffState
from syros_app.ui.state_helpers import Confirming, current_actor, read, reader_language, run_action

from . import actions, rules, views


def _assign(state: rx.State, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(state, name, value)


def _form(form_data: Any) -> dict[str, Any]:
    return form_data if isinstance(form_data, dict) else {}


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


class _Public(rx.State, mixin=True):
    """A public read: ``_build(session, now)`` returns the fields to show."""

    loaded: bool = False

    def _build(self, session, now) -> dict:
        raise NotImplementedError

    @rx.event
    async def load(self):
        _assign(self, await read(lambda s: self._build(s, utcnow())))


class SurveysListState(_Public, rx.State):
    items: list[views.SurveyCard] = []

    def _build(self, session, now) -> dict:
        return views.public_list(session, now)


class SurveyFiguresState(_Public, rx.State):
    """The surveys' section of /measurement."""

    quarters: list[views.QuarterRow] = []
    ran: list[views.SurveyCard] = []

    def _build(self, session, now) -> dict:
        return views.measurement(session, now)


class _Page(rx.State, mixin=True):
    """A page with an outcome line: a load clears it and reads again (``_reload``)."""

    loaded: bool = False
    error: str = ""
    notice: str = ""

    def _from_address(self) -> None:
        """What the page takes from its address before reading."""

    @rx.event
    async def load(self):
        self.error = self.notice = ""
        self._from_address()
        await self._reload()


class SurveyPageState(_Page, rx.State):
    found: bool = True
    card: views.SurveyCard = views.SurveyCard()
    description: str = ""
    needs_login: bool = False
    answered: bool = False
    questions: list[views.QuestionView] = []
    results: list[views.ResultView] = []

    def _browser_key(self) -> str:
        """The tab's session token (set by the server from the socket): anonymous surveys
        take one answer per browser session."""
        return self.router.session.client_token or ""

    async def _reload(self):
        actor, key = current_actor(self), self._browser_key()
        survey_id = views.row_id(self.router.page.params.get("survey_id", ""))
        _assign(self, await read(lambda s: views.survey_page(s, survey_id, actor, key, utcnow())))

    @rx.event
    async def submit(self, form_data: dict):
        answers = rules.answers_from_form(_form(form_data))
        outcome = await run_action(self, actions.answer_survey, "surveys.page.thanks", survey_id=self.card.id,
                                   answers=answers, browser_key=self._browser_key())
        if outcome:
            await self._reload()
            return
        field = str(outcome.error.params.get("field", "")) if outcome.error else ""
        self.questions = views.with_error(self.questions, field, self.error)
        if field.startswith("q"):
            self.error = translate("surveys.errors.check_answers", await reader_language(self))


class StaffSurveysState(Confirming, _Page, StaffState):
    """/staff/surveys: build, open, close and publish surveys; moderate short texts."""

    allowed: bool = False
    surveys: list[views.SurveyCard] = []
    detail: views.StaffDetail = views.StaffDetail()
    selected: int = 0
    form_key: int = 0

    async def _reload(self):
        actor, selected = current_actor(self), self.selected
        _assign(self, await read(lambda s: views.staff_page(s, actor, selected, utcnow())))

    def _from_address(self) -> None:
        self.selected = views.row_id(self.router.page.params.get("survey", "")) or self.selected

    @rx.event
    async def select(self, survey_id: str):
        self.error = self.notice = ""
        self.selected = views.row_id(survey_id)
        await self._reload()

    @rx.event
    async def create(self, form_data: dict):
        form = _form(form_data)
        outcome = await run_action(self, actions.create_survey, "surveys.staff.created", title=_text(form, "title"),
                                   description=_text(form, "description"), mode=_text(form, "mode"),
                                   publish_text=_text(form, "publish_text") == "on")
        if outcome:
            self.selected, self.form_key = outcome.value, self.form_key + 1
            await self._reload()

    @rx.event
    async def add_question(self, form_data: dict):
        form = _form(form_data)
        numbers = {name: (_text(form, name) or None) for name in ("max_choices", "scale_min", "scale_max")}
        outcome = await run_action(
            self, actions.add_question, "surveys.staff.question_added", survey_id=views.row_id(form.get("survey_id")),
            kind=_text(form, "kind"), prompt=_text(form, "prompt"), required=_text(form, "required") == "on",
            choices=_text(form, "choices"), max_choices=numbers["max_choices"],
            scale_min=numbers["scale_min"] or 1, scale_max=numbers["scale_max"] or 5,
            label_low=_text(form, "label_low"), label_high=_text(form, "label_high"))
        if outcome:
            self.form_key += 1
            await self._reload()

    @rx.event
    async def move_question(self, question_id: int, step: int):
        if await run_action(self, actions.move_question, question_id=question_id, step=step):
            await self._reload()

    @rx.event
    async def remove_question(self, question_id: int):
        if await run_action(self, actions.remove_question, "surveys.staff.question_removed", question_id=question_id):
            await self._reload()

    @rx.event
    async def moderate(self, answer_id: int, approve: bool):
        if await run_action(self, actions.moderate_text, "surveys.staff.moderated", answer_id=answer_id,
                            approve=approve):
            await self._reload()

    async def _ask_step(self, step: str, payload: str = ""):
        return await self._ask(step, self.detail.id, title=f"surveys.confirm.{step}_title",
                               what=f"surveys.confirm.{step}_what", who=f"surveys.confirm.{step}_who",
                               label=f"surveys.confirm.{step}_label", payload=payload, survey=self.detail.title,
                               day=views.day_text(payload, await reader_language(self)))

    @rx.event
    async def ask_open(self, form_data: dict):
        return await self._ask_step("open", _text(_form(form_data), "closes_on"))

    @rx.event
    async def ask_close(self):
        return await self._ask_step("close")

    @rx.event
    async def ask_publish(self):
        return await self._ask_step("publish")

    @rx.event
    async def confirm(self, form_data: dict):
        form = _form(form_data)
        step, target = _text(form, "step"), views.row_id(form.get("target"))
        steps = {"open": (actions.open_survey, {"closes_on": _text(form, "payload")}),
                 "close": (actions.close_survey, {}), "publish": (actions.publish_results, {})}
        if step not in steps:
            return None
        action, extra = steps[step]
        outcome, after = await self._confirmed(action, f"surveys.staff.{step}_done", survey_id=target, **extra)
        await self._reload()
        return after

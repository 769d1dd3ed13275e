"""What the survey pages show: view models and the builders from rows to them.

Figures and dates are prepared in both languages (:class:`Bi`) with the formatting
library, so a language switch needs no reload; states only assign what these return.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core import formatting
from syros_app.core.actors import Actor

from . import queries, rules
from .models import Survey, SurveyQuestion
from .permissions import MATRIX


class Bi(BaseModel):
    """A text the server prepared in both languages (a figure, a date)."""

    el: str = ""
    en: str = ""


def both(fn: Callable[..., str], value, **kw) -> Bi:
    return Bi(el=fn(value, "el", **kw), en=fn(value, "en", **kw))


def day_text(value: str, lang: str) -> str:
    """A ``YYYY-MM-DD`` from a date field, as the reader reads dates (unchanged if it is not one)."""
    try:
        return formatting.date_text(date.fromisoformat(value), lang)
    except (TypeError, ValueError):
        return value


def row_id(value: object) -> int:
    """A row id from the page; 0 (names no row) when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return number if queries.valid_id(number) else 0


class _Survey(BaseModel):
    id: int = 0
    title: str = ""
    status: str = ""  # as it stands now: an open survey past its closing time is closed
    mode: str = ""


class SurveyCard(_Survey):
    url: str = ""
    closes: Bi = Bi()
    answers: Bi = Bi()


def card(survey: Survey, answers: int, now: datetime) -> SurveyCard:
    return SurveyCard(id=survey.id, title=survey.title, url=f"/surveys/{survey.id}", mode=survey.mode,
                      status=rules.effective_status(survey.status, survey.closes_at, now),
                      closes=both(formatting.datetime_text, survey.closes_at), answers=both(formatting.number, answers))


def public_list(session: Session, now: datetime) -> dict:
    surveys = queries.public_surveys(session, now)
    counts = queries.response_counts(session, [s.id for s in surveys])
    return {"items": [card(s, counts.get(s.id, 0), now) for s in surveys], "loaded": True}


# --- one survey: the form ----------------------------------------------------------------------------

class _Asked(BaseModel):
    """What every view of a question starts with."""

    id: int = 0
    kind: str = ""
    prompt: str = ""
    required: bool = True


class OptionView(BaseModel):
    """One choice (or scale point) of a question, as a radio or a checkbox."""

    value: str  # the choice's number, or the scale point
    label: str


class QuestionView(_Asked):
    field: str = ""  # q<id>
    options: list[OptionView] = []
    ends: list[str] = []  # a scale's end labels (low, high)
    max_choices: int = 0
    error: str = ""


def question_view(q: SurveyQuestion) -> QuestionView:
    field = f"q{q.id}"
    if q.kind == rules.SCALE:
        points = [str(p) for p in range(q.scale_min, q.scale_max + 1)]
        options = [OptionView(value=p, label=p) for p in points]
    elif q.kind in (rules.SINGLE, rules.MULTIPLE):
        options = [OptionView(value=str(n), label=label) for n, label in enumerate(rules.choice_list(q.choices))]
    else:
        options = []
    return QuestionView(id=q.id, field=field, kind=q.kind, prompt=q.prompt, required=q.required, options=options,
                        ends=[q.label_low, q.label_high], max_choices=q.max_choices or 0)


def with_error(questions: list[QuestionView], field: str, message: str) -> list[QuestionView]:
    """The questions with ``message`` beside the one named ``field`` (and no other error)."""
    return [q.model_copy(update={"error": message if q.field == field else ""}) for q in questions]


# --- one survey: the results --------------------------------------------------------------------------

class ResultRowView(BaseModel):
    label: str
    count: Bi
    share: Bi
    width: str  # CSS width of the bar


class ResultView(_Asked):
    answered: Bi = Bi()
    mean: Bi = Bi()
    rows: list[ResultRowView] = []
    texts: list[str] = []


def result_view(question: SurveyQuestion, tally: rules.QuestionResult) -> ResultView:
    rows = [ResultRowView(label=row.label, count=both(formatting.number, row.count),
                          share=both(formatting.percent, row.share), width=f"{round(row.share * 100, 1)}%")
            for row in tally.rows]
    mean = both(formatting.number, tally.mean, digits=1) if tally.mean is not None else Bi()
    return ResultView(id=question.id, prompt=question.prompt, kind=question.kind, required=question.required,
                      answered=both(formatting.number, tally.answered), mean=mean, rows=rows, texts=tally.texts)


def survey_page(session: Session, survey_id: int, actor: Actor | None, browser_key: str, now: datetime) -> dict:
    """Everything /surveys/<id> shows this reader."""
    survey = queries.survey(session, survey_id)
    if survey is None:
        return {"found": False, "loaded": True}
    status = rules.effective_status(survey.status, survey.closes_at, now)
    answered = needs_login = False
    if status == rules.OPEN:
        if survey.mode == rules.PERSON and actor is None:
            needs_login = True
        elif survey.mode == rules.PERSON or browser_key:
            from .actions import respondent_key

            answered = queries.has_answered(session, survey.id, respondent_key(survey, actor, browser_key))
    total, tallies = queries.results(session, survey) if status == rules.PUBLISHED else (0, [])
    return {
        "found": True, "loaded": True, "card": card(survey, total, now), "description": survey.description,
        "needs_login": needs_login, "answered": answered,
        "questions": [question_view(q) for q in queries.questions(session, survey.id)] if status == rules.OPEN
        else [],
        "results": [result_view(q, t) for q, t in tallies],
    }


# --- staff ---------------------------------------------------------------------------------------------

class StaffQuestion(_Asked):
    details: str = ""  # the choices, or the scale's ends


class TextView(BaseModel):
    id: int
    prompt: str
    text: str


class StaffDetail(SurveyCard):
    publish_text: bool = False
    questions: list[StaffQuestion] = []
    texts: list[TextView] = []


def _details(q: SurveyQuestion) -> str:
    if q.kind == rules.SCALE:
        ends = " – ".join(x for x in (q.label_low, q.label_high) if x)
        return f"{q.scale_min}–{q.scale_max}" + (f" ({ends})" if ends else "")
    return " · ".join(rules.choice_list(q.choices))


def staff_page(session: Session, actor: Actor | None, selected: int, now: datetime) -> dict:
    """The staff builder: every survey, and the selected one in full (staff only)."""
    if not MATRIX.allows(actor, "view_staff_surveys"):
        return {"allowed": False, "loaded": True}
    surveys = queries.staff_surveys(session)
    counts = queries.response_counts(session)
    detail = StaffDetail()
    chosen = next((s for s in surveys if s.id == selected), None)
    if chosen is not None:
        texts = queries.texts_to_moderate(session, chosen.id) if chosen.publish_text else []
        detail = StaffDetail(
            **card(chosen, counts.get(chosen.id, 0), now).model_dump(), publish_text=chosen.publish_text,
            questions=[StaffQuestion(id=q.id, prompt=q.prompt, kind=q.kind, required=q.required, details=_details(q))
                       for q in queries.questions(session, chosen.id)],
            texts=[TextView(id=a.id, prompt=q.prompt, text=a.value) for a, q in texts])
    return {"allowed": True, "loaded": True, "surveys": [card(s, counts.get(s.id, 0), now) for s in surveys],
            "detail": detail}


# --- measurement ----------------------------------------------------------------------------------------

class QuarterRow(BaseModel):
    quarter: str
    surveys: Bi
    answers: Bi
    per_survey: Bi


def quarter_rows(session: Session) -> list[QuarterRow]:
    return [QuarterRow(quarter=quarter, surveys=both(formatting.number, run), answers=both(formatting.number, answers),
                       per_survey=both(formatting.number, answers / run, digits=1))
            for quarter, run, answers in queries.figures_by_quarter(session)]


def measurement(session: Session, now: datetime) -> dict:
    """The /measurement section: per quarter, and every survey that ran with its answers."""
    counts = queries.response_counts(session)
    return {"quarters": quarter_rows(session), "loaded": True,
            "ran": [card(s, counts.get(s.id, 0), now) for s in reversed(queries.run_surveys(session))]}

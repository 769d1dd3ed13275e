"""What the survey pages show: view models and the builders from rows to them.

Figures and dates are prepared in both languages (``x`` / ``x_en``) with the formatting
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


def both(fn: Callable[..., str], value, **kw) -> tuple[str, str]:
    return fn(value, "el", **kw), fn(value, "en", **kw)


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


class SurveyCard(BaseModel):
    id: int = 0
    title: str = ""
    url: str = ""
    status: str = ""
    mode: str = ""
    closes: str = ""
    closes_en: str = ""
    answers: str = ""
    answers_en: str = ""


def card(survey: Survey, answers: int, now: datetime) -> SurveyCard:
    closes, closes_en = both(formatting.datetime_text, survey.closes_at)
    count, count_en = both(formatting.number, answers)
    return SurveyCard(id=survey.id, title=survey.title, url=f"/surveys/{survey.id}", mode=survey.mode,
                      status=rules.effective_status(survey.status, survey.closes_at, now), closes=closes,
                      closes_en=closes_en, answers=count, answers_en=count_en)


def public_list(session: Session, now: datetime) -> dict:
    surveys = queries.public_surveys(session, now)
    counts = queries.response_counts(session, [s.id for s in surveys])
    return {"items": [card(s, counts.get(s.id, 0), now) for s in surveys], "loaded": True}


# --- one survey: the form ----------------------------------------------------------------------------

class OptionView(BaseModel):
    value: str
    label: str
    name: str  # the form field: q<id> (radio) or q<id>_<n> (checkbox)
    field_id: str


class QuestionView(BaseModel):
    id: int = 0
    field: str = ""
    kind: str = ""
    prompt: str = ""
    required: bool = True
    options: list[OptionView] = []
    label_low: str = ""
    label_high: str = ""
    max_choices: int = 0
    error: str = ""


def question_view(q: SurveyQuestion) -> QuestionView:
    field = f"q{q.id}"
    if q.kind == rules.SCALE:
        points = [str(p) for p in range(q.scale_min, q.scale_max + 1)]
        options = [OptionView(value=p, label=p, name=field, field_id=f"{field}-{p}") for p in points]
    elif q.kind in (rules.SINGLE, rules.MULTIPLE):
        options = [OptionView(value=str(n), label=label, field_id=f"{field}-{n}",
                              name=f"{field}_{n}" if q.kind == rules.MULTIPLE else field)
                   for n, label in enumerate(rules.choice_list(q.choices))]
    else:
        options = []
    return QuestionView(id=q.id, field=field, kind=q.kind, prompt=q.prompt, required=q.required, options=options,
                        label_low=q.label_low, label_high=q.label_high, max_choices=q.max_choices or 0)


def with_error(questions: list[QuestionView], field: str, message: str) -> list[QuestionView]:
    """The questions with ``message`` beside the one named ``field`` (and no other error)."""
    return [q.model_copy(update={"error": message if q.field == field else ""}) for q in questions]


# --- one survey: the results --------------------------------------------------------------------------

class ResultRowView(BaseModel):
    label: str
    count: str
    count_en: str
    share: str
    share_en: str
    width: str  # CSS width of the bar


class ResultView(BaseModel):
    id: int
    prompt: str
    kind: str
    answered: str
    answered_en: str
    mean: str = ""
    mean_en: str = ""
    label_low: str = ""
    label_high: str = ""
    rows: list[ResultRowView] = []
    texts: list[str] = []


def result_view(question: SurveyQuestion, tally: rules.QuestionResult) -> ResultView:
    rows = []
    for row in tally.rows:
        count, count_en = both(formatting.number, row.count)
        share, share_en = both(formatting.percent, row.share)
        rows.append(ResultRowView(label=row.label, count=count, count_en=count_en, share=share, share_en=share_en,
                                  width=f"{round(row.share * 100, 1)}%"))
    answered, answered_en = both(formatting.number, tally.answered)
    mean, mean_en = both(formatting.number, tally.mean, digits=1) if tally.mean is not None else ("", "")
    return ResultView(id=question.id, prompt=question.prompt, kind=question.kind, answered=answered,
                      answered_en=answered_en, mean=mean, mean_en=mean_en, label_low=question.label_low,
                      label_high=question.label_high, rows=rows, texts=tally.texts)


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

class StaffQuestion(BaseModel):
    id: int
    prompt: str
    kind: str
    required: bool
    details: str  # the choices, or the scale's ends


class TextView(BaseModel):
    id: int
    prompt: str
    text: str


class StaffDetail(BaseModel):
    id: int = 0
    title: str = ""
    status: str = ""
    mode: str = ""
    publish_text: bool = False
    questions: list[StaffQuestion] = []
    texts: list[TextView] = []
    answers: str = ""
    answers_en: str = ""
    closes: str = ""
    closes_en: str = ""


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
        closes, closes_en = both(formatting.datetime_text, chosen.closes_at)
        answers, answers_en = both(formatting.number, counts.get(chosen.id, 0))
        texts = queries.texts_to_moderate(session, chosen.id) if chosen.publish_text else []
        detail = StaffDetail(
            id=chosen.id, title=chosen.title, status=rules.effective_status(chosen.status, chosen.closes_at, now),
            mode=chosen.mode, publish_text=chosen.publish_text, answers=answers, answers_en=answers_en,
            closes=closes, closes_en=closes_en,
            questions=[StaffQuestion(id=q.id, prompt=q.prompt, kind=q.kind, required=q.required, details=_details(q))
                       for q in queries.questions(session, chosen.id)],
            texts=[TextView(id=a.id, prompt=q.prompt, text=a.value) for a, q in texts])
    return {"allowed": True, "loaded": True, "surveys": [card(s, counts.get(s.id, 0), now) for s in surveys],
            "detail": detail}


# --- measurement ----------------------------------------------------------------------------------------

class QuarterRow(BaseModel):
    quarter: str
    surveys: str
    surveys_en: str
    answers: str
    answers_en: str
    per_survey: str
    per_survey_en: str


def quarter_rows(session: Session) -> list[QuarterRow]:
    rows = []
    for quarter, run, answers in queries.figures_by_quarter(session):
        surveys, surveys_en = both(formatting.number, run)
        count, count_en = both(formatting.number, answers)
        per, per_en = both(formatting.number, answers / run, digits=1)
        rows.append(QuarterRow(quarter=quarter, surveys=surveys, surveys_en=surveys_en, answers=count,
                               answers_en=count_en, per_survey=per, per_survey_en=per_en))
    return rows


def measurement(session: Session, now: datetime) -> dict:
    """The /measurement section: per quarter, and every survey that ran with its answers."""
    counts = queries.response_counts(session)
    return {"quarters": quarter_rows(session), "loaded": True,
            "ran": [card(s, counts.get(s.id, 0), now) for s in reversed(queries.run_surveys(session))]}

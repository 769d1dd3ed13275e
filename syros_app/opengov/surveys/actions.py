"""Writes of surveys: staff build a survey, open, close and publish it and moderate its
short texts; anyone answers (once per person, or once per browser session).

Each is an action (``core.actions.action``): the role matrix first, typed input, the
caller's transaction; staff writes leave an audit row.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core.actions import Conflict, action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import InvalidInput, NotFound, PermissionDenied
from syros_app.core.timefmt import ATHENS, as_utc
from syros_app.identity.hashing import scoped_hmac

from . import queries, rules
from .models import Survey, SurveyAnswer, SurveyParticipation, SurveyQuestion, SurveyResponse
from .permissions import MATRIX

MAX_CLOSE_DAYS = 366


def _clean(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


def _survey(session: Session, survey_id: int, *, lock: bool = False) -> Survey:
    if not queries.valid_id(survey_id):
        raise NotFound("surveys.errors.not_found")
    query = select(Survey).where(Survey.id == survey_id)
    if lock:
        query = query.with_for_update()
    survey = session.exec(query).first()
    if survey is None:
        raise NotFound("surveys.errors.not_found")
    return survey


def _draft(session: Session, survey_id: int) -> Survey:
    survey = _survey(session, survey_id, lock=True)
    if survey.status != rules.DRAFT:
        raise InvalidInput("surveys.errors.not_draft")
    return survey


def _question(session: Session, question_id: int) -> tuple[SurveyQuestion, Survey]:
    question = session.get(SurveyQuestion, question_id) if queries.valid_id(question_id) else None
    if question is None:
        raise NotFound("surveys.errors.not_found")
    return question, _draft(session, question.survey_id)


def _audit(session: Session, actor: Actor | None, name: str, survey_id: int, now: datetime, **details) -> None:
    audit(session, actor, f"surveys.{name}", f"survey:{survey_id}", now=now, details=details or None)


# --- building -------------------------------------------------------------------------------------

@action(MATRIX, "create_survey")
def create_survey(session: Session, *, actor: Actor | None, now: datetime, title: str, description: str = "",
                  mode: str = rules.PERSON, publish_text: bool = False) -> int:
    """A new draft survey; its id."""
    title = _clean(title, rules.MAX_TITLE)
    if len(title) < 3:
        raise InvalidInput("surveys.errors.title_required", field="title")
    if mode not in rules.MODES:
        raise InvalidInput("surveys.errors.mode", field="mode")
    survey = Survey(title=title, description=_clean(description, rules.MAX_DESCRIPTION), mode=mode,
                    publish_text=publish_text, status=rules.DRAFT, created_at=now)
    session.add(survey)
    session.flush()
    _audit(session, actor, "create_survey", survey.id, now, mode=mode)
    return survey.id


@action(MATRIX, "edit_survey")
def add_question(session: Session, *, actor: Actor | None, now: datetime, survey_id: int, kind: str, prompt: str,
                 required: bool = True, choices: str = "", max_choices: int | None = None, scale_min: int = 1,
                 scale_max: int = 5, label_low: str = "", label_high: str = "") -> int:
    """Add a question at the end of a draft; its id."""
    survey = _draft(session, survey_id)
    prompt = _clean(prompt, rules.MAX_PROMPT)
    choice_rows = rules.choice_list(choices) if kind in (rules.SINGLE, rules.MULTIPLE) else []
    rules.check_question(kind, prompt, choice_rows, max_choices, scale_min, scale_max)
    existing = queries.questions(session, survey.id)
    if len(existing) >= rules.MAX_QUESTIONS:
        raise InvalidInput("surveys.errors.too_many_questions", n=rules.MAX_QUESTIONS)
    scale = kind == rules.SCALE
    question = SurveyQuestion(
        survey_id=survey.id, position=(existing[-1].position + 1) if existing else 1, kind=kind, prompt=prompt,
        required=required, choices="\n".join(choice_rows),
        max_choices=max_choices if kind == rules.MULTIPLE else None,
        scale_min=scale_min if scale else 1, scale_max=scale_max if scale else 5,
        label_low=_clean(label_low, rules.MAX_LABEL) if scale else "",
        label_high=_clean(label_high, rules.MAX_LABEL) if scale else "")
    session.add(question)
    session.flush()
    _audit(session, actor, "add_question", survey.id, now, question_id=question.id, kind=kind)
    return question.id


@action(MATRIX, "edit_survey")
def move_question(session: Session, *, actor: Actor | None, now: datetime, question_id: int, step: int) -> None:
    """Swap a draft's question with the one before (step -1) or after (+1)."""
    if step not in (-1, 1):
        raise InvalidInput("errors.invalid_input", field="step")
    question, survey = _question(session, question_id)
    ordered = queries.questions(session, survey.id)
    index = next(i for i, q in enumerate(ordered) if q.id == question.id)
    other = index + step
    if not 0 <= other < len(ordered):
        return
    ordered[index].position, ordered[other].position = ordered[other].position, ordered[index].position
    session.add_all([ordered[index], ordered[other]])
    _audit(session, actor, "move_question", survey.id, now, question_id=question.id, step=step)


@action(MATRIX, "edit_survey")
def remove_question(session: Session, *, actor: Actor | None, now: datetime, question_id: int) -> None:
    question, survey = _question(session, question_id)
    session.delete(question)
    _audit(session, actor, "remove_question", survey.id, now, question_id=question_id)


# --- its life -------------------------------------------------------------------------------------

def closing_time(closes_on: str, now: datetime) -> datetime:
    """The end of the chosen day (Athens time) as UTC; the day must be today or later,
    within a year."""
    try:
        day = date.fromisoformat((closes_on or "").strip())
    except ValueError:
        raise InvalidInput("surveys.errors.close_date", field="closes_on") from None
    closes_at = as_utc(datetime.combine(day + timedelta(days=1), time(0), tzinfo=ATHENS))
    if closes_at <= now or closes_at > now + timedelta(days=MAX_CLOSE_DAYS):
        raise InvalidInput("surveys.errors.close_date", field="closes_on")
    return closes_at


@action(MATRIX, "open_survey")
def open_survey(session: Session, *, actor: Actor | None, now: datetime, survey_id: int, closes_on: str) -> None:
    """Open a draft until the end of ``closes_on`` (``YYYY-MM-DD``); its questions are then fixed."""
    survey = _draft(session, survey_id)
    closes_at = closing_time(closes_on, now)
    if not queries.questions(session, survey.id):
        raise InvalidInput("surveys.errors.no_questions")
    survey.status, survey.opened_at, survey.closes_at = rules.OPEN, now, closes_at
    session.add(survey)
    _audit(session, actor, "open_survey", survey.id, now, closes_at=closes_at.isoformat())


@action(MATRIX, "close_survey")
def close_survey(session: Session, *, actor: Actor | None, now: datetime, survey_id: int) -> None:
    """Close an open survey now (before its closing date)."""
    survey = _survey(session, survey_id, lock=True)
    if survey.status != rules.OPEN:
        raise InvalidInput("surveys.errors.not_open")
    survey.status, survey.closed_at = rules.CLOSED, now
    if survey.closes_at is None or as_utc(survey.closes_at) > now:
        survey.closes_at = now
    session.add(survey)
    _audit(session, actor, "close_survey", survey.id, now)


@action(MATRIX, "publish_results")
def publish_results(session: Session, *, actor: Actor | None, now: datetime, survey_id: int) -> None:
    """Publish a closed survey's results (an open one past its closing date counts as closed)."""
    survey = _survey(session, survey_id, lock=True)
    if rules.effective_status(survey.status, survey.closes_at, now) != rules.CLOSED:
        raise InvalidInput("surveys.errors.not_closed")
    if survey.closed_at is None:
        survey.closed_at = survey.closes_at
    survey.status, survey.published_at = rules.PUBLISHED, now
    session.add(survey)
    _audit(session, actor, "publish_results", survey.id, now)


@action(MATRIX, "moderate_text")
def moderate_text(session: Session, *, actor: Actor | None, now: datetime, answer_id: int, approve: bool) -> None:
    """Approve a short-text answer for publication, or keep it out of the open data."""
    answer = session.get(SurveyAnswer, answer_id) if queries.valid_id(answer_id) else None
    question = session.get(SurveyQuestion, answer.question_id) if answer is not None else None
    if answer is None or question is None or question.kind != rules.TEXT:
        raise NotFound("surveys.errors.not_found")
    survey = _survey(session, question.survey_id)
    if not survey.publish_text:
        raise InvalidInput("surveys.errors.text_not_published")
    answer.approved = approve
    session.add(answer)
    _audit(session, actor, "moderate_text", survey.id, now, answer_id=answer_id, approve=approve)


# --- answering ------------------------------------------------------------------------------------

def respondent_key(survey: Survey, actor: Actor | None, browser_key: str) -> str:
    """Who answered, as a keyed hash unique to this survey: the person (once-per-person
    surveys) or the browser session (anonymous surveys). Nothing else is stored of them."""
    if survey.mode == rules.PERSON:
        if actor is None:
            raise PermissionDenied("surveys.errors.login_required")
        return scoped_hmac(actor.taxid_hmac, f"survey:{survey.id}")
    if not browser_key or len(browser_key) > 200:
        raise InvalidInput("surveys.errors.no_session")
    return scoped_hmac(browser_key, f"survey-session:{survey.id}")


@action(MATRIX, "answer_survey")
def answer_survey(session: Session, *, actor: Actor | None, now: datetime, survey_id: int,
                  answers: dict[int, list[str]], browser_key: str = "") -> None:
    """Record one answer sheet. The participation row and the answers are written together
    and share nothing; the unique ``(survey, respondent key)`` refuses a second sheet, even
    one sent at the same moment."""
    survey = _survey(session, survey_id)
    if rules.effective_status(survey.status, survey.closes_at, now) != rules.OPEN:
        raise InvalidInput("surveys.errors.not_open")
    key = respondent_key(survey, actor, browser_key)
    checked = rules.check_answers(queries.questions(session, survey.id), answers)
    if queries.has_answered(session, survey.id, key):
        raise Conflict("surveys.errors.already_answered")
    response_id = secrets.token_hex(16)
    session.add(SurveyParticipation(id=secrets.token_hex(16), survey_id=survey.id, respondent_key=key))
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("surveys.errors.already_answered") from exc
    session.add(SurveyResponse(id=response_id, survey_id=survey.id))
    session.flush()  # the sheet before its answers (no ORM relationship orders them)
    session.add_all([SurveyAnswer(response_id=response_id, question_id=qid, value=value)
                     for qid, values in checked.items() for value in values])
    session.flush()

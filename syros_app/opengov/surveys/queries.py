"""Reads of surveys: the lists, one survey's questions, whether someone answered,
the results, the figures of the measurement page and the open data."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.core.registry import OpenItem

from . import rules
from .models import Survey, SurveyAnswer, SurveyParticipation, SurveyQuestion, SurveyResponse

VISIBLE = (rules.OPEN, rules.CLOSED, rules.PUBLISHED)  # drafts are staff-only
MAX_ROW_ID = 2**31 - 1  # the ids are INTEGER columns: a larger number names no row


def valid_id(value: int) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ROW_ID


def questions(session: Session, survey_id: int) -> list[SurveyQuestion]:
    return list(session.exec(select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
                             .order_by(SurveyQuestion.position, SurveyQuestion.id)))


def survey(session: Session, survey_id: int, *, staff: bool = False) -> Survey | None:
    """The survey, if this reader may see it (drafts: staff only)."""
    found = session.get(Survey, survey_id) if valid_id(survey_id) else None
    if found is None or (found.status not in VISIBLE and not staff):
        return None
    return found


def link_title(session: Session, target: str) -> str | None:
    """A public survey's title for the tracker's links (None: no such survey, or a draft)."""
    found = survey(session, int(target)) if target.isdigit() and len(target) < 11 else None
    return found.title if found is not None else None


def has_answered(session: Session, survey_id: int, key: str) -> bool:
    return session.exec(select(SurveyParticipation.id).where(
        SurveyParticipation.survey_id == survey_id, SurveyParticipation.respondent_key == key)).first() is not None


def response_counts(session: Session, survey_ids: list[int] | None = None) -> dict[int, int]:
    query = select(SurveyResponse.survey_id, func.count()).group_by(SurveyResponse.survey_id)
    if survey_ids is not None:
        query = query.where(SurveyResponse.survey_id.in_(survey_ids or [-1]))
    return dict(session.exec(query).all())


def all_surveys(session: Session, statuses: tuple[str, ...] = VISIBLE) -> list[Survey]:
    return list(session.exec(select(Survey).where(Survey.status.in_(statuses))
                             .order_by(Survey.opened_at.desc(), Survey.id.desc())))


def public_surveys(session: Session, now: datetime) -> list[Survey]:
    """Open surveys (soonest to close first), then published results (newest first)."""
    rows = all_surveys(session, (rules.OPEN, rules.PUBLISHED))
    open_ = [s for s in rows if rules.effective_status(s.status, s.closes_at, now) == rules.OPEN]
    done = [s for s in rows if s.status == rules.PUBLISHED]
    return sorted(open_, key=lambda s: s.closes_at) + sorted(done, key=lambda s: s.published_at, reverse=True)


def staff_surveys(session: Session) -> list[Survey]:
    return list(session.exec(select(Survey).order_by(Survey.id.desc())))


def answer_rows(session: Session, survey_id: int) -> list[SurveyAnswer]:
    return list(session.exec(select(SurveyAnswer).join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
                             .where(SurveyResponse.survey_id == survey_id)
                             .order_by(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.id)))


def publishable_text(survey: Survey, answer: SurveyAnswer) -> bool:
    """A short text goes public only if the survey says so and a moderator approved it."""
    return survey.publish_text and answer.approved is True


def results(session: Session, survey: Survey) -> tuple[int, list[tuple[SurveyQuestion, rules.QuestionResult]]]:
    """How many sheets came in, and each question's tally."""
    by_question: dict[int, list[SurveyAnswer]] = {}
    for answer in answer_rows(session, survey.id):
        by_question.setdefault(answer.question_id, []).append(answer)
    tallies = []
    for question in questions(session, survey.id):
        rows = by_question.get(question.id, [])
        texts = [a.value for a in rows if publishable_text(survey, a)] if question.kind == rules.TEXT else []
        tallies.append((question, rules.tally(question, [(a.response_id, a.value) for a in rows], texts)))
    return response_counts(session, [survey.id]).get(survey.id, 0), tallies


def texts_to_moderate(session: Session, survey_id: int) -> list[tuple[SurveyAnswer, SurveyQuestion]]:
    """Short-text answers a moderator has not decided on yet."""
    return list(session.exec(
        select(SurveyAnswer, SurveyQuestion).join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .where(SurveyQuestion.survey_id == survey_id, SurveyQuestion.kind == rules.TEXT,
               SurveyAnswer.approved.is_(None)).order_by(SurveyAnswer.id)).all())


def open_now(session: Session, now: datetime) -> list[OpenItem]:
    """Open surveys, for the home page."""
    return [OpenItem(kind_key="surveys.open_kind", title=s.title, url=f"/surveys/{s.id}", closes_at=s.closes_at)
            for s in public_surveys(session, now) if s.status == rules.OPEN]


# --- figures ---------------------------------------------------------------------------------------

def run_surveys(session: Session) -> list[Survey]:
    """Surveys that ran: opened at some time (open, closed or published), oldest first."""
    return sorted(all_surveys(session), key=lambda s: s.opened_at)


def figures_by_quarter(session: Session) -> list[tuple[str, int, int]]:
    """Per quarter of opening: (quarter, surveys run, answer sheets they received)."""
    counts = response_counts(session)
    surveys, answers = Counter(), Counter()
    for s in run_surveys(session):
        quarter = rules.quarter_of(s.opened_at)
        surveys[quarter] += 1
        answers[quarter] += counts.get(s.id, 0)
    return [(q, surveys[q], answers[q]) for q in sorted(surveys)]

"""Refusal cases of surveys: the staff builder's writes, on the demo surveys (and on a
draft and a closed survey written here, as the demo data has neither)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.opengov.surveys import demo, rules
from syros_app.opengov.surveys.models import Survey, SurveyAnswer, SurveyQuestion
from tests.support.refusal import StaffCase, ViewCase

STAFF = "syros_app.opengov.surveys.state.StaffSurveysState"


def _survey(session: Session, status: str) -> int:
    """A survey in ``status`` with two questions, written and committed here."""
    now = utcnow()
    survey = Survey(title="Έρευνα δοκιμής", status=status, created_at=now,
                    opened_at=None if status == rules.DRAFT else now - timedelta(days=3),
                    closes_at=None if status == rules.DRAFT else now - timedelta(hours=1))
    session.add(survey)
    session.flush()
    for n in (1, 2):
        session.add(SurveyQuestion(survey_id=survey.id, position=n, kind=rules.SINGLE, prompt=f"Ερώτηση {n}",
                                   choices="Ναι\nΌχι"))
    session.commit()
    return survey.id


def _questions(session: Session, survey_id: int) -> list[int]:
    return list(session.exec(select(SurveyQuestion.id).where(SurveyQuestion.survey_id == survey_id)
                             .order_by(SurveyQuestion.position)))


def _demo(session: Session, title: str) -> int:
    return session.exec(select(Survey.id).where(Survey.title == title)).one()


def _pending_text(session: Session) -> int:
    found = session.exec(select(SurveyAnswer.id).join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
                         .where(SurveyQuestion.kind == rules.TEXT, SurveyAnswer.approved.is_(None))).first()
    assert found is not None, "the demo data has no short text waiting for moderation"
    return found


def _draft_question(session: Session) -> list:
    return [_questions(session, _survey(session, rules.DRAFT))[1], -1]


def _confirm(step: str, survey_id: int, payload: str = "") -> list:
    return [{"step": step, "target": str(survey_id), "payload": payload}]


CASES = [
    StaffCase(STAFF, "create", lambda s: [{"title": "Πεζοδρόμηση της Ερμού", "description": "", "mode": "person"}],
              ("survey",), persona="moderator"),
    StaffCase(STAFF, "add_question", lambda s: [{"survey_id": str(_survey(s, rules.DRAFT)), "kind": "scale",
                                                 "prompt": "Πόσο σας αρέσει;", "required": "on", "scale_min": "1",
                                                 "scale_max": "5"}], ("survey_question",)),
    StaffCase(STAFF, "move_question", _draft_question, ("survey_question",)),
    StaffCase(STAFF, "remove_question", lambda s: [_questions(s, _survey(s, rules.DRAFT))[0]], ("survey_question",)),
    StaffCase(STAFF, "confirm", lambda s: _confirm("open", _survey(s, rules.DRAFT),
                                                   (utcnow() + timedelta(days=10)).date().isoformat()), ("survey",)),
    StaffCase(STAFF, "confirm", lambda s: _confirm("close", _demo(s, demo.BEACHES)), ("survey",),
              persona="moderator"),
    StaffCase(STAFF, "confirm", lambda s: _confirm("publish", _survey(s, rules.CLOSED)), ("survey",)),
    StaffCase(STAFF, "moderate", lambda s: [_pending_text(s), True], ("survey_answer",), persona="moderator"),
]

READ_ONLY = {STAFF: {"load", "select", "ask_open", "ask_close", "ask_publish"}}

VIEW_CASES = [ViewCase(STAFF)]

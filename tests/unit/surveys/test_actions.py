"""Survey actions on SQLite and PostgreSQL: the life of a survey, answers kept apart from
people, once per person (also under concurrency), once per browser session, audit rows."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.core.timefmt import utcnow
from syros_app.identity.hashing import scoped_hmac
from syros_app.opengov.surveys import actions, queries, rules
from syros_app.opengov.surveys.models import (Survey, SurveyAnswer, SurveyParticipation, SurveyQuestion,
                                               SurveyResponse)
from tests.support import personas

from .helpers import build_survey, residents, sheet


@pytest.fixture
def people(session):
    return {"admin": personas.administrator(session), "moderator": personas.moderator(session),
            "eleni": personas.resident(session, "eleni"), "nikos": personas.resident(session, "nikos")}


def _count(session, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return session.exec(query).one()


def test_staff_build_open_close_and_publish_with_audit_rows(session, people):
    admin = people["admin"]
    survey_id, ids = build_survey(session, admin, open_it=False)
    actions.move_question(session, actor=admin, question_id=ids[2], step=-1)
    assert [q.id for q in queries.questions(session, survey_id)] == [ids[0], ids[2], ids[1], ids[3]]
    actions.remove_question(session, actor=admin, question_id=ids[3])
    assert len(queries.questions(session, survey_id)) == 3
    now = utcnow()
    actions.open_survey(session, actor=people["moderator"], now=now, survey_id=survey_id,
                        closes_on=(now + timedelta(days=3)).date().isoformat())
    session.commit()
    # an open survey's questions are fixed
    with pytest.raises(InvalidInput, match="surveys.errors.not_draft"):
        actions.add_question(session, actor=admin, survey_id=survey_id, kind=rules.TEXT, prompt="Κι άλλο;")
    with pytest.raises(InvalidInput, match="surveys.errors.not_draft"):
        actions.remove_question(session, actor=admin, question_id=ids[0])
    with pytest.raises(InvalidInput, match="surveys.errors.not_closed"):
        actions.publish_results(session, actor=admin, survey_id=survey_id)
    actions.close_survey(session, actor=admin, survey_id=survey_id)
    actions.publish_results(session, actor=admin, survey_id=survey_id)
    session.commit()
    assert session.get(Survey, survey_id).status == rules.PUBLISHED
    audit = [a.action for a in session.exec(select(AuditEntry).where(AuditEntry.target == f"survey:{survey_id}")
                                            .order_by(AuditEntry.id))]
    assert audit == ["surveys.create_survey", *["surveys.add_question"] * 4, "surveys.move_question",
                     "surveys.remove_question", "surveys.open_survey", "surveys.close_survey",
                     "surveys.publish_results"]


def test_residents_and_visitors_cannot_build(session, people):
    for actor, error in ((None, PermissionDenied), (people["eleni"], PermissionDenied)):
        with pytest.raises(error):
            actions.create_survey(session, actor=actor, title="Κάτι")
    survey_id, ids = build_survey(session, people["admin"], open_it=False)
    with pytest.raises(PermissionDenied):
        actions.add_question(session, actor=people["eleni"], survey_id=survey_id, kind=rules.TEXT, prompt="Τι;")
    with pytest.raises(PermissionDenied):
        actions.open_survey(session, actor=people["eleni"], survey_id=survey_id, closes_on="2099-01-01")


def test_opening_needs_questions_and_a_sensible_date(session, people):
    admin, now = people["admin"], utcnow()
    empty = actions.create_survey(session, actor=admin, title="Κενή έρευνα")
    tomorrow = (now + timedelta(days=1)).date().isoformat()
    with pytest.raises(InvalidInput, match="surveys.errors.no_questions"):
        actions.open_survey(session, actor=admin, survey_id=empty, closes_on=tomorrow)
    survey_id, _ = build_survey(session, admin, open_it=False)
    for bad in ("", "31/12/2026", (now - timedelta(days=2)).date().isoformat(),
                (now + timedelta(days=400)).date().isoformat()):
        with pytest.raises(InvalidInput, match="surveys.errors.close_date"):
            actions.open_survey(session, actor=admin, survey_id=survey_id, closes_on=bad)
    with pytest.raises(NotFound):
        actions.open_survey(session, actor=admin, survey_id=2**40, closes_on=tomorrow)


def test_an_answer_is_stored_apart_from_the_person(session, people):
    survey_id, ids = build_survey(session, people["admin"])
    eleni = people["eleni"]
    actions.answer_survey(session, actor=eleni, survey_id=survey_id, answers=sheet(ids, text="Λίγα λόγια"))
    session.commit()
    participation = session.exec(select(SurveyParticipation)).one()
    assert participation.respondent_key == scoped_hmac(eleni.taxid_hmac, f"survey:{survey_id}")
    response = session.exec(select(SurveyResponse)).one()
    assert response.id != participation.id and set(SurveyResponse.model_fields) == {"id", "survey_id"}
    values = {(a.question_id, a.value) for a in session.exec(select(SurveyAnswer))}
    assert values == {(ids[0], "0"), (ids[1], "0"), (ids[1], "2"), (ids[2], "4"), (ids[3], "Λίγα λόγια")}
    # no column anywhere joins the answers to a person or to the participation
    for model in (SurveyParticipation, SurveyResponse, SurveyAnswer):
        assert not {"person_id", "created_at", "answered_at"} & set(model.model_fields)
    with pytest.raises(AgoraError, match="surveys.errors.already_answered"):
        actions.answer_survey(session, actor=eleni, survey_id=survey_id, answers=sheet(ids))
    session.rollback()
    assert _count(session, SurveyResponse) == 1


def test_bad_answers_change_nothing_and_name_the_question(session, people):
    survey_id, ids = build_survey(session, people["admin"])
    with pytest.raises(InvalidInput) as exc:
        actions.answer_survey(session, actor=people["eleni"], survey_id=survey_id,
                              answers=sheet(ids, multiple=("0", "1", "2")))
    assert exc.value.key == "surveys.errors.too_many" and exc.value.params["field"] == f"q{ids[1]}"
    with pytest.raises(InvalidInput):
        actions.answer_survey(session, actor=people["eleni"], survey_id=survey_id, answers={"x": {"y": 1}})
    session.rollback()
    assert _count(session, SurveyParticipation) == _count(session, SurveyAnswer) == 0


def test_once_per_person_needs_a_login_and_a_closed_survey_takes_nothing(session, people):
    survey_id, ids = build_survey(session, people["admin"])
    with pytest.raises(PermissionDenied, match="surveys.errors.login_required"):
        actions.answer_survey(session, actor=None, survey_id=survey_id, answers=sheet(ids), browser_key="tab")
    later = utcnow() + timedelta(days=9)
    with pytest.raises(InvalidInput, match="surveys.errors.not_open"):
        actions.answer_survey(session, actor=people["eleni"], now=later, survey_id=survey_id, answers=sheet(ids))
    draft, draft_ids = build_survey(session, people["admin"], open_it=False)
    with pytest.raises(InvalidInput, match="surveys.errors.not_open"):
        actions.answer_survey(session, actor=people["eleni"], survey_id=draft, answers=sheet(draft_ids))


def test_anonymous_surveys_take_one_answer_per_browser_session(session, people):
    survey_id, ids = build_survey(session, people["admin"], mode=rules.ANONYMOUS)
    actions.answer_survey(session, actor=None, survey_id=survey_id, answers=sheet(ids), browser_key="tab-1")
    actions.answer_survey(session, actor=None, survey_id=survey_id, answers=sheet(ids), browser_key="tab-2")
    session.commit()
    with pytest.raises(AgoraError, match="surveys.errors.already_answered"):
        actions.answer_survey(session, actor=people["eleni"], survey_id=survey_id, answers=sheet(ids),
                              browser_key="tab-1")
    session.rollback()
    with pytest.raises(InvalidInput, match="surveys.errors.no_session"):
        actions.answer_survey(session, actor=None, survey_id=survey_id, answers=sheet(ids), browser_key="")
    assert _count(session, SurveyResponse, survey_id=survey_id) == 2


def test_parallel_answers_by_one_person_make_exactly_one_sheet(engine):
    from syros_app.core.db import session_scope

    with Session(engine, expire_on_commit=False) as session:
        admin = personas.administrator(session)
        eleni = personas.resident(session, "eleni")
        survey_id, ids = build_survey(session, admin)
    barrier = threading.Barrier(12)
    successes, refusals, others = [], [], []

    def answer_once():
        barrier.wait()
        try:
            with session_scope(engine) as s:
                actions.answer_survey(s, actor=eleni, survey_id=survey_id, answers=sheet(ids))
            successes.append(1)
        except AgoraError as exc:
            refusals.append(exc.key)
        except BaseException as exc:  # noqa: BLE001
            others.append(exc)

    threads = [threading.Thread(target=answer_once) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert others == []
    assert len(successes) == 1 and refusals == ["surveys.errors.already_answered"] * 11
    with Session(engine) as session:
        assert _count(session, SurveyParticipation, survey_id=survey_id) == 1
        assert _count(session, SurveyResponse, survey_id=survey_id) == 1


def test_results_arithmetic_over_many_sheets(session, people):
    survey_id, ids = build_survey(session, people["admin"])
    voters = residents(session, 5)
    picks = [("0", ("0",), "5"), ("0", ("0", "1"), "4"), ("1", ("2",), "4"), ("2", ("0", "2"), "2"),
             ("0", (), "1")]
    for actor, (single, multiple, scale) in zip(voters, picks):
        answers = sheet(ids, single, multiple, scale)
        if not multiple:
            answers.pop(ids[1])
        try:
            actions.answer_survey(session, actor=actor, survey_id=survey_id, answers=answers)
        except InvalidInput:
            assert not multiple  # the multiple-choice question is required
            answers[ids[1]] = ["1"]
            actions.answer_survey(session, actor=actor, survey_id=survey_id, answers=answers)
    session.commit()
    total, tallies = queries.results(session, session.get(Survey, survey_id))
    assert total == 5
    by_kind = {q.kind: t for q, t in tallies}
    assert [r.count for r in by_kind[rules.SINGLE].rows] == [3, 1, 1]
    assert [r.count for r in by_kind[rules.MULTIPLE].rows] == [3, 2, 2]
    assert by_kind[rules.MULTIPLE].answered == 5
    assert [r.count for r in by_kind[rules.SCALE].rows] == [1, 1, 0, 2, 1]
    assert by_kind[rules.SCALE].mean == pytest.approx(16 / 5)
    assert by_kind[rules.TEXT].answered == 0


def test_short_texts_are_published_only_when_the_survey_says_so_and_approved(session, people):
    survey_id, ids = build_survey(session, people["admin"], publish_text=True)
    for actor, text in zip(residents(session, 3), ("Ωραία ιδέα", "Τηλ. 6912345678", "Περισσότερα πλοία")):
        actions.answer_survey(session, actor=actor, survey_id=survey_id, answers=sheet(ids, text=text))
    session.commit()
    pending = queries.texts_to_moderate(session, survey_id)
    assert [a.value for a, _ in pending] == ["Ωραία ιδέα", "Τηλ. 6912345678", "Περισσότερα πλοία"]
    with pytest.raises(PermissionDenied):
        actions.moderate_text(session, actor=people["eleni"], answer_id=pending[0][0].id, approve=True)
    actions.moderate_text(session, actor=people["moderator"], answer_id=pending[0][0].id, approve=True)
    actions.moderate_text(session, actor=people["moderator"], answer_id=pending[1][0].id, approve=False)
    session.commit()
    _, tallies = queries.results(session, session.get(Survey, survey_id))
    assert dict((q.kind, t) for q, t in tallies)[rules.TEXT].texts == ["Ωραία ιδέα"]
    other, other_ids = build_survey(session, people["admin"], publish_text=False)
    actions.answer_survey(session, actor=people["eleni"], survey_id=other, answers=sheet(other_ids, text="Κείμενο"))
    session.commit()
    answer = session.exec(select(SurveyAnswer).where(SurveyAnswer.question_id == other_ids[3])).one()
    with pytest.raises(InvalidInput, match="surveys.errors.text_not_published"):
        actions.moderate_text(session, actor=people["moderator"], answer_id=answer.id, approve=True)
    assert _count(session, SurveyQuestion) == 8

"""Surveys' part of "my data": which once-per-person surveys she answered, never what."""

from syros_app.identity import actions as identity_actions
from syros_app.opengov.surveys import actions, rules
from tests.support import personas

from .helpers import build_survey, sheet


def test_export_lists_the_surveys_answered_but_not_the_answers(session):
    admin = personas.administrator(session)
    eleni, nikos = personas.resident(session, "eleni"), personas.resident(session, "nikos")
    answered, ids = build_survey(session, admin)
    build_survey(session, admin)  # not answered by her
    anonymous, anon_ids = build_survey(session, admin, mode=rules.ANONYMOUS)
    actions.answer_survey(session, actor=eleni, survey_id=answered, answers=sheet(ids, text="Το μυστικό μου"))
    actions.answer_survey(session, actor=nikos, survey_id=answered, answers=sheet(ids))
    actions.answer_survey(session, actor=eleni, survey_id=anonymous, answers=sheet(anon_ids), browser_key="tab")
    session.commit()
    section = identity_actions.export_my_data(session, actor=eleni)["surveys"]
    assert [s["survey_id"] for s in section["answered"]] == [answered]
    assert "Το μυστικό μου" not in str(section)

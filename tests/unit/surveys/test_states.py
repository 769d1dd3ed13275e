"""The survey page's handlers: a bad sheet names its question and keeps nothing, a good one
is thanked once; an anonymous survey tells one browser session from another."""

import asyncio

from reflex.istate.data import RouterData
from sqlalchemy import func
from sqlmodel import select

from syros_app.core.db import session_scope
from syros_app.opengov.surveys import rules
from syros_app.opengov.surveys.models import SurveyResponse
from syros_app.opengov.surveys.state import SurveyPageState, SurveysListState
from tests.support import personas
from tests.support.refusal import _substate, _walk, load_all_states

from .helpers import build_survey

load_all_states()


def _page(survey_id: int, cookie: str = "", token: str = "tab-1") -> SurveyPageState:
    state = _substate(SurveyPageState, cookie)
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    router = RouterData.from_router_data({"headers": {"cookie": cookie} if cookie else {}, "token": token,
                                          "pathname": f"/surveys/{survey_id}", "query": {"survey_id": str(survey_id)}})
    for each in [root, *_walk(root)]:
        each.router = router
    asyncio.run(SurveyPageState.event_handlers["load"].fn(state))
    return state


def _submit(state: SurveyPageState, form: dict) -> None:
    asyncio.run(SurveyPageState.event_handlers["submit"].fn(state, form))


def _sheets() -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(SurveyResponse)).one()


def test_a_resident_answers_and_a_bad_sheet_names_its_question(engine):
    with session_scope() as s:
        survey_id, ids = build_survey(s, personas.administrator(s))
        cookie = personas.login_cookie(s, personas.make_person(s, "eleni"))
    visitor = _page(survey_id)
    assert visitor.loaded and visitor.needs_login and not visitor.answered
    page = _page(survey_id, cookie)
    assert [q.kind for q in page.questions] == [rules.SINGLE, rules.MULTIPLE, rules.SCALE, rules.TEXT]
    _submit(page, {f"q{ids[0]}": "1", f"q{ids[1]}_0": "on", f"q{ids[1]}_1": "on", f"q{ids[1]}_2": "on",
                   f"q{ids[2]}": "3"})
    assert page.error and page.notice == "" and _sheets() == 0
    assert [bool(q.error) for q in page.questions] == [False, True, False, False]  # at most 2 choices
    _submit(page, {f"q{ids[0]}": "1", f"q{ids[1]}_2": "on", f"q{ids[2]}": "3", f"q{ids[3]}": "Καλή ιδέα"})
    assert page.error == "" and page.notice and page.answered and _sheets() == 1
    assert _page(survey_id, cookie).answered


def test_anonymous_surveys_count_one_sheet_per_browser_session(engine):
    with session_scope() as s:
        survey_id, ids = build_survey(s, personas.administrator(s), mode=rules.ANONYMOUS)
    form = {f"q{ids[0]}": "0", f"q{ids[1]}_0": "on", f"q{ids[2]}": "5"}
    first = _page(survey_id, token="tab-1")
    assert not first.needs_login and not first.answered
    _submit(first, form)
    assert first.answered and _sheets() == 1
    assert _page(survey_id, token="tab-1").answered and not _page(survey_id, token="tab-2").answered


def test_the_public_list_shows_open_surveys_but_no_drafts(engine):
    with session_scope() as s:
        admin = personas.administrator(s)
        open_id, _ = build_survey(s, admin)
        build_survey(s, admin, open_it=False)
    state = _substate(SurveysListState, "")
    asyncio.run(SurveysListState.event_handlers["load"].fn(state))
    assert [c.id for c in state.items] == [open_id] and state.items[0].status == rules.OPEN

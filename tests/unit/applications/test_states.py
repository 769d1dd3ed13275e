"""The resident's states drive the whole filing the way the page does: load, autosave of
the whole form, review (refusals beside fields), filing, then "my applications" and the
application's page; a visitor gets the login prompt and nothing is written."""

import asyncio

from reflex.istate.data import RouterData
from sqlmodel import select

from syros_app.applications.models import Application, ApplicationDraft
from syros_app.applications.state import ApplicationPageState, CatalogueState, FilingState, MyApplicationsState
from syros_app.core.db import session_scope
from tests.support import personas
from tests.support.refusal import _substate, load_all_states

from .conftest import bulky_answers

load_all_states()
SLUG = "bulky-waste-pickup"


def _state(cls, cookie: str, **params):
    state = _substate(cls, cookie)
    router = RouterData.from_router_data({"headers": {"cookie": cookie} if cookie else {}, "pathname": "/",
                                          "query": params})
    state.router = router
    for parent in state._get_root_state().substates.values():
        parent.router = router
    return state


def _run(state, handler: str, *args):
    result = type(state).event_handlers[handler].fn(state, *args)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def _cookie(session, key="eleni"):
    return personas.login_cookie(session, personas.make_person(session, key, display_name="Ελένη Αιτούσα"))


def test_file_through_the_states(session, catalogue):
    cookie = _cookie(session)
    answers = {k: (v["text"] if isinstance(v, dict) else str(v)) for k, v in bulky_answers(session).items()}
    page = _state(FilingState, cookie, slug=SLUG)
    _run(page, "load")
    assert page.found and page.logged_in and page.answers["full_name"] == "Ελένη Αιτούσα"
    _run(page, "autosave", {"phone": "6944123456", "area": "Ερμούπολη", "father_name": "Γεώργιος"})
    assert page.saved and page.slot_options and page.answers["pickup_slot"] == ""
    with session_scope() as s:
        assert s.exec(select(ApplicationDraft)).one().answers.count("6944123456") == 1
    _run(page, "to_review", {"items": ""})
    assert page.step == "form" and set(page.field_errors) >= {"items", "address", "pickup_slot"}
    _run(page, "to_review", {**answers, "pickup_slot": page.slot_options[0].value})
    assert page.step == "review" and any(r.value == answers["items"] for r in page.review)
    _run(page, "submit")
    assert page.step == "done" and page.done["reference"].startswith("ΑΙΤ-") and page.done["protocol"]

    mine = _state(MyApplicationsState, cookie)
    _run(mine, "load")
    [item] = mine.items
    assert item.reference == page.done["reference"]
    detail = _state(ApplicationPageState, cookie, application_id=str(item.id))
    _run(detail, "load")
    assert detail.found and [s.kind for s in detail.view.steps] == ["protocolled", "received"]
    assert not detail.view.can_rate and not detail.view.can_provide_info
    stranger = _state(ApplicationPageState, _cookie(session, "nikos"), application_id=str(item.id))
    _run(stranger, "load")
    assert not stranger.found and stranger.view.reference == ""


def test_visitor_sees_the_service_but_no_form_and_writes_nothing(session, catalogue):
    page = _state(FilingState, "", slug=SLUG)
    _run(page, "load")
    assert page.found and not page.logged_in and page.fields == [] and page.service.title
    _run(page, "autosave", {"phone": "1"})
    _run(page, "submit")
    with session_scope() as s:
        assert s.exec(select(ApplicationDraft)).all() == [] and s.exec(select(Application)).all() == []
    national = _state(FilingState, "", slug="permanent-residence-certificate")
    _run(national, "load")
    assert not national.found


def test_catalogue_filters(session, catalogue):
    page = _state(CatalogueState, "")
    _run(page, "load")
    assert len(page.items) == 6 and any(i.external for i in page.items)
    _run(page, "set_query", "ΤΑΦΗΣ")
    assert [i.slug for i in page.items] == ["cemetery-certificate"]
    _run(page, "set_query", "")
    _run(page, "set_department", "cleaning")
    assert [i.slug for i in page.items] == ["bulky-waste-pickup"]
    _run(page, "set_department", "<script>")
    assert page.department == "" and len(page.items) == 6


def test_a_point_picked_on_the_map_travels_with_the_address(session, catalogue):
    cookie = _cookie(session)
    answers = {k: (v["text"] if isinstance(v, dict) else str(v)) for k, v in bulky_answers(session).items()}
    page = _state(FilingState, cookie, slug=SLUG)
    _run(page, "load")
    _run(page, "autosave", {**answers})
    _run(page, "pick_point", "address", [38.5, 23.0])  # not on Syros: refused, said
    assert page.points == {} and page.map_message
    _run(page, "pick_point", "items", [37.4448, 24.9427])  # not an address field: ignored
    assert page.points == {}
    _run(page, "pick_point", "address", [37.4448123, 24.9427456])
    assert page.points == {"address": [37.444812, 24.942746]}
    with session_scope() as s:  # kept in the draft, so it resumes on another device
        draft = s.exec(select(ApplicationDraft)).one()
        assert '"lat": 37.444812' in draft.answers
    again = _state(FilingState, cookie, slug=SLUG)
    _run(again, "load")
    assert again.points == {"address": [37.444812, 24.942746]} and again.answers["address"] == answers["address"]
    _run(again, "to_review", {**answers, "pickup_slot": again.slot_options[0].value})
    assert any("37.44481" in r.value for r in again.review)
    _run(again, "submit")
    with session_scope() as s:
        filed = s.exec(select(Application)).one()
        assert '"lon": 24.942746' in filed.answers and answers["address"] in filed.answers
    _run(again, "clear_point", "address")
    assert again.points == {}

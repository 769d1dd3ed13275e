"""The staff handler really publishes for staff (the refusal test proves it refuses others)."""

import json

from sqlmodel import select

from syros_app.core.db import session_scope
from syros_app.notices.models import Notice
from syros_app.notices.state import StaffNoticesState
from tests.support import personas
from tests.support.refusal import _substate, fire, load_all_states

load_all_states()


def test_an_administrator_publishes_through_the_staff_state(engine):
    with session_scope() as session:
        cookie = personas.login_cookie(session, personas.make_person(session, "moderator",
                                                                      roles=(personas.Role.ADMINISTRATOR,)))
    form = {"title": "Έργα στην οδό Ερμού", "body": "Από Δευτέρα", "category": "roads_works", "area": "Ερμούπολη",
            "urgent": "on", "valid_from": "2026-12-01T08:00", "valid_until": "2026-12-20T18:00", "link": ""}
    state = fire(StaffNoticesState, "ask_publish", cookie, [form])
    with session_scope() as session:
        assert session.exec(select(Notice)).all() == []  # asking sends nothing
    assert state.confirm_step == "publish" and "Έργα στην οδό Ερμού" in state.confirm_what
    assert state.confirm_who.startswith("ΕΠΕΙΓΟΥΣΑ")
    fire(StaffNoticesState, "confirm", cookie, [{"step": "publish", "payload": state.confirm_payload}])
    with session_scope() as session:
        notice = session.exec(select(Notice)).one()
    assert notice.title == "Έργα στην οδό Ερμού" and notice.urgent and notice.area == "Ερμούπολη"
    assert notice.valid_from.hour == 6  # 08:00 Athens (UTC+2 in December) stored as UTC


def test_a_bad_date_is_refused_without_writing(engine):
    with session_scope() as session:
        cookie = personas.login_cookie(session, personas.make_person(session, "moderator",
                                                                      roles=(personas.Role.ADMINISTRATOR,)))
    state = _substate(StaffNoticesState, cookie)
    import asyncio

    payload = json.dumps({"title": "t", "body": "b", "category": "water", "valid_from": "χθες"})
    asyncio.run(StaffNoticesState.event_handlers["confirm"].fn(state, {"step": "publish", "payload": payload}))
    # the action's schema refuses a date that is not one, before anything is written
    assert state.error == "Κάποιο στοιχείο της φόρμας δεν είναι έγκυρο (valid_from). Δεν αλλάξαμε τίποτα."
    with session_scope() as session:
        assert session.exec(select(Notice)).all() == []


def test_missing_title_and_body_show_beside_their_fields_and_nothing_is_asked(engine):
    with session_scope() as session:
        cookie = personas.login_cookie(session, personas.make_person(session, "admin",
                                                                      roles=(personas.Role.ADMINISTRATOR,)))
    state = fire(StaffNoticesState, "ask_publish", cookie, [{"title": " ", "body": "", "category": "water"}])
    assert state.title_error == "Γράψτε τίτλο." and state.body_error == "Γράψτε το κείμενο της ανακοίνωσης."
    assert state.confirm_step == ""


def _board(cookie: str) -> StaffNoticesState:
    import asyncio

    state = _substate(StaffNoticesState, cookie)
    asyncio.run(StaffNoticesState.event_handlers["load"].fn(state))
    return state


def test_the_board_shows_deliveries_to_staff_only(engine):
    """``view_deliveries``: visitors and residents get no rows (and the "staff only" page)."""
    from syros_app.notices import actions

    with session_scope() as session:
        staff = personas.make_person(session, "moderator", roles=(personas.Role.ADMINISTRATOR,))
        staff_cookie = personas.login_cookie(session, staff)
        resident_cookie = personas.login_cookie(session, personas.make_person(session, "eleni"))
        actions.publish_notice(session, actor=personas.actor(session, staff), title="Νερό", body="Αύριο",
                               category="water")
    for cookie in ("", resident_cookie):
        state = _board(cookie)
        assert state.allowed is False and state.rows == []
    state = _board(staff_cookie)
    assert state.allowed is True and [row.title for row in state.rows] == ["Νερό"]


def _call(state, handler: str, *args):
    import asyncio

    return asyncio.run(type(state).event_handlers[handler].fn(state, *args))


def test_a_wrong_sms_code_is_shown_and_its_attempt_committed(engine):
    from syros_app.notices.models import Subscription
    from syros_app.notices.state import SubscribeState

    state = _substate(SubscribeState, "")
    _call(state, "subscribe_sms", {"phone": "694 123 4567"})
    assert state.sms_waiting and state.sms_phone == "+306941234567" and "+306941234567" in state.success
    _call(state, "confirm_sms", {"code": "12345x"})
    assert state.error == "Ο κωδικός δεν είναι σωστός." and state.success == "" and state.sms_waiting
    with session_scope() as session:  # committed although refused: the guesser's attempt counts
        assert session.exec(select(Subscription)).one().code_attempts == 1
    _call(state, "confirm_sms", {"code": {"$gt": ""}})  # not text: refused by the schema, nothing counted
    assert state.error == "Κάποιο στοιχείο της φόρμας δεν είναι έγκυρο (code). Δεν αλλάξαμε τίποτα."
    with session_scope() as session:
        assert session.exec(select(Subscription)).one().code_attempts == 1


def test_removing_someone_elses_or_an_impossible_subscription_changes_nothing(engine):
    from syros_app.notices import actions
    from syros_app.notices.models import Subscription
    from syros_app.notices.state import SubscribeState

    with session_scope() as session:
        owner = personas.make_person(session, "eleni")
        actions.subscribe_email(session, actor=personas.actor(session, owner), email="eleni@example.gr",
                                categories=["water"])
        other = personas.login_cookie(session, personas.make_person(session, "nikos"))
        sub_id = session.exec(select(Subscription)).one().id
    state = _substate(SubscribeState, other)
    for bad in (sub_id, str(2**70), "abc"):
        _call(state, "remove_mine", bad)
        assert state.error in ("Η εγγραφή δεν υπάρχει πια.", "Δεν βρέθηκε.") and state.success == ""
    with session_scope() as session:
        assert len(session.exec(select(Subscription)).all()) == 1


def test_a_staff_person_sees_and_saves_her_alert_choices_through_the_state(engine):
    from syros_app.notices.models import StaffAlertOff
    from syros_app.notices.state import StaffAlertsState

    with session_scope() as session:
        person = personas.make_person(session, "moderator", roles=(personas.Role.MODERATOR,))
        cookie, person_id = personas.login_cookie(session, person), person.id
    state = fire(StaffAlertsState, "load", cookie, [])
    assert state.loaded and state.allowed
    assert state.view.kinds_on == ["reports", "moderation", "applications"] and state.view.channels == []
    assert "30" in state.view.intro
    state = fire(StaffAlertsState, "save", cookie, [{"alert-reports": "on", "alert-applications": "on"}])
    assert state.view.kinds_on == ["reports", "applications"] and state.notice
    with session_scope() as session:
        assert session.exec(select(StaffAlertOff.kind).where(StaffAlertOff.person_id == person_id)).all() == ["moderation"]

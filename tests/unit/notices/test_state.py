"""The staff handler really publishes for staff (the refusal test proves it refuses others)."""

from sqlmodel import select

from syros_app.core.db import session_scope
from syros_app.notices.models import Notice
from syros_app.notices.state import StaffNoticesState
from tests.support import personas
from tests.support.refusal import _substate, fire, load_all_states

load_all_states()


def test_a_moderator_publishes_through_the_staff_state(engine):
    with session_scope() as session:
        cookie = personas.login_cookie(session, personas.make_person(session, "moderator",
                                                                      roles=(personas.Role.MODERATOR,)))
    form = {"title": "Έργα στην οδό Ερμού", "body": "Από Δευτέρα", "category": "roads_works", "area": "Ερμούπολη",
            "urgent": "on", "valid_from": "2026-12-01T08:00", "valid_until": "2026-12-20T18:00", "link": ""}
    fire(StaffNoticesState, "publish", cookie, [form])
    with session_scope() as session:
        notice = session.exec(select(Notice)).one()
    assert notice.title == "Έργα στην οδό Ερμού" and notice.urgent and notice.area == "Ερμούπολη"
    assert notice.valid_from.hour == 6  # 08:00 Athens (UTC+2 in December) stored as UTC


def test_a_bad_date_is_refused_without_writing(engine):
    with session_scope() as session:
        cookie = personas.login_cookie(session, personas.make_person(session, "moderator",
                                                                      roles=(personas.Role.MODERATOR,)))
    state = _substate(StaffNoticesState, cookie)
    import asyncio

    asyncio.run(StaffNoticesState.event_handlers["publish"].fn(state, {"title": "t", "body": "b", "category": "water",
                                                                       "valid_from": "χθες"}))
    # the action's schema refuses a date that is not one, before anything is written
    assert state.error == "Κάποιο στοιχείο της φόρμας δεν είναι έγκυρο (valid_from). Δεν αλλάξαμε τίποτα."
    with session_scope() as session:
        assert session.exec(select(Notice)).all() == []


def _board(cookie: str) -> StaffNoticesState:
    import asyncio

    state = _substate(StaffNoticesState, cookie)
    asyncio.run(StaffNoticesState.event_handlers["load"].fn(state))
    return state


def test_the_board_shows_deliveries_to_staff_only(engine):
    """``view_deliveries``: visitors and residents get no rows (and the "staff only" page)."""
    from syros_app.notices import actions

    with session_scope() as session:
        staff = personas.make_person(session, "moderator", roles=(personas.Role.MODERATOR,))
        staff_cookie = personas.login_cookie(session, staff)
        resident_cookie = personas.login_cookie(session, personas.make_person(session, "eleni"))
        actions.publish_notice(session, actor=personas.actor(session, staff), title="Νερό", body="Αύριο",
                               category="water")
    for cookie in ("", resident_cookie):
        state = _board(cookie)
        assert state.allowed is False and state.rows == []
    state = _board(staff_cookie)
    assert state.allowed is True and [row.title for row in state.rows] == ["Νερό"]

"""Every staff handler refuses visitors and residents on the server and changes nothing."""

import pytest
import reflex as rx

from syros_app.core.db import session_scope
from syros_app.identity.state import StaffState, current_actor
from tests.support import personas
from tests.support.refusal import assert_refused, load_all_states, own_handlers, staff_states

load_all_states()


def _cases():
    return [(cls, name) for cls in staff_states() for name in own_handlers(cls)]


@pytest.mark.parametrize("state_cls, handler", _cases(), ids=lambda v: getattr(v, "__name__", v))
def test_staff_handler_refuses_visitor_and_resident(engine, state_cls, handler):
    with session_scope() as session:
        resident = personas.make_person(session, "eleni")
        cookie = personas.login_cookie(session, resident)
    assert_refused(engine, state_cls, handler, "", "an anonymous visitor")
    assert_refused(engine, state_cls, handler, cookie, "a resident")


# --- the helper itself must be able to fail -------------------------------------------------

class _CarelessStaffState(StaffState):
    """Writes without asking who acts: the helper must catch it."""

    @rx.event
    def grant_everything(self, person_id: int):
        from syros_app.core import audit

        with session_scope() as session:
            audit.record(session, actor="nobody", action="careless", target=str(person_id))


class _CarefulStaffState(StaffState):
    @rx.event
    def grant_everything(self, person_id: int):
        actor = current_actor(self)
        if actor is None or not actor.is_administrator:
            return
        from syros_app.core import audit

        with session_scope() as session:
            audit.record(session, actor=actor.audit_name, action="careful", target=str(person_id))


def test_helper_catches_a_handler_without_a_server_side_check(engine):
    with pytest.raises(AssertionError, match="changed"):
        assert_refused(engine, _CarelessStaffState, "grant_everything", "", "an anonymous visitor")


def test_helper_accepts_a_handler_that_checks(engine):
    with session_scope() as session:
        cookie = personas.login_cookie(session, personas.make_person(session, "eleni"))
    assert_refused(engine, _CarefulStaffState, "grant_everything", cookie, "a resident")


def test_helper_lets_an_administrator_through(engine):
    """And the careful handler really does write for an administrator (the check is not vacuous)."""
    from tests.support.refusal import fire, snapshot

    with session_scope() as session:
        cookie = personas.login_cookie(session, personas.make_person(session, "admin", roles=(personas.Role.ADMINISTRATOR,)))
    before = snapshot(engine)["audit_entry"]
    fire(_CarefulStaffState, "grant_everything", cookie, [7])
    assert len(snapshot(engine)["audit_entry"]) == len(before) + 1


def test_test_only_states_are_not_in_the_app_list():
    assert all(cls.__module__.startswith("syros_app.") for cls in staff_states())

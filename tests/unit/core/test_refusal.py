"""Every staff handler: staff can, visitors and residents cannot — on real, seeded data.

For each ``StaffCase`` (tests/support/refusal_cases/), on a fresh copy of a database
holding the demo data, the handler is fired with the same real arguments

1. by an anonymous visitor and by a resident: nothing may change;
2. by the staff member: at least one of the named tables must change (the positive
   control — a refusal that is really a "not found" shows up here).

Staff pages' loads (``ViewCase``) are checked the same way on what they show: data for
staff, nothing for a visitor or a resident.

Then each staff-only entry of every role matrix is opened to residents in turn, and a
case that asks for it must let the resident change data: removing any one
permission check turns this file red (``test_removing_a_permission_check_is_caught``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
import reflex as rx
from sqlmodel import Session, SQLModel, select

from syros_app.core import db, settings
from syros_app.core.actions import RoleMatrix
from syros_app.core import actors
from syros_app.core.actors import Role
from syros_app.core.db import make_engine, session_scope
from syros_app.identity.models import Person, RoleGrant
from syros_app.identity.state import StaffState, current_actor
from tests.support import personas
from tests.support.refusal import (
    EnforceRecorder,
    StaffCase,
    ViewCase,
    all_cases,
    all_view_cases,
    assert_refused,
    changed_tables,
    fire,
    load_all_states,
    own_handlers,
    shown_data,
    snapshot,
    staff_states,
)

load_all_states()
CASES, READ_ONLY, NOT_FROM_STATES = all_cases()
VIEW_CASES = all_view_cases()
STAFF_ROLES = set(actors.STAFF_ROLES)


@contextmanager
def _app_database(path: Path) -> Iterator[object]:
    engine = make_engine(f"sqlite:///{path}")
    previous = db.get_engine
    db.get_engine = lambda: engine
    try:
        yield engine
    finally:
        db.get_engine = previous
        engine.dispose()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The demo data plus a resident, and a live session cookie for each persona."""
    from syros_app.demo.seed import load_demo_data

    path = tmp_path_factory.mktemp("seeded") / "seed.db"
    with _app_database(path) as engine:
        SQLModel.metadata.create_all(engine)
        load_demo_data()
        cookies = {}
        with Session(engine) as session:
            for persona, role in (("admin", Role.ADMINISTRATOR), ("moderator", Role.MODERATOR),
                                  ("officer", Role.DEPARTMENT_OFFICER)):
                person = session.exec(select(Person).join(RoleGrant, RoleGrant.person_id == Person.id)
                                      .where(RoleGrant.role == role.value)).first()
                assert person is not None, f"the demo data has no {role}"
                cookies[persona] = personas.login_cookie(session, person)
            cookies["resident"] = personas.login_cookie(session, personas.make_person(session, "refusal-resident"))
    return path, cookies


@pytest.fixture
def fresh(seeded, tmp_path) -> Iterator[tuple[object, dict[str, str], Session]]:
    source, cookies = seeded
    path = tmp_path / "case.db"
    shutil.copyfile(source, path)
    with _app_database(path) as engine:
        settings.reset_settings_cache()
        with Session(engine) as session:
            yield engine, cookies, session


def _fire_and_diff(engine, case: StaffCase, cookie: str, args: list) -> list[str]:
    before = snapshot(engine)
    fire(case.state_class(), case.handler, cookie, args)
    return changed_tables(before, snapshot(engine))


def test_every_staff_handler_has_a_case_or_is_read_only():
    known = {(c.state, c.handler) for c in CASES} | {(s, h) for s, hs in READ_ONLY.items() for h in hs}
    missing = [f"{cls.__module__}.{cls.__name__}.{name}" for cls in staff_states() for name in own_handlers(cls)
               if (f"{cls.__module__}.{cls.__name__}", name) not in known]
    assert not missing, "staff handlers with no refusal case (add one in tests/support/refusal_cases/): " + ", ".join(missing)
    stale = [f"{s}.{h}" for s, h in known if not hasattr(_state_class(s), h)]
    assert not stale, f"cases name handlers that do not exist: {stale}"


def _state_class(path: str) -> type[rx.State]:
    return StaffCase(path, "", lambda s: [], ()).state_class()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_staff_can_visitors_and_residents_cannot(fresh, case: StaffCase):
    engine, cookies, session = fresh
    args = case.args(session)
    session.rollback()
    for who, cookie in (("an anonymous visitor", ""), ("a resident", cookies["resident"])):
        changed = _fire_and_diff(engine, case, cookie, args)
        assert not changed, f"{case.id} as {who} changed {changed}"
    changed = _fire_and_diff(engine, case, cookies[case.persona], args)
    assert set(changed) & set(case.changes), (
        f"{case.id} as {case.persona} changed {changed or 'nothing'}, expected one of {case.changes}: "
        "the positive control failed (wrong arguments, or the handler refuses staff too)")


@pytest.mark.parametrize("case", VIEW_CASES, ids=lambda c: c.id)
def test_staff_pages_show_data_to_staff_only(fresh, case: ViewCase):
    engine, cookies, session = fresh
    args = case.args(session)
    session.rollback()
    for who, cookie in (("an anonymous visitor", ""), ("a resident", cookies["resident"])):
        shown = shown_data(fire(case.state_class(), case.handler, cookie, args))
        assert not shown, f"{case.id} shows {who} {sorted(shown)}"
    assert shown_data(fire(case.state_class(), case.handler, cookies[case.persona], args)), (
        f"{case.id} shows {case.persona} nothing: the positive control failed")


def _reaches(case, engine, cookie: str, args: list) -> bool:
    """Whether firing ``case`` with ``cookie`` changed data (writes) or showed data (views)."""
    if isinstance(case, ViewCase):
        return bool(shown_data(fire(case.state_class(), case.handler, cookie, args)))
    return bool(_fire_and_diff(engine, case, cookie, args))


def _staff_only_permissions() -> list[tuple[RoleMatrix, str]]:
    return [(m, name) for m in RoleMatrix.all() for name, p in m.permissions.items()
            if p.roles and p.roles <= STAFF_ROLES]


def test_removing_a_permission_check_is_caught(seeded, tmp_path):
    """Open each staff-only permission to everyone in turn: a resident's fire must then
    change data in some case, so the test above would have turned red."""
    source, cookies = seeded
    asked: dict[tuple[str, str], list[StaffCase]] = {}
    for n, case in enumerate([*CASES, *VIEW_CASES]):
        path = tmp_path / f"probe{n}.db"
        shutil.copyfile(source, path)
        with _app_database(path) as engine, Session(engine) as session:
            args = case.args(session)
            session.rollback()
            with EnforceRecorder() as recorder:
                fire(case.state_class(), case.handler, cookies[case.persona], args)
            for key in recorder.asked:
                asked.setdefault(key, []).append(case)
    uncaught, unexercised = [], []
    for matrix, name in _staff_only_permissions():
        key = (matrix.capability, name)
        if key in NOT_FROM_STATES:
            continue
        if key not in asked:
            unexercised.append(f"{matrix.capability}.{name}")
            continue
        original = matrix.permissions[name]
        matrix.permissions[name] = replace(original, roles=original.roles | {Role.VISITOR, Role.RESIDENT})
        try:
            caught = False
            for n, case in enumerate(asked[key]):
                path = tmp_path / f"open-{matrix.capability}-{name}-{n}.db"
                shutil.copyfile(source, path)
                with _app_database(path) as engine, Session(engine) as session:
                    args = case.args(session)
                    session.rollback()
                    if _reaches(case, engine, cookies["resident"], args):
                        caught = True
                        break
        finally:
            matrix.permissions[name] = original
        if not caught:
            uncaught.append(f"{matrix.capability}.{name}")
    assert not unexercised, f"staff-only permissions no case asks for (add a case): {unexercised}"
    assert not uncaught, (f"with these permissions opened to residents nothing changed — a second, "
                          f"hidden check guards them, or the case does not reach the write: {uncaught}")


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
    with session_scope() as session:
        admin = personas.login_cookie(session, personas.make_person(session, "admin", roles=(Role.ADMINISTRATOR,)))
    before = snapshot(engine)["audit_entry"]
    fire(_CarefulStaffState, "grant_everything", admin, [7])
    assert len(snapshot(engine)["audit_entry"]) == len(before) + 1


def test_test_only_states_are_not_in_the_app_list():
    assert all(cls.__module__.startswith("syros_app.") for cls in staff_states())

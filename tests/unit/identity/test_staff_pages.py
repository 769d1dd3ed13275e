"""The page states of identity, as the browser drives them: what each person is shown.

Staff lists are shown only where the matrix allows ``view_staff_list`` /
``view_rolls``; the account page shows the person behind the session (through the
actor provider) and nothing to a visitor.
"""

from __future__ import annotations

import asyncio

from syros_app.core.db import session_scope
from syros_app.identity.hashing import with_check_digit
from syros_app.identity.roles import Role
from syros_app.identity.state import AccountState, RolesState, RollsState
from tests.support import personas
from tests.support.refusal import _substate


def _fired(state_cls, handler: str, cookie: str, *args):
    """The state after one handler ran for the person behind ``cookie``."""
    state = _substate(state_cls, cookie)
    asyncio.run(state_cls.event_handlers[handler].fn(state, *args))
    return state


def _cookies():
    with session_scope() as session:
        admin = personas.make_person(session, "admin", display_name="Γιώργος Ρ.", roles=(Role.ADMINISTRATOR,))
        moderator = personas.make_person(session, "moderator", roles=(Role.MODERATOR,))
        resident = personas.make_person(session, "eleni", display_name="Ελένη Π.", birth_year=1984)
        return {"visitor": "", **{key: personas.login_cookie(session, p) for key, p in
                                  (("admin", admin), ("moderator", moderator), ("resident", resident))}}


def test_staff_pages_show_their_lists_only_to_administrators(engine):
    cookies = _cookies()
    with session_scope() as session:
        admin = personas.actor(session, personas.make_person(session, "nikos", roles=(Role.ADMINISTRATOR,)))
    from syros_app.identity import actions

    with session_scope() as session:
        actions.import_roll(session, actor=admin, name="Κατάλογος", csv_text=with_check_digit("40000001"))
    for who in ("visitor", "resident", "moderator"):
        roles, rolls = _fired(RolesState, "load", cookies[who]), _fired(RollsState, "load", cookies[who])
        assert roles.loaded and not roles.allowed and roles.staff == [] and roles.history == [], who
        assert rolls.loaded and not rolls.allowed and rolls.rolls == [], who
    roles, rolls = _fired(RolesState, "load", cookies["admin"]), _fired(RollsState, "load", cookies["admin"])
    assert roles.allowed and {row.name for row in roles.staff} >= {"Γιώργος Ρ.", "Moderator"}
    assert rolls.allowed and [(row.name, row.count) for row in rolls.rolls] == [("Κατάλογος", 1)]


def test_the_roles_page_reports_grants_and_refusals(engine):
    cookies = _cookies()
    state = _fired(RolesState, "grant", cookies["admin"], {"taxid": personas.TAXIDS["eleni"], "role": "moderator"})
    assert state.error == "" and "Ελένη Π." in state.message
    assert [row.text for row in state.history if "Ελένη Π." in row.text]
    state = _fired(RolesState, "grant", cookies["admin"], {"taxid": {"x": 1}, "role": "moderator"})
    assert state.message == "" and state.error != ""
    state = _fired(RolesState, "grant", cookies["resident"], {"taxid": personas.TAXIDS["eleni"], "role": "moderator"})
    assert state.error != "" and not state.allowed and state.staff == []


def test_a_rejected_roll_lists_its_problems_by_line(engine):
    cookies = _cookies()
    good = with_check_digit("40000001")
    state = _fired(RollsState, "import_roll", cookies["admin"], {"name": "Κατάλογος", "csv": f"{good}\n12345\n"})
    assert state.error != "" and state.problem_total == 1 and [p.line for p in state.problems] == [2]
    assert state.rolls == []
    state = _fired(RollsState, "import_roll", cookies["admin"], {"name": "Κατάλογος", "csv": good})
    assert state.error == "" and state.problems == [] and "Κατάλογος" in state.message
    assert [row.name for row in state.rolls] == ["Κατάλογος"]


def test_the_account_page_shows_the_person_behind_the_session(engine):
    cookies = _cookies()
    visitor = _fired(AccountState, "load", cookies["visitor"])
    assert visitor.loaded and not visitor.account.logged_in and visitor.account.display_name == ""
    resident = _fired(AccountState, "load", cookies["resident"])
    shown = resident.account
    assert shown.logged_in and shown.display_name == "Ελένη Π." and shown.birth_year == "1984"
    assert not resident.account.is_staff
    assert _fired(AccountState, "load", cookies["moderator"]).account.is_staff
    saved = _fired(AccountState, "save_nickname", cookies["resident"], {"nickname": "Λεμονιά"})
    assert saved.account.nickname == "Λεμονιά" and saved.message != "" and saved.error == ""
    refused = _fired(AccountState, "save_nickname", cookies["visitor"], {"nickname": "Λεμονιά"})
    assert refused.error != "" and not refused.account.logged_in
    unconfirmed = _fired(AccountState, "delete_account", cookies["resident"], {})
    assert unconfirmed.delete_error != ""

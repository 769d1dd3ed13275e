"""Identity's role matrix is the only guard of its actions, and their input is typed.

Every action is refused to each role the matrix leaves out (before its input is even
looked at), and a wrong type of input is a typed refusal — never another exception.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from syros_app.core.actions import ActionInfo
from syros_app.core.audit import AuditEntry
from syros_app.core.errors import InvalidInput, NotFound, PermissionDenied
from syros_app.identity import actions, queries
from syros_app.identity.hashing import with_check_digit
from syros_app.identity.models import Person, RoleGrant, VoterRoll
from syros_app.identity.permissions import MATRIX
from syros_app.identity.roles import Role
from tests.support import personas
from tests.support.refusal import snapshot

NEW_TAXID = with_check_digit("55500001")

# permission -> (the action, valid input)
ACTIONS = {
    "update_nickname": (actions.update_nickname, {"nickname": "Λεμονιά"}),
    "delete_account": (actions.delete_account, {}),
    "export_my_data": (queries.export_my_data, {}),
    "grant_role": (actions.grant_role, {"taxid": personas.TAXIDS["maria"], "role": "moderator"}),
    "revoke_role": (actions.revoke_role, {"person_id": 1, "role": "moderator"}),
    "import_roll": (actions.import_roll, {"name": "Κατάλογος", "csv_text": NEW_TAXID}),
    "create_administrator": (actions.create_administrator, {"taxid": NEW_TAXID, "name": "Ελένη Παπαδάκη"}),
}


def _all_actions() -> dict[str, object]:
    found = {}
    for module in (actions, queries):
        for value in vars(module).values():
            info = getattr(value, "action_info", None)
            if isinstance(info, ActionInfo) and info.matrix is MATRIX:
                found[info.permission] = value
    return found


def test_the_matrix_is_the_one_of_the_issue():
    admin_only = {"grant_role", "revoke_role", "view_staff_list", "import_roll", "view_rolls", "create_administrator"}
    residents = {"update_nickname", "delete_account", "export_my_data"}
    for name, permission in MATRIX.permissions.items():
        expected = ({Role.ADMINISTRATOR} if name in admin_only else {Role.RESIDENT} if name in residents
                    else {Role.VISITOR})
        assert permission.roles == expected, name
    assert set(MATRIX.permissions) == admin_only | residents | {"log_in", "log_out"}


def test_every_guarded_action_is_exercised_here():
    assert set(_all_actions()) - {"log_in", "log_out"} == set(ACTIONS)


def _actor(session, who: str):
    return {"visitor": lambda: None, "resident": lambda: personas.resident(session),
            "moderator": lambda: personas.moderator(session)}[who]()


@pytest.mark.parametrize("permission", sorted(ACTIONS))
@pytest.mark.parametrize("who", ["visitor", "resident", "moderator"])
def test_each_action_refuses_whom_the_matrix_refuses(engine, session, permission, who):
    personas.make_person(session, "maria")
    actor = _actor(session, who)
    if MATRIX.allows(actor, permission):
        pytest.skip(f"{who} may {permission}")
    fn, inputs = ACTIONS[permission]
    before = snapshot(engine)
    with pytest.raises(PermissionDenied):
        fn(session, actor=actor, **inputs)
    session.rollback()
    assert snapshot(engine) == before


def test_the_matrix_refuses_before_the_input_is_read(session):
    with pytest.raises(PermissionDenied):
        actions.revoke_role(session, actor=personas.resident(session), person_id=2**70, role={"x": 1})
    with pytest.raises(PermissionDenied) as info:
        actions.update_nickname(session, actor=None, nickname={"x": 1})
    assert info.value.key == "identity.errors.login_required"


@pytest.mark.parametrize("permission, field", [
    ("update_nickname", "nickname"), ("grant_role", "taxid"), ("grant_role", "role"), ("revoke_role", "role"),
    ("import_roll", "name"), ("import_roll", "csv_text"), ("create_administrator", "taxid"),
    ("create_administrator", "name"),
])
@pytest.mark.parametrize("bad", [{"a": "1"}, ["1"], 5])
def test_a_wrong_type_of_text_is_invalid_input(session, permission, field, bad):
    admin = personas.administrator(session)
    fn, inputs = ACTIONS[permission]
    actor = personas.resident(session) if permission == "update_nickname" else admin
    with pytest.raises(InvalidInput) as info:
        fn(session, actor=actor, **{**inputs, field: bad})
    assert info.value.key == "errors.invalid_input" and info.value.params == {"field": field}


@pytest.mark.parametrize("person_id", [2**70, -(2**70), "abc", {"id": 1}, 1.5])
def test_an_impossible_person_id_is_not_found(session, person_id):
    admin = personas.administrator(session)
    with pytest.raises(NotFound) as info:
        actions.revoke_role(session, actor=admin, person_id=person_id, role="moderator")
    assert info.value.key == "errors.not_found"


def test_unknown_keywords_are_refused(session):
    admin = personas.administrator(session)
    with pytest.raises(InvalidInput) as info:
        actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["maria"], role="moderator", by="me")
    assert info.value.params == {"field": "by"}


def test_a_number_as_text_is_taken_as_the_text(session):
    """Lax mode turns "5" into 5 for ids; person ids sent as text by the browser still work."""
    admin = personas.administrator(session)
    maria = personas.make_person(session, "maria", roles=(Role.MODERATOR,))
    actions.revoke_role(session, actor=admin, person_id=str(maria.id), role="moderator")
    assert session.exec(select(RoleGrant).where(RoleGrant.person_id == maria.id)).all() == []


def test_the_command_line_acts_as_an_administrator_of_the_installation(session):
    person = actions.create_administrator(session, actor=actions.cli_actor("ops"), taxid=NEW_TAXID,
                                          name="Ελένη Παπαδάκη")
    session.commit()
    assert person.display_name == "Ελένη Π."
    grant = session.exec(select(RoleGrant).where(RoleGrant.person_id == person.id)).one()
    assert grant.role == "administrator" and grant.granted_by is None
    entry = session.exec(select(AuditEntry)).one()
    assert (entry.actor, entry.target) == ("cli:ops", f"person:{person.id}")
    with pytest.raises(PermissionDenied):  # a resident cannot reach it, nor a visitor
        actions.create_administrator(session, actor=None, taxid=NEW_TAXID, name="Κάποιος")
    assert session.exec(select(VoterRoll)).all() == [] and len(session.exec(select(Person)).all()) == 1

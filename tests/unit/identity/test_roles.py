"""Granting and revoking staff roles, by ΑΦΜ, with the audit log; never the last administrator."""

import json

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry, verify_chain
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.identity import actions, queries
from syros_app.identity.hashing import with_check_digit
from syros_app.identity.models import RoleGrant
from syros_app.identity.roles import Role
from syros_app.identity.sessions import roles_of
from syros_app.identity.state import RolesState
from tests.support import personas
from tests.support.refusal import fire, snapshot


def test_an_administrator_grants_and_revokes_a_moderator(session):
    admin = personas.administrator(session)
    eleni = personas.make_person(session, "eleni", display_name="Ελένη Π.")
    person = actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["eleni"], role="moderator")
    session.commit()
    assert person.id == eleni.id and roles_of(session, eleni.id) == {Role.RESIDENT, Role.MODERATOR}
    actions.revoke_role(session, actor=admin, person_id=eleni.id, role="moderator")
    session.commit()
    assert roles_of(session, eleni.id) == {Role.RESIDENT}
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor, e.target, json.loads(e.details)["role"]) for e in entries] == [
        ("identity.grant_role", admin.audit_name, f"person:{eleni.id}", "moderator"),
        ("identity.revoke_role", admin.audit_name, f"person:{eleni.id}", "moderator"),
    ]
    assert verify_chain(session).ok


def test_grant_validates_the_taxid_and_the_person(session):
    admin = personas.administrator(session)
    bad = personas.TAXIDS["eleni"][:8] + str((int(personas.TAXIDS["eleni"][8]) + 1) % 10)
    with pytest.raises(InvalidInput) as info:
        actions.grant_role(session, actor=admin, taxid=bad, role="moderator")
    assert info.value.key == "identity.errors.invalid_taxid"
    with pytest.raises(NotFound) as info:
        actions.grant_role(session, actor=admin, taxid=with_check_digit("99999991"), role="moderator")
    assert info.value.key == "identity.errors.person_not_found"
    personas.make_person(session, "eleni")
    with pytest.raises(InvalidInput):
        actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["eleni"], role="resident")
    actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["eleni"], role="moderator")
    with pytest.raises(InvalidInput) as info:
        actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["eleni"], role="moderator")
    assert info.value.key == "identity.errors.role_already_held"


def test_the_last_administrator_cannot_be_removed(session):
    admin = personas.administrator(session)
    with pytest.raises(AgoraError) as info:
        actions.revoke_role(session, actor=admin, person_id=admin.person_id, role="administrator")
    assert info.value.key == "identity.errors.last_administrator"
    second = personas.make_person(session, "nikos")
    actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["nikos"], role="administrator")
    actions.revoke_role(session, actor=admin, person_id=admin.person_id, role="administrator")
    session.commit()
    assert [g.person_id for g in session.exec(select(RoleGrant)).all()] == [second.id]


@pytest.mark.parametrize("who", ["visitor", "resident", "moderator"])
def test_only_administrators_change_roles(session, who):
    target = personas.make_person(session, "maria")
    actor = {"visitor": lambda: None, "resident": lambda: personas.resident(session),
             "moderator": lambda: personas.moderator(session)}[who]()
    with pytest.raises(PermissionDenied):
        actions.grant_role(session, actor=actor, taxid=personas.TAXIDS["maria"], role="administrator")
    with pytest.raises(PermissionDenied):
        actions.revoke_role(session, actor=actor, person_id=target.id, role="moderator")
    assert session.exec(select(AuditEntry)).all() == []


def test_staff_members_are_listed_by_name(session):
    admin = personas.administrator(session)
    personas.make_person(session, "maria", display_name="Μαρία Β.", roles=(Role.MODERATOR,))
    names = {(m.name, m.role) for m in queries.staff_members(session)}
    assert names == {("Admin", "administrator"), ("Μαρία Β.", "moderator")}
    assert admin.is_administrator


def test_the_roles_page_handler_grants_for_an_administrator(engine):
    """The staff handler is not refused for its rightful user (the refusal test is not vacuous)."""
    from syros_app.core.db import session_scope

    with session_scope() as session:
        admin = personas.make_person(session, "admin", roles=(Role.ADMINISTRATOR,))
        cookie = personas.login_cookie(session, admin)
        eleni = personas.make_person(session, "eleni")
    before = snapshot(engine)["role_grant"]
    fire(RolesState, "grant", cookie, [{"taxid": personas.TAXIDS["eleni"], "role": "moderator"}])
    after = snapshot(engine)["role_grant"]
    assert len(after) == len(before) + 1
    with session_scope() as session:
        assert roles_of(session, eleni.id) == {Role.RESIDENT, Role.MODERATOR}


def test_a_department_officer_grant_names_her_department(session):
    from syros_app.identity.sessions import actor_for
    from syros_app.identity.views import staff_rows

    admin = personas.administrator(session)
    eleni = personas.make_person(session, "eleni", display_name="Ελένη Π.")
    with pytest.raises(InvalidInput) as info:
        actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["eleni"], role="department_officer")
    assert info.value.key == "identity.errors.department_required" and info.value.params["field"] == "department"
    with pytest.raises(InvalidInput):
        actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["eleni"], role="department_officer",
                           department="no_such_department")
    session.rollback()
    actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["eleni"], role="department_officer",
                       department="lighting")
    session.commit()
    officer = actor_for(session, eleni)
    assert officer.roles == {Role.RESIDENT, Role.DEPARTMENT_OFFICER} and officer.department == "lighting"
    assert officer.is_staff and not officer.sees_every_department
    row = next(r for r in staff_rows(session, "el") if r.person_id == eleni.id)
    assert row.role_label == "Υπάλληλος υπηρεσίας · Συνεργείο Ηλεκτροφωτισμού"
    grant = session.exec(select(RoleGrant).where(RoleGrant.person_id == eleni.id)).one()
    assert grant.department == "lighting"
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "identity.grant_role")).all()[-1]
    assert json.loads(entry.details) == {"role": "department_officer", "department": "lighting"}


def test_a_moderator_grant_stores_no_department(session):
    admin = personas.administrator(session)
    personas.make_person(session, "eleni")
    actions.grant_role(session, actor=admin, taxid=personas.TAXIDS["eleni"], role="moderator", department="lighting")
    session.commit()
    assert session.exec(select(RoleGrant).where(RoleGrant.role == "moderator")).one().department is None

"""My account: nickname, download of my data, deletion (GDPR)."""

import json

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, PermissionDenied
from syros_app.identity import actions, queries
from syros_app.identity.models import LoginSession, Person, RoleGrant
from syros_app.identity.roles import Role
from syros_app.identity.sessions import actor_for, create_login_session, resolve_token
from tests.support import personas


def test_nickname_is_validated_and_can_be_cleared(session):
    actor = personas.resident(session, display_name="Ελένη Π.")
    person = actions.update_nickname(session, actor=actor, nickname="  Λεμονιά   της Άνω Σύρου ")
    assert person.nickname == "Λεμονιά της Άνω Σύρου" and person.public_name == "Λεμονιά της Άνω Σύρου"
    for bad in ("x", "a" * 41, "<script>", "name_with_underscore", "@admin"):
        with pytest.raises(InvalidInput):
            actions.update_nickname(session, actor=actor, nickname=bad)
    assert actions.update_nickname(session, actor=actor, nickname="").nickname is None
    with pytest.raises(PermissionDenied):
        actions.update_nickname(session, actor=None, nickname="Κάποιος")


def test_export_holds_everything_about_me_and_nothing_else(session):
    eleni = personas.make_person(session, "eleni", display_name="Ελένη Π.", birth_year=1984)
    personas.make_person(session, "nikos", display_name="Νίκος Δ.")
    create_login_session(session, eleni)
    session.commit()
    data = actions.export_my_data(session, actor=actor_for(session, eleni))
    assert data["person"]["display_name"] == "Ελένη Π." and data["person"]["birth_year"] == 1984
    assert data["roles"] == ["resident"] and len(data["login_sessions"]) == 1
    text = json.dumps(data, ensure_ascii=False)
    assert "Νίκος" not in text and personas.TAXIDS["eleni"] not in text
    with pytest.raises(PermissionDenied):
        actions.export_my_data(session, actor=None)


def test_delete_account_forgets_the_person(session):
    admin = personas.administrator(session)
    person = personas.make_person(session, "maria", display_name="Μαρία Β.", roles=(Role.MODERATOR,))
    token = create_login_session(session, person)
    session.commit()
    actor = actor_for(session, person)
    actions.delete_account(session, actor=actor)
    session.commit()
    session.refresh(person)
    assert person.taxid_hmac is None and person.deleted_at is not None
    assert person.display_name == "" and person.nickname is None and person.birth_year is None
    assert person.public_name == "Διαγραμμένος χρήστης"
    assert queries.public_name_in(person, "en") == "Deleted user"
    assert resolve_token(session, token) is None
    assert session.exec(select(LoginSession).where(LoginSession.person_id == person.id)).all() == []
    assert session.exec(select(RoleGrant).where(RoleGrant.person_id == person.id)).all() == []
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "identity.delete_account")).one()
    assert entry.actor == f"person:{person.id}" and json.loads(entry.details)["roles_removed"] == ["moderator"]
    # logging in again with the same ΑΦΜ makes a new, unrelated person
    from syros_app.identity.govgr import GovgrProfile

    again, _ = actions.login_person(session, actor=None, profile=GovgrProfile(
        taxid=personas.TAXIDS["maria"], first_name="ΜΑΡΙΑ", last_name="ΒΑΦΕΙΑΔΟΥ"))
    assert again.id != person.id
    assert admin.is_administrator


def test_the_last_administrator_cannot_delete_their_account(session):
    admin = personas.administrator(session)
    with pytest.raises(AgoraError) as info:
        actions.delete_account(session, actor=admin)
    assert info.value.key == "identity.errors.last_administrator_delete"
    assert session.get(Person, admin.person_id).deleted_at is None


def test_a_deleted_actor_cannot_act_again(session):
    actor = personas.resident(session)
    actions.delete_account(session, actor=actor)
    with pytest.raises(PermissionDenied):
        actions.delete_account(session, actor=actor)

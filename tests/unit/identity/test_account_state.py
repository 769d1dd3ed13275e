"""The account page's handlers act only for the person behind the session cookie."""

from sqlmodel import Session, select

from syros_app.core.db import session_scope
from syros_app.identity.models import Person
from syros_app.identity.state import AccountState
from tests.support import personas
from tests.support.refusal import fire, snapshot


def _resident_cookie(display_name="Ελένη Π."):
    with session_scope() as session:
        person = personas.make_person(session, "eleni", display_name=display_name)
        return person.id, personas.login_cookie(session, person)


def test_a_visitor_changes_nothing(engine):
    before = snapshot(engine)
    fire(AccountState, "save_nickname", "", [{"nickname": "Κάποιος"}])
    fire(AccountState, "delete_account", "", [{"confirm": "yes"}])
    assert snapshot(engine) == before


def test_a_resident_sets_a_nickname(engine):
    person_id, cookie = _resident_cookie()
    fire(AccountState, "save_nickname", cookie, [{"nickname": "Λεμονιά"}])
    with Session(engine) as session:
        assert session.get(Person, person_id).nickname == "Λεμονιά"
    fire(AccountState, "save_nickname", cookie, [{"nickname": "<b>"}])  # refused, unchanged
    with Session(engine) as session:
        assert session.get(Person, person_id).nickname == "Λεμονιά"


def test_delete_needs_the_confirmation(engine):
    person_id, cookie = _resident_cookie()
    fire(AccountState, "delete_account", cookie, [{}])
    with Session(engine) as session:
        assert session.get(Person, person_id).deleted_at is None
    fire(AccountState, "delete_account", cookie, [{"confirm": "yes"}])
    with Session(engine) as session:
        person = session.get(Person, person_id)
        assert person.deleted_at is not None and person.taxid_hmac is None
        assert session.exec(select(Person).where(Person.taxid_hmac.is_not(None))).all() == []

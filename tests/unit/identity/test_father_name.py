"""The father's name gov.gr gives (the stand-in in the same format) is kept on the person
at each login, is in her data export, is forgotten with her account, and prefills an
application form's father's-name field."""

from datetime import datetime, timezone

from syros_app.applications import demo as applications_demo, queries as app_queries, views as app_views
from syros_app.identity import actions, govgr, stand_in
from syros_app.identity.hashing import with_check_digit
from syros_app.identity.models import Person
from syros_app.identity.sessions import actor_for

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
TAXID = with_check_digit("70000001")


def _login(session, father: str):
    """A login with the profile read back from the stand-in's own userinfo reply."""
    reply = stand_in.userinfo_xml({"taxid": TAXID, "firstname": "ΑΓΓΕΛΙΚΗ", "lastname": "ΡΟΥΣΣΟΥ",
                                   "fathername": father, "mothername": "ΑΝΝΑ", "birthyear": "1969"})
    profile = govgr.parse_userinfo(reply)
    person, _token = actions.login_person(session, actor=None, profile=profile, now=NOW)
    session.commit()
    return person


def test_kept_at_login_exported_and_erased(session):
    person = _login(session, "ΕΜΜΑΝΟΥΗΛ")
    assert person.father_name == "Εμμανουήλ"  # title case, accent restored as for first names
    assert _login(session, "").father_name == "Εμμανουήλ"  # an empty value does not erase it
    assert _login(session, "ΠΕΤΡΟΣ").father_name == "Πέτρος"  # gov.gr's latest wins
    actor = actor_for(session, person)
    assert actions.export_my_data(session, actor=actor)["person"]["father_name"] == "Πέτρος"
    actions.delete_account(session, actor=actor, now=NOW)
    session.commit()
    assert session.get(Person, person.id).father_name is None


def test_prefills_the_form_not_the_last_application(session):
    applications_demo.load_services(session, NOW)
    session.commit()
    person = _login(session, "ΓΕΩΡΓΙΟΣ")
    actor = actor_for(session, person)
    service = app_queries.service(session, "cemetery-certificate")
    filing = app_queries.filing(session, service, actor, app_views.identity_of(session, actor))
    assert filing.answers["father_name"] == "Γεώργιος"
    assert filing.answers["full_name"] == person.display_name

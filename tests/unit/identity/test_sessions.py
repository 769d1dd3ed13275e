"""Login sessions: a new one at every login, idle and absolute expiry, logout."""

from datetime import timedelta

from sqlmodel import select

from syros_app.core.settings import get_settings
from syros_app.core.timefmt import utcnow
from syros_app.identity import actions
from syros_app.identity.govgr import GovgrProfile
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import LoginSession, Person
from syros_app.identity.sessions import resolve_cookie_header, resolve_token

TAXID = with_check_digit("55500011")


def _profile(**kw):
    return GovgrProfile(taxid=TAXID, first_name="ΕΛΕΝΗ", last_name="ΠΡΙΦΤΗ", birth_year=1985, **kw)


def test_login_creates_then_updates_the_person(session):
    t0 = utcnow() - timedelta(days=3)
    person, token = actions.login_person(session, actor=None, profile=_profile(), now=t0)
    session.commit()
    assert person.taxid_hmac == taxid_hmac(TAXID) and person.display_name == "Ελένη Π."
    assert person.first_login_at == t0 and person.last_login_at == t0
    later = utcnow()
    again, _ = actions.login_person(session, actor=None, profile=GovgrProfile(
        taxid=TAXID, first_name="ΕΛΕΝΗ", last_name="ΣΑΛΤΑ", birth_year=1985), now=later)
    session.commit()
    assert again.id == person.id and again.display_name == "Ελένη Σ."
    assert again.first_login_at == t0 and again.last_login_at == later
    assert len(session.exec(select(Person)).all()) == 1


def test_the_session_id_is_new_at_every_login_and_the_old_one_ends(session):
    _, first = actions.login_person(session, actor=None, profile=_profile())
    _, second = actions.login_person(session, actor=None, profile=_profile(), previous_token=first)
    session.commit()
    assert first != second
    assert resolve_token(session, first) is None
    assert resolve_token(session, second).display_name == "Ελένη Π."
    assert len(session.exec(select(LoginSession)).all()) == 1


def test_idle_expiry(session):
    start = utcnow()
    _, token = actions.login_person(session, actor=None, profile=_profile(), now=start)
    session.commit()
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    assert resolve_token(session, token, now=start + idle - timedelta(minutes=1)) is not None
    # being used keeps it alive past the first idle window
    assert resolve_token(session, token, now=start + idle + timedelta(minutes=30)) is not None
    assert resolve_token(session, token, now=start + 2 * idle + timedelta(minutes=31)) is None
    assert session.exec(select(LoginSession)).all() == []


def test_absolute_expiry_even_when_active(session):
    start = utcnow()
    _, token = actions.login_person(session, actor=None, profile=_profile(), now=start)
    session.commit()
    limit = timedelta(hours=get_settings().session_absolute_hours)
    step = timedelta(minutes=get_settings().session_idle_minutes - 5)
    moment = start
    while moment + step < start + limit:
        moment += step
        assert resolve_token(session, token, now=moment) is not None
    assert resolve_token(session, token, now=start + limit + timedelta(seconds=1)) is None


def test_logout_deletes_the_session(session):
    _, token = actions.login_person(session, actor=None, profile=_profile())
    actions.log_out(session, actor=None, token=token)
    session.commit()
    assert resolve_cookie_header(session, f"syros_session={token}") is None
    assert session.exec(select(LoginSession)).all() == []


def test_a_deleted_person_has_no_session_even_with_an_old_cookie(session):
    person, token = actions.login_person(session, actor=None, profile=_profile())
    person.deleted_at = utcnow()
    session.add(person)
    session.commit()
    assert resolve_token(session, token) is None

"""The first administrator from the command line; the demo data."""

from sqlmodel import select

from syros_app.__main__ import main
from syros_app.core.audit import AuditEntry
from syros_app.core.db import session_scope
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import Person, VoterRoll
from syros_app.identity.roles import Role
from syros_app.identity.sessions import roles_of
from syros_app.identity.stand_in import DEMO_RESIDENTS


def test_create_admin(engine, capsys):
    taxid = with_check_digit("31415926")
    assert main(["identity", "create-admin", "--taxid", taxid, "--name", "Ελένη Παπαδάκη"]) == 0
    assert main(["identity", "create-admin", "--taxid", taxid, "--name", "Ελένη Παπαδάκη"]) == 0  # idempotent
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.taxid_hmac == taxid_hmac(taxid))).one()
        assert person.display_name == "Ελένη Π."
        assert Role.ADMINISTRATOR in roles_of(session, person.id)
        entries = session.exec(select(AuditEntry)).all()
        assert len(entries) == 1 and entries[0].actor.startswith("cli:")
        assert entries[0].target == f"person:{person.id}"
    assert "administrator" in capsys.readouterr().out


def test_create_admin_refuses_a_bad_taxid(engine, capsys):
    assert main(["identity", "create-admin", "--taxid", "123456789", "--name", "Κάποιος"]) == 2
    assert "Invalid tax number" in capsys.readouterr().err
    with session_scope() as session:
        assert session.exec(select(Person)).all() == []


def test_demo_residents_and_staff(engine):
    from syros_app.identity.demo import DEMO_ROLL_NAME, load

    assert len({r.taxid for r in DEMO_RESIDENTS}) == len(DEMO_RESIDENTS)
    assert any(r.birth_year == 2011 for r in DEMO_RESIDENTS)
    with session_scope() as session:
        assert load(session) > 0
    with session_scope() as session:
        assert load(session) == 0  # idempotent
        roles = {}
        for resident in DEMO_RESIDENTS:
            person = session.exec(select(Person).where(Person.taxid_hmac == taxid_hmac(resident.taxid))).first()
            roles[resident.key] = roles_of(session, person.id) if person else None
        assert Role.ADMINISTRATOR in roles["giorgos"] and Role.MODERATOR in roles["maria"]
        roll = session.exec(select(VoterRoll).where(VoterRoll.name == DEMO_ROLL_NAME)).one()
        assert roll.entry_count == len(DEMO_RESIDENTS)


def test_a_cli_administrator_gets_a_first_login_when_they_log_in(engine):
    from syros_app.identity import actions
    from syros_app.identity.govgr import GovgrProfile

    taxid = with_check_digit("27182818")
    assert main(["identity", "create-admin", "--taxid", taxid, "--name", "Γιάννης Βαφειάδης"]) == 0
    with session_scope() as session:
        profile = GovgrProfile(taxid=taxid, first_name="ΙΩΑΝΝΗΣ", last_name="ΒΑΦΕΙΑΔΗΣ", birth_year=1966)
        person, _ = actions.login_person(session, actor=None, profile=profile)
        assert person.first_login_at is not None and person.display_name == "Ιωάννης Β."
        assert Role.ADMINISTRATOR in roles_of(session, person.id)

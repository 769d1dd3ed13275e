"""Voter rolls: the all-or-nothing import, its report, and who is on which roll."""

import json

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import InvalidInput, PermissionDenied
from syros_app.identity import actions, queries
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import VoterRoll, VoterRollEntry
from syros_app.identity.rules import parse_roll_csv
from tests.support import personas

A, B, C = (with_check_digit(p) for p in ("40000001", "40000002", "40000003"))
BAD = A[:8] + str((int(A[8]) + 1) % 10)


def test_parse_accepts_header_units_semicolons_and_blank_lines():
    text = f"ΑΦΜ;Δημοτική ενότητα\n{A};Ερμούπολη\n\n{B};ανω συρος\n{C};\n"
    parsed = parse_roll_csv(text)
    assert parsed.ok and parsed.entries == [(A, "Ερμούπολη"), (B, "Άνω Σύρος"), (C, None)]


def test_parse_reports_every_problem_with_its_line():
    text = "\n".join([A, "12345", BAD, f"{B},Μύκονος", A, f"{C},Ερμούπολη,extra", "abcdefghi"])
    parsed = parse_roll_csv(text)
    assert not parsed.ok
    assert [(p.line, p.key) for p in parsed.problems] == [
        (2, "identity.roll_problem.not_taxid"),
        (3, "identity.roll_problem.check_digit"),
        (4, "identity.roll_problem.unit"),
        (5, "identity.roll_problem.duplicate"),
        (6, "identity.roll_problem.columns"),
        (7, "identity.roll_problem.not_taxid"),
    ]
    assert parsed.problems[3].params == {"first": 1}


def test_an_empty_file_is_a_problem():
    assert [p.key for p in parse_roll_csv("\n\n").problems] == ["identity.roll_problem.empty"]


def test_import_stores_hashes_only_and_audits(session):
    admin = personas.administrator(session)
    result = actions.import_roll(session, actor=admin, name="Δημοψήφισμα λιμανιού 2027",
                                 csv_text=f"{A},Ερμούπολη\n{B},Ποσειδωνία\n")
    session.commit()
    roll = session.get(VoterRoll, result.roll_id)
    assert roll.entry_count == 2 and result.entries == 2
    entries = session.exec(select(VoterRollEntry).where(VoterRollEntry.roll_id == roll.id)).all()
    assert {(e.taxid_hmac, e.municipal_unit) for e in entries} == {(taxid_hmac(A), "Ερμούπολη"),
                                                                     (taxid_hmac(B), "Ποσειδωνία")}
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "identity.import_roll")).one()
    assert entry.actor == admin.audit_name and json.loads(entry.details)["entries"] == 2
    assert queries.rolls_of(session, taxid_hmac(A)) == [("Δημοψήφισμα λιμανιού 2027", "Ερμούπολη")]
    assert queries.roll_entry_for(session, roll.id, taxid_hmac(C)) is None


def test_a_bad_file_stores_nothing(session):
    admin = personas.administrator(session)
    with pytest.raises(actions.RollRejected) as info:
        actions.import_roll(session, actor=admin, name="Κατάλογος με λάθος", csv_text=f"{A}\n{BAD}\n{B}\n")
    session.rollback()
    assert info.value.total == 1 and info.value.problems[0].line == 2
    assert "1" in info.value.message("el")
    assert session.exec(select(VoterRoll)).all() == []
    assert session.exec(select(VoterRollEntry)).all() == []
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "identity.import_roll")).all() == []


def test_roll_names_are_unique_and_checked(session):
    admin = personas.administrator(session)
    actions.import_roll(session, actor=admin, name="Κατάλογος", csv_text=A)
    session.commit()
    with pytest.raises(InvalidInput) as info:
        actions.import_roll(session, actor=admin, name="  Κατάλογος ", csv_text=B)
    assert info.value.key == "identity.errors.roll_name_taken"
    with pytest.raises(InvalidInput):
        actions.import_roll(session, actor=admin, name="x", csv_text=B)


@pytest.mark.parametrize("who", ["visitor", "resident", "moderator"])
def test_only_administrators_import(session, who):
    actor = {"visitor": lambda: None, "resident": lambda: personas.resident(session),
             "moderator": lambda: personas.moderator(session)}[who]()
    with pytest.raises(PermissionDenied):
        actions.import_roll(session, actor=actor, name="Κατάλογος", csv_text=A)
    assert session.exec(select(VoterRoll)).all() == []

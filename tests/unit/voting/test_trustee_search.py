"""Any person with an account can be a trustee: staff find them by name (server-side, a few at a
time, staff only), name them, and the person then acts on their trustee page."""

from __future__ import annotations

import pytest
from sqlmodel import select

from syros_app.core.errors import PermissionDenied
from syros_app.identity.models import Person
from syros_app.voting import actions, encrypted, queries, views
from syros_app.voting.actions import OptionInput
from tests.support import personas

from .helpers import NOW, make_roll


def test_people_are_found_by_name_without_accents_or_case(session):
    maria = personas.resident(session, "maria", display_name="Μαρία Χατζηδάκη")
    personas.resident(session, "marios", display_name="ΜΑΡΙΟΣ ΡΟΥΣΣΟΣ")
    personas.resident(session, "nikos", display_name="Νίκος Βαφειάδης")
    gone = personas.resident(session, "gone", display_name="Μαρίνα Διαγραμμένη")
    session.get(Person, gone.person_id).deleted_at = NOW
    session.add(Person(display_name="Μαρίκα Χωρίς Λογαριασμό"))  # no gov.gr account: not offered
    session.flush()
    assert [name for _, name in queries.people_named(session, "μαρι")] == ["Μαρία Χατζηδάκη", "ΜΑΡΙΟΣ ΡΟΥΣΣΟΣ"]
    assert queries.people_named(session, "ΧΑΤΖΗΔΆΚΗ") == [(maria.person_id, "Μαρία Χατζηδάκη")]
    assert queries.people_named(session, "μ") == [] and queries.people_named(session, "  ") == []
    for n in range(15):
        personas.resident(session, f"many{n}", display_name=f"Παπαδόπουλος {n:02d}")
    assert len(queries.people_named(session, "παπαδοπουλος")) == 10


def test_only_staff_search_and_those_found_join_the_lists(session):
    admin = personas.administrator(session, "vote-admin")
    resident = personas.resident(session, "eleni")
    personas.resident(session, "maria", display_name="<b>Μαρία</b> Σύμβουλος")
    with pytest.raises(PermissionDenied):
        views.trustee_search(session, resident, "μαρια", [])
    with pytest.raises(PermissionDenied):
        views.trustee_search(session, None, "μαρια", [])
    known = views.trustee_panel(session, _draft(session, admin))["trustee_candidates"]
    found = views.trustee_search(session, admin, "σύμβουλος", known)
    assert [m.name for m in found["trustee_matches"]] == ["<b>Μαρία</b> Σύμβουλος"]  # text; the page escapes it
    assert found["trustee_candidates"][:len(known)] == known and len(found["trustee_candidates"]) == len(known) + 1
    again = views.trustee_search(session, admin, "σύμβουλος", found["trustee_candidates"])
    assert again["trustee_candidates"] == found["trustee_candidates"]  # no one twice
    assert views.trustee_search(session, admin, "κανείς", known)["trustee_found"] == 0


def _draft(session, admin):
    roll = make_roll(session, {"eleni": "Ερμούπολη"})
    return actions.create_vote(session, actor=admin, title="Δημοψήφισμα", question="Ναι ή όχι;", kind="yes_no",
                               roll_id=roll.id, now=NOW, options=[OptionInput("Ναι"), OptionInput("Όχι")])


def test_a_resident_named_trustee_acts_on_their_page(session):
    admin = personas.administrator(session, "vote-admin")
    council = [personas.resident(session, key, display_name=name)
               for key, name in (("maria", "Μαρία Σύμβουλος"), ("nikos", "Νίκος Αντιπολίτευση"))]
    vote = _draft(session, admin)
    found = views.trustee_search(session, admin, "συμβουλος", [])["trustee_matches"] + \
        views.trustee_search(session, admin, "αντιπολιτευση", [])["trustee_matches"]
    encrypted.set_trustees(session, actor=admin, vote_id=vote.id, threshold=2, now=NOW, trustees=[
        encrypted.TrusteeInput(c.name, int(c.person_id)) for c in [*found, views.TrusteeCandidate(
            person_id=str(admin.person_id), name="Διαχειριστής")]])
    page = views.trustee_page(session, council[1], vote.id)
    assert (page["is_trustee"], page["index"], page["step"]) == (True, 2, "transport_key")
    encrypted.post_transport_key(session, actor=council[1], vote_id=vote.id, public_key="ab" * 32, now=NOW)
    assert views.trustee_page(session, council[1], vote.id)["step"] == "commitments"
    panel = views.trustee_panel(session, vote)  # the named residents stay in the lists
    assert {c.name for c in panel["trustee_candidates"]} >= {"Μαρία Σύμβουλος", "Νίκος Αντιπολίτευση"}
    duties = views.my_votes(session, council[0], NOW)["duties"]  # /my-votes links the trustee page
    assert [(d.vote_id, d.title) for d in duties] == [(vote.id, "Δημοψήφισμα")]
    stranger = personas.resident(session, "eleni")
    assert views.my_votes(session, stranger, NOW)["duties"] == []
    assert views.trustee_page(session, stranger, vote.id)["is_trustee"] is False
    with pytest.raises(PermissionDenied):
        encrypted.post_transport_key(session, actor=stranger, vote_id=vote.id, public_key="cd" * 32, now=NOW)
    assert session.exec(select(Person).where(Person.id == council[0].person_id)).one()

"""The proposals' Reflex handlers act for the person behind the socket: a resident proposes
and supports, a visitor changes nothing, bad input is a translated error with nothing written."""

from sqlmodel import select

from syros_app.core.db import session_scope
from syros_app.identity.models import Person
from syros_app.opengov.proposals.models import Proposal, ProposalSupport
from syros_app.opengov.proposals.state import ProposalFiguresState, ProposalFormState, ProposalPageState
from tests.support import personas
from tests.support.refusal import fire, load_all_states
from tests.unit.proposals.helpers import roll

load_all_states()

FORM = {"title": "Βρύσες πόσιμου νερού στην πλατεία Μιαούλη",
        "body": "Δύο βρύσες πόσιμου νερού στην πλατεία Μιαούλη, για κατοίκους και επισκέπτες το καλοκαίρι.",
        "area": "Ερμούπολη"}


def _resident(key):
    with session_scope() as s:
        person = personas.make_person(s, key)
        roll(s, {}, people=[personas.actor(s, person)])
        return personas.login_cookie(s, s.get(Person, person.id))


def test_a_resident_proposes_a_visitor_changes_nothing(engine):
    fire(ProposalFormState, "submit", "", [FORM])
    with session_scope() as s:
        assert s.exec(select(Proposal)).all() == []
    bad = fire(ProposalFormState, "submit", _resident("eleni"), [{**FORM, "title": "Λίγο"}])
    assert bad.error == "Ο τίτλος θέλει τουλάχιστον 8 χαρακτήρες."
    eleni = _resident("eleni2")
    fire(ProposalFormState, "submit", eleni, [FORM])
    with session_scope() as s:
        proposal = s.exec(select(Proposal)).one()
        assert (proposal.title, proposal.area, proposal.threshold) == (FORM["title"], "Ερμούπολη", 1)
    # a page whose URL names no proposal: "not found", and a support fired there writes nothing
    assert not fire(ProposalPageState, "load", eleni, []).found
    assert fire(ProposalPageState, "support", _resident("nikos"), []).error
    with session_scope() as s:
        assert s.exec(select(ProposalSupport)).all() == []


def test_the_figures_section_loads_for_anyone(engine):
    state = fire(ProposalFiguresState, "load", "", [])
    assert state.loaded and [row.unit.el for row in state.participation] == ["Ερμούπολη", "Άνω Σύρος", "Ποσειδωνία"]
    assert [row.value.el for row in state.summary][-1] == "–"

"""Refusal cases of residents' proposals: the staff tools on a proposal's page, on the demo
proposals (the one still collecting support)."""

from __future__ import annotations

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.opengov.proposals.models import Proposal
from tests.support.refusal import StaffCase, ViewCase

TOOLS = "syros_app.opengov.proposals.state.ProposalStaffState"


def _collecting(session: Session) -> int:
    found = session.exec(select(Proposal.id).where(Proposal.answered_at.is_(None), Proposal.hidden_at.is_(None))
                         .order_by(Proposal.id)).first()
    assert found is not None, "the demo data has no unanswered proposal"
    return found


def _hidden(session: Session) -> list[int]:
    """A hidden proposal to restore (the demo data hides none): hidden and committed here."""
    proposal = session.get(Proposal, _collecting(session))
    proposal.hidden_at, proposal.hidden_reason = utcnow(), "Εκτός θέματος"
    session.add(proposal)
    session.commit()
    return [proposal.id]


CASES = [
    StaffCase(TOOLS, "answer", lambda s: [{"proposal_id": str(_collecting(s)), "link": "",
                                           "answer": "Ο Δήμος θα το εξετάσει στο επόμενο δημοτικό συμβούλιο."}],
              ("proposal",), persona="moderator"),
    # the answer starts a draft consultation, or prepares a draft vote (administrators)
    StaffCase(TOOLS, "answer", lambda s: [{"proposal_id": str(_collecting(s)), "link": "new:consultation",
                                           "answer": "Ανοίγουμε δημόσια διαβούλευση με το κείμενο της πρότασης."}],
              ("proposal", "consultation", "consultation_section")),
    StaffCase(TOOLS, "answer", lambda s: [{"proposal_id": str(_collecting(s)), "link": "new:vote",
                                           "answer": "Η πρόταση θα τεθεί σε ψηφοφορία των δημοτών."}],
              ("proposal", "vote", "vote_option")),
    StaffCase(TOOLS, "confirm", lambda s: [{"step": "hide", "target": str(_collecting(s)),
                                            "reason": "Προσωπικά δεδομένα τρίτων"}], ("proposal",),
              persona="moderator"),
    StaffCase(TOOLS, "restore", _hidden, ("proposal",)),
]

READ_ONLY = {TOOLS: {"load", "ask_hide"}}

VIEW_CASES = [ViewCase(TOOLS)]

NOT_FROM_STATES = {
    # The consultations' and voting's own actions check their matrices again (administrators
    # only), so opening these two to everyone cannot let a resident write: refused in
    "start_consultation": "tests/unit/proposals/test_answer_opens.py::"
                          "test_residents_and_moderators_are_refused_and_nothing_changes",
    "prepare_vote": "tests/unit/proposals/test_answer_opens.py::"
                    "test_residents_and_moderators_are_refused_and_nothing_changes",
    "view_hidden": "tests/unit/proposals/test_actions.py::test_moderation_hides_with_a_reason_and_restores",
}

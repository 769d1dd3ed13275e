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
    StaffCase(TOOLS, "confirm", lambda s: [{"step": "hide", "target": str(_collecting(s)),
                                            "reason": "Προσωπικά δεδομένα τρίτων"}], ("proposal",),
              persona="moderator"),
    StaffCase(TOOLS, "restore", _hidden, ("proposal",)),
]

READ_ONLY = {TOOLS: {"load", "ask_hide"}}

VIEW_CASES = [ViewCase(TOOLS)]

NOT_FROM_STATES = {
    "view_hidden": "tests/unit/proposals/test_actions.py::test_moderation_hides_with_a_reason_and_restores",
}

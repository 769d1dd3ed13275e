"""What proposals hold about a person: the GDPR export section and what happens when the
person deletes their account.

Export: every proposal they made (text, area, threshold, supports, status, answer) and
every proposal they supported, with when.

Deletion (``identity.person_deleted``): a proposal still collecting support goes with its
photo and supports (it was only the person's own idea so far); one that reached its
threshold stays public — the municipality owes or gave an answer to it — with no author
("deleted user"). Their supports stay as counts with no person behind them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.identity.actions import register_export_section

from . import queries
from .models import Proposal, ProposalPhoto, ProposalSupport


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    now = utcnow()
    own = session.exec(select(Proposal).where(Proposal.author_id == person_id).order_by(Proposal.id)).all()
    supported = session.exec(select(ProposalSupport.proposal_id, ProposalSupport.created_at, Proposal.title)
                             .join(Proposal, Proposal.id == ProposalSupport.proposal_id)
                             .where(ProposalSupport.person_id == person_id).order_by(ProposalSupport.id)).all()
    return {
        "proposals": [{
            "id": p.id, "title": p.title, "body": p.body, "area": p.area or "*", "created_at": _iso(p.created_at),
            "threshold": p.threshold, "supports": p.support_count, "status": queries.status_of(p, now),
            "answer": p.answer, "answered_at": _iso(p.answered_at), "hidden_reason": p.hidden_reason or None,
        } for p in own],
        "supports": [{"proposal_id": pid, "title": title, "created_at": _iso(at)} for pid, at, title in supported],
    }


@events.on_person_deleted
def erase(session: Session, person_id: int) -> None:
    collecting = list(session.exec(select(Proposal.id).where(Proposal.author_id == person_id,
                                                             Proposal.reached_at.is_(None),
                                                             Proposal.answered_at.is_(None))))
    if collecting:
        session.execute(delete(ProposalPhoto).where(ProposalPhoto.proposal_id.in_(collecting)))
        session.execute(delete(ProposalSupport).where(ProposalSupport.proposal_id.in_(collecting)))
        session.execute(delete(Proposal).where(Proposal.id.in_(collecting)))
    session.execute(delete(ProposalPhoto).where(ProposalPhoto.owner_id == person_id,
                                                ProposalPhoto.proposal_id.is_(None)))
    session.execute(update(ProposalPhoto).where(ProposalPhoto.owner_id == person_id).values(owner_id=None))
    session.execute(update(Proposal).where(Proposal.author_id == person_id).values(author_id=None))
    session.execute(update(ProposalSupport).where(ProposalSupport.person_id == person_id).values(person_id=None))


register_export_section("proposals", export_section)

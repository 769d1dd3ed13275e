"""What voting holds about a person: *that* they voted, never *what*.

Export: the votes the person took part in (title, day), found through their
per-vote keyed hash. The tracker is not put in the file: with the public
ballot list it would reveal the choice to whoever reads the file; it stays on
the "my votes" page behind the person's own login.

Deletion (``identity.person_deleted``): the participation rows stay — they keep
the counts right and still refuse a second vote from the same ΑΦΜ — but their
sealed trackers are erased, so nothing stored can lead from the person to a
ballot any more.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from syros_app.core import events
from syros_app.identity.actions import register_export_section
from syros_app.identity.models import Person
from syros_app.identity.hashing import scoped_hmac

from .models import Vote, VoteParticipation


def _participations(session: Session, taxid_hmac: str) -> list[tuple[Vote, VoteParticipation]]:
    votes = session.exec(select(Vote)).all()
    keys = {scoped_hmac(taxid_hmac, f"vote:{vote.id}"): vote for vote in votes}
    if not keys:
        return []
    rows = session.exec(select(VoteParticipation).where(VoteParticipation.voter_key.in_(list(keys)))).all()
    return [(keys[row.voter_key], row) for row in rows if keys[row.voter_key].id == row.vote_id]


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    person = session.get(Person, person_id)
    if person is None or not person.taxid_hmac:
        return {"participations": []}
    return {
        "participations": [
            {"vote_id": vote.id, "title": vote.title, "voted_on": row.voted_on.isoformat()}
            for vote, row in sorted(_participations(session, person.taxid_hmac), key=lambda p: p[0].id)
        ],
        "note": "what you chose is not linked to you; your tracker is shown on the 'my votes' page",
    }


@events.subscriber("identity.person_deleted")
def _forget_trackers(session: Session, payload: dict, _now) -> None:
    former = payload.get("former_taxid_hmac")
    if not former:
        return
    for _vote, row in _participations(session, former):
        row.sealed_tracker = ""
        session.add(row)
    session.flush()


register_export_section("voting", export_section)

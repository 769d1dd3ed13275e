"""The key ceremony's qualified set (Pedersen DKG): complaints, answers, completing with k of n.

* A trustee whose share from a dealer does not match the dealer's commitments files a public
  complaint (``file_complaint``); the key is not fixed while a complaint waits for its answer.
* The accused dealer answers by revealing that share (``answer_complaints``). Anyone can check
  it against the commitments: a match answers the complaint (the complainant uses the revealed
  share); a mismatch disqualifies the dealer.
* QUAL = the trustees who dealt, minus the disqualified. When all n dealt and nobody is
  disqualified, the key is fixed as soon as no complaint waits (``settle_key``); with fewer
  (k ≤ |QUAL| < n) staff complete the ceremony explicitly (``complete_ceremony``, audited).
  Every trustee with a transport key, dealer or not, decrypts with x_l = Σ_{i∈QUAL} f_i(l).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

from sqlmodel import Session, delete, select

from syros_app.core.actions import action
from syros_app.core.errors import AgoraError, InvalidInput, PermissionDenied
from syros_app.identity.roles import Actor

from . import queries
from .actions import _audited, _editable_vote
from .crypto import group as grp
from .crypto import record as rec
from .crypto import threshold as th
from .models import TrusteeComplaint, Vote, VoteTrustee
from .permissions import MATRIX
from .queries import ceremony_of


def my_trustee_row(session: Session, actor: Actor, vote_id: int) -> VoteTrustee:
    for trustee in queries.trustees_of(session, vote_id):
        if trustee.person_id == actor.person_id:
            return trustee
    raise PermissionDenied("voting.errors.not_trustee")


def trustee_in_ceremony(session: Session, actor: Actor, vote_id: int, now: datetime) -> tuple[Vote, VoteTrustee]:
    """The vote (locked, still a draft) and the actor's trustee row in it."""
    vote = _editable_vote(session, vote_id, now)
    trustee = my_trustee_row(session, actor, vote.id)
    if not vote.encrypted or vote.status != "draft":
        raise AgoraError("voting.errors.frozen")
    return vote, trustee


def forget_complaints(session: Session, vote_id: int) -> None:
    """The shares were dealt again (new parameters or transport keys): old complaints no longer apply."""
    session.exec(delete(TrusteeComplaint).where(TrusteeComplaint.vote_id == vote_id))


def settle_key(session: Session, vote: Vote, *, complete: bool = False, now: datetime | None = None) -> bool:
    """Fix the election key from QUAL when the ceremony allows it (``complete``: staff asked to
    finish with the k or more who dealt, at ``now``), else unset it. True when the key is fixed."""
    rows = queries.trustees_of(session, vote.id)
    state = ceremony_of(session, vote, rows, now=now if complete else None)
    if not (state.complete_by_itself or (complete and state.can_complete)):
        vote.election_json = None
        return False
    qual = state.qualified
    election = dataclasses.replace(queries.bare_election(session, vote),
                                   public_key=th.joint_public_key(state.dealers[i] for i in qual))
    trustees = [rec.Trustee(t.name, state.dealers.get(t.index), t.index) for t in rows]
    options = queries.options_of(session, vote.id)
    vote.election_json = json.dumps(rec.manifest(election, title=vote.title, question=vote.question,
                                                 option_titles=[o.title for o in options], trustees=trustees,
                                                 complaints=state.complaints), ensure_ascii=False)
    return True


@action(MATRIX, "act_as_trustee")
def file_complaint(session: Session, *, actor: Actor, vote_id: int, dealer: int, now: datetime) -> Vote:
    """The share ``dealer`` sealed to me does not match its commitments: a public complaint. The key
    is not fixed (nor can staff complete the ceremony) until the dealer answers."""
    vote, me = trustee_in_ceremony(session, actor, vote_id, now)
    accused = next((t for t in queries.trustees_of(session, vote.id) if t.index == dealer), None)
    if accused is None or accused.index == me.index or not accused.commitments or not me.transport_key:
        raise InvalidInput("voting.errors.bad_complaint")
    if session.get(TrusteeComplaint, (vote.id, dealer, me.index)) is not None:
        raise InvalidInput("voting.errors.complaint_exists")
    session.add(TrusteeComplaint(vote_id=vote.id, dealer=dealer, complainant=me.index, filed_at=now))
    session.flush()
    settle_key(session, vote)
    return _audited(session, actor, "trustee_complaint", vote, now, dealer=dealer, complainant=me.index)


@action(MATRIX, "act_as_trustee")
def answer_complaints(session: Session, *, actor: Actor, vote_id: int, answers: dict, now: datetime) -> Vote:
    """The accused dealer reveals f_dealer(complainant) for each complaint against it
    (``{complainant index: scalar hex}``). Each is checked against the dealer's commitments: a
    share that does not match is kept, public, and disqualifies the dealer."""
    vote, me = trustee_in_ceremony(session, actor, vote_id, now)
    if not isinstance(answers, dict) or not answers or not me.commitments:
        raise InvalidInput("voting.errors.bad_answer")
    commitments = th.TrusteeCommitments.from_json(json.loads(me.commitments))
    checked = {}
    for complainant, share in answers.items():
        row = session.get(TrusteeComplaint, (vote.id, me.index, _index(complainant)))
        if row is None or row.share is not None:
            raise InvalidInput("voting.errors.bad_answer")
        try:
            value = grp.decode_scalar(share)
        except (grp.GroupError, TypeError, ValueError):
            raise InvalidInput("voting.errors.bad_answer") from None
        row.share = grp.encode_scalar(value)
        session.add(row)
        checked[row.complainant] = th.share_is_valid(value, row.complainant, commitments.commitments)
    session.flush()
    settle_key(session, vote)
    return _audited(session, actor, "trustee_answer", vote, now, dealer=me.index,
                    answers={str(k): ("valid" if v else "invalid") for k, v in sorted(checked.items())})


def _index(text: object) -> int:
    try:
        return int(str(text))
    except ValueError:
        raise InvalidInput("voting.errors.bad_answer") from None


@action(MATRIX, "manage_votes")
def complete_ceremony(session: Session, *, actor: Actor, vote_id: int, now: datetime) -> Vote:
    """Fix the key with the qualified trustees who dealt (at least k), before all n have: an
    explicit staff step. Refused while a complaint waits for its answer — unless it has waited
    ``rules.COMPLAINT_ANSWER_TIME``: a dealer who stays silent is disqualified (as the record's
    verifier already counts an unanswered complaint)."""
    vote = _editable_vote(session, vote_id, now)
    if not vote.encrypted or vote.status != "draft":
        raise AgoraError("voting.errors.frozen")
    state = ceremony_of(session, vote, now=now)
    if state.pending:
        raise AgoraError("voting.errors.complaint_pending")
    if len(state.qualified) < state.threshold:
        raise AgoraError("voting.errors.too_few_dealers", k=state.threshold)
    settle_key(session, vote, complete=True, now=now)
    return _audited(session, actor, "complete_ceremony", vote, now, qualified=state.qualified,
                    disqualified=sorted(state.disqualified), trustees=state.trustees,
                    silent=sorted({c.dealer for c in state.overdue}))

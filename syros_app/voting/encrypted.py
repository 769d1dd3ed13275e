"""Writes of encrypted votes (issue 12): trustees, their key ceremony, casting, audits, partial decryptions.

The server is a bulletin board and a checker: it verifies every proof before it
stores anything, and it never holds a choice or enough of the key to decrypt one.

* Staff name n trustees (people with an account) and a threshold k on a draft
  (``set_trustees``). Each trustee creates their polynomial on their own device
  and posts only the commitments and proofs (``post_commitments``); the shares
  travel between trustees encrypted to each other, never through this table in
  clear. When the last trustee has posted (and no complaint waits), the vote's
  manifest (with the election key) is fixed; complaints, answers and completing
  with k of n are ``ceremony``'s; any edit of the vote starts the ceremony again.
* A resident casts an encrypted ballot (``cast_encrypted_ballot``): its proofs
  are checked, then ONE statement writes the participation and the ballot (the
  same eligibility SQL as plaintext votes; no sealed tracker). The receipt is the
  ballot's fingerprint.
* An audited ballot (Benaloh) is posted opened (``post_spoiled_ballot``) and
  never counted.
* After the close, each trustee posts partial decryptions of the per-option sums
  with proofs (``post_partial_decryption``); ``actions.publish_results`` combines
  any k of them.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection
from sqlmodel import Session, delete

from syros_app.core.actions import action
from syros_app.core.errors import AgoraError, InvalidInput
from syros_app.identity.models import Person
from syros_app.identity.roles import Actor

from . import queries
from .actions import CastReceipt, _audited, _editable_vote, insert_cast
from .ceremony import forget_complaints, my_trustee_row, settle_key, trustee_in_ceremony
from .crypto import ballot as bl
from .crypto import group as grp
from .crypto import proofs as pf
from .crypto import record as rec
from .crypto import threshold as th
from .models import SpoiledBallot, Vote, VoteTrustee
from .permissions import MATRIX

MAX_TRUSTEES = 15


@dataclass(frozen=True)
class TrusteeInput:
    name: str
    person_id: int


@action(MATRIX, "manage_votes")
def set_trustees(session: Session, *, actor: Actor, vote_id: int, threshold: int, trustees: list[TrusteeInput],
                 now: datetime) -> Vote:
    """Make a draft an encrypted vote with these n trustees, any k of whom decrypt the tally."""
    vote = _editable_vote(session, vote_id, now)
    if vote.status != "draft":
        raise AgoraError("voting.errors.frozen")
    if not 1 <= len(trustees) <= MAX_TRUSTEES or not 1 <= threshold <= len(trustees):
        raise InvalidInput("voting.errors.bad_threshold", n=MAX_TRUSTEES)
    people = [t.person_id for t in trustees]
    if len(set(people)) != len(people) or any(session.get(Person, p) is None for p in people):
        raise InvalidInput("voting.errors.bad_trustees")
    names = [t.name.strip()[:200] for t in trustees]
    if not all(names):
        raise InvalidInput("voting.errors.bad_trustees")
    session.exec(delete(VoteTrustee).where(VoteTrustee.vote_id == vote.id))
    forget_complaints(session, vote.id)
    for index, (name, person_id) in enumerate(zip(names, people), start=1):
        session.add(VoteTrustee(vote_id=vote.id, index=index, name=name, person_id=person_id))
    vote.encrypted, vote.trustee_threshold, vote.election_json = True, threshold, None
    return _audited(session, actor, "set_trustees", vote, now, threshold=threshold, trustees=names)


@action(MATRIX, "act_as_trustee")
def post_transport_key(session: Session, *, actor: Actor, vote_id: int, public_key: str, now: datetime) -> Vote:
    """A trustee's X25519 public key, to which the others seal their shares (``voting trustee init``).
    A new key voids the shares already sealed to the old one: every trustee deals again."""
    vote, trustee = trustee_in_ceremony(session, actor, vote_id, now)
    if len(public_key) != 64 or any(ch not in "0123456789abcdef" for ch in public_key):
        raise InvalidInput("voting.errors.bad_proof")
    trustee.transport_key = public_key
    session.add(trustee)
    for other in queries.trustees_of(session, vote.id):
        other.commitments = other.sealed_shares = None
        session.add(other)
    forget_complaints(session, vote.id)
    vote.election_json = None
    return _audited(session, actor, "trustee_transport_key", vote, now, trustee=trustee.index)


def _clean_sealed_shares(sealed_shares: dict | None, trustee: VoteTrustee, n: int) -> str | None:
    """{recipient: base64 sealed box} for every other trustee, or None (shares exchanged another way)."""
    if sealed_shares is None:
        return None
    expected = {str(i) for i in range(1, n + 1)} - {str(trustee.index)}
    if set(sealed_shares) != expected or not all(isinstance(v, str) and 0 < len(v) <= 200
                                                 for v in sealed_shares.values()):
        raise InvalidInput("voting.errors.bad_proof")
    return json.dumps(sealed_shares, sort_keys=True)


@action(MATRIX, "act_as_trustee")
def post_commitments(session: Session, *, actor: Actor, vote_id: int, commitments: dict,
                     sealed_shares: dict | None = None, now: datetime) -> Vote:
    """A trustee's published commitments and proofs of knowledge (made on their own device), and
    the shares they dealt, each sealed to its recipient's transport key."""
    vote, trustee = trustee_in_ceremony(session, actor, vote_id, now)
    bare = queries.bare_election(session, vote)
    try:
        published = th.TrusteeCommitments.from_json({**commitments, "index": trustee.index})
        th.verify_commitments(bare.context, published, bare.threshold)
    except (pf.ProofError, grp.GroupError, KeyError, TypeError, ValueError):
        raise InvalidInput("voting.errors.bad_proof") from None
    if any(c.dealer == trustee.index for c in queries.complaints_of(session, vote.id)[0]):
        raise AgoraError("voting.errors.answer_complaints_first")  # dealing anew would dodge them
    trustee.sealed_shares = _clean_sealed_shares(sealed_shares, trustee, bare.trustees)
    trustee.commitments = json.dumps(published.to_json())
    session.add(trustee)
    session.flush()
    settle_key(session, vote)
    return _audited(session, actor, "trustee_commitments", vote, now, trustee=trustee.index,
                    key_ready=vote.election_json is not None)


_ELECTIONS: dict[tuple[int, str], bl.Election] = {}  # open votes' elections, by (id, row_token)


def _election_for_cast(session: Session, vote_id: int) -> tuple[bl.Election, str]:
    vote = queries.get_vote(session, vote_id)
    if not vote.encrypted:
        raise AgoraError("voting.errors.not_encrypted")
    key = (vote.id, vote.row_token)
    election = _ELECTIONS.get(key)
    if election is None:
        election = queries.election_of(vote)
        if vote.status == "open":  # its manifest can no longer change
            if len(_ELECTIONS) > 1000:
                _ELECTIONS.clear()
            _ELECTIONS[key] = election
    return election, vote.row_token


@action(MATRIX, "cast_ballot")
def cast_encrypted_ballot(session: Session, *, actor: Actor, vote_id: int, ballot: dict,
                          now: datetime) -> CastReceipt:
    """Check every proof of the encrypted ballot, then write participation + ballot in one statement.

    The receipt is the ballot's fingerprint (its first 80 bits): it is on the public board and
    says nothing about the choice."""
    connection = session if isinstance(session, Connection) else session.connection()
    orm = Session(bind=session) if isinstance(session, Connection) else session
    election, row_token = _election_for_cast(orm, vote_id)
    try:
        bl.verify_ballot(election, ballot)
    except pf.ProofError:
        raise InvalidInput("voting.errors.bad_ballot") from None
    fingerprint = bl.fingerprint(ballot)
    if queries.fingerprint_known(orm, vote_id, fingerprint, spoiled=True):  # opened: it can no longer be secret
        raise InvalidInput("voting.errors.ballot_spoiled")
    inserted = insert_cast(connection, row_token=row_token, actor=actor, vote_id=vote_id, now=now,
                           ballot={"fingerprint": fingerprint, "ballot": json.dumps(ballot, sort_keys=True)})
    if not inserted:
        vote = queries.get_vote(orm, vote_id)
        reason = queries.ineligibility_for(orm, actor, vote, now=now)
        raise AgoraError(f"voting.reason.{reason}" if reason else "voting.errors.busy",
                         unit=vote.municipal_unit or "", min_age=vote.min_age)
    return CastReceipt(vote_id=vote_id, tracker=bl.receipt(fingerprint))


@action(MATRIX, "cast_ballot")
def post_spoiled_ballot(session: Session, *, actor: Actor, vote_id: int, audit: dict, now: datetime) -> str:
    """Publish an audited (challenged) ballot, opened; it is never counted. Returns its fingerprint."""
    election, _ = _election_for_cast(session, vote_id)
    if queries.status_of(queries.get_vote(session, vote_id), now) != "open":
        raise AgoraError("voting.reason.closed")
    try:
        election.check_choice(bl.verify_audit(election, audit))
        entry = {"fingerprint": bl.fingerprint(audit["ballot"]), "ballot": audit["ballot"],
                 "revealed": audit["revealed"]}
    except (pf.ProofError, KeyError, TypeError, ValueError):
        raise InvalidInput("voting.errors.bad_ballot") from None
    if queries.fingerprint_known(session, vote_id, entry["fingerprint"], spoiled=False):
        raise InvalidInput("voting.errors.ballot_on_board")  # a cast ballot is never opened
    session.add(SpoiledBallot(id=secrets.token_hex(16), vote_id=vote_id, fingerprint=entry["fingerprint"],
                              audit=json.dumps(entry, sort_keys=True)))
    session.flush()
    return entry["fingerprint"]


@action(MATRIX, "act_as_trustee")
def post_partial_decryption(session: Session, *, actor: Actor, vote_id: int, partials: dict, now: datetime) -> Vote:
    """A trustee's partial decryption of each option's sum, with proofs (made on their device)."""
    vote = queries.get_vote(session, vote_id, lock=True)
    trustee = my_trustee_row(session, actor, vote.id)
    if vote.status != "closed":
        raise AgoraError("voting.errors.bad_transition")
    election = queries.election_of(vote)
    public_share = th.public_share(rec.qualified_commitments(json.loads(vote.election_json)), trustee.index)
    sums = rec.aggregates(election, queries.cast_encrypted_ballots(session, vote.id))
    checked = {}
    try:
        for option_id, agg in zip(election.option_ids, sums):
            partial = th.PartialDecryption.from_json({**partials[str(option_id)], "trustee": trustee.index})
            th.verify_partial(election.context, public_share, agg, partial)
            checked[str(option_id)] = partial.to_json()
    except (pf.ProofError, grp.GroupError, KeyError, TypeError, ValueError):
        raise InvalidInput("voting.errors.bad_proof") from None
    trustee.partials = json.dumps(checked)
    session.add(trustee)
    return _audited(session, actor, "trustee_partial_decryption", vote, now, trustee=trustee.index)

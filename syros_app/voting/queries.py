"""Reads of voting: lists, a vote's page, eligibility, turnout, published data."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.core.actions import MAX_ID
from syros_app.core.errors import NotFound, PermissionDenied
from syros_app.core.registry import OpenItem
from syros_app.core.timefmt import as_utc
from syros_app.identity.hashing import scoped_hmac
from syros_app.identity.models import VoterRoll, VoterRollEntry
from syros_app.identity.roles import Actor

from . import rules, sealing
from .crypto import ballot as crypto_ballot
from .crypto import group as crypto_group
from .crypto import record as crypto_record
from .crypto import threshold as crypto_threshold
from .models import (Ballot, EncryptedBallot, SpoiledBallot, TrusteeComplaint, Vote, VoteDocument, VoteOption,
                     VoteParticipation, VoteTrustee)

PUBLIC_STATUSES = ("scheduled", "open", "closed", "published")


def status_of(vote: Vote, now: datetime) -> str:
    if vote.status == "scheduled" and vote.encrypted and not vote.election_json:
        return "scheduled"  # time does not open a vote without its election key (``advance_schedules``)
    return rules.effective_status(vote.status, vote.opens_at, vote.closes_at, now)


def voter_key(actor: Actor, vote_id: int) -> str:
    """The person's key in one vote: unlinkable across votes without the server secret."""
    return scoped_hmac(actor.taxid_hmac, f"vote:{vote_id}")


def get_vote(session: Session, vote_id: int, *, lock: bool = False) -> Vote:
    """The vote (locked for update when ``lock``), or NotFound."""
    query = select(Vote).where(Vote.id == vote_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    vote = session.exec(query).first()
    if vote is None:
        raise NotFound("voting.errors.not_found")
    return vote


def options_of(session: Session, vote_id: int) -> list[VoteOption]:
    return list(session.exec(select(VoteOption).where(VoteOption.vote_id == vote_id)
                             .order_by(VoteOption.position, VoteOption.id)))


def option_rules(session: Session, vote_id: int) -> list[rules.OptionRule]:
    return [rules.OptionRule(o.id, o.cost) for o in options_of(session, vote_id)]


def check_choice(session: Session, vote_id: int, chosen: list) -> tuple[int, ...]:
    """The review screen's check: the very function casting uses (``rules.validate_choice``)."""
    vote = public_vote(session, vote_id)
    return rules.validate_choice(vote.kind, option_rules(session, vote.id), chosen,
                                 max_choices=vote.max_choices, budget_total=vote.budget_total)


def list_votes(session: Session, *, now: datetime, include_drafts: bool = False) -> list[tuple[Vote, str]]:
    """Votes with their effective status: open first, then upcoming, then past."""
    query = select(Vote)
    if not include_drafts:
        query = query.where(Vote.status.in_(PUBLIC_STATUSES))
    rank = {"open": 0, "scheduled": 1, "draft": 2, "closed": 3, "published": 4}
    rows = [(vote, status_of(vote, now)) for vote in session.exec(query)]
    return sorted(rows, key=lambda r: (rank[r[1]], -(r[0].id or 0)))


def public_vote(session: Session, vote_id: object, *, staff: bool = False) -> Vote:
    """A vote residents may see (drafts only for staff); NotFound otherwise."""
    try:
        vid = int(vote_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        vid = -1
    if not 0 < vid <= MAX_ID:  # from a URL: anything but a row's id is simply not found
        raise NotFound("voting.errors.not_found")
    vote = get_vote(session, vid)
    if vote.status == "draft" and not staff:
        raise NotFound("voting.errors.not_found")
    return vote


def has_voted(session: Session, actor: Actor, vote_id: int) -> bool:
    return session.exec(select(VoteParticipation.id).where(
        VoteParticipation.vote_id == vote_id, VoteParticipation.voter_key == voter_key(actor, vote_id))).first() is not None


def ineligibility_for(session: Session, actor: Actor | None, vote: Vote, *, now: datetime) -> str | None:
    """The exact reason ``actor`` cannot vote in ``vote`` now (None: they can)."""
    status = status_of(vote, now)
    if actor is None or not actor.taxid_hmac:
        facts = rules.VoterFacts(logged_in=False)
    else:
        row = session.exec(select(VoterRollEntry.id, VoterRollEntry.municipal_unit).where(
            VoterRollEntry.roll_id == vote.roll_id, VoterRollEntry.taxid_hmac == actor.taxid_hmac)).first()
        facts = rules.VoterFacts(logged_in=True, on_roll=row is not None, unit=row[1] if row else None,
                                 birth_year=actor.birth_year, already_voted=has_voted(session, actor, vote.id))
    return rules.ineligibility(facts, status=status, vote_unit=vote.municipal_unit, min_age=vote.min_age, now=now)


@dataclass
class UnitTurnout:
    unit: str
    participations: int
    roll_size: int


@dataclass
class Turnout:
    participations: int
    roll_size: int
    by_unit: list[UnitTurnout] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return rules.percent(self.participations, self.roll_size)


def turnout(session: Session, vote: Vote) -> Turnout:
    """Participations over the roll (restricted to the vote's unit), per unit.

    The roll does not know ages, so the denominator counts every entry of the
    roll in the vote's area, including any too young to vote.
    """
    roll_query = select(VoterRollEntry.municipal_unit, func.count()).where(VoterRollEntry.roll_id == vote.roll_id)
    if vote.municipal_unit:
        roll_query = roll_query.where(VoterRollEntry.municipal_unit == vote.municipal_unit)
    roll = {unit: n for unit, n in session.exec(roll_query.group_by(VoterRollEntry.municipal_unit)).all()}
    voted = {unit: n for unit, n in session.exec(
        select(VoteParticipation.municipal_unit, func.count()).where(VoteParticipation.vote_id == vote.id)
        .group_by(VoteParticipation.municipal_unit)).all()}
    units = sorted({u for u in [*roll, *voted] if u}, key=str)
    by_unit = [UnitTurnout(u, voted.get(u, 0), roll.get(u, 0)) for u in units]
    return Turnout(sum(voted.values()), sum(roll.values()), by_unit)


def compute_results(session: Session, vote: Vote) -> dict:
    """The tally of a vote as ``rules.build_results`` writes it (published, or shown to staff once closed)."""
    options = options_of(session, vote.id)
    counted = turnout(session, vote)
    if vote.encrypted:  # counts only from k trustees' verified partial decryptions
        counts = encrypted_counts(session, vote)
        ballots = session.exec(select(func.count()).select_from(EncryptedBallot)
                               .where(EncryptedBallot.vote_id == vote.id)).one()
    else:
        choices = (rules.decode_choice(c) for c in session.exec(select(Ballot.choice).where(Ballot.vote_id == vote.id)))
        counts, ballots = rules.tally([o.id for o in options], choices)
    return rules.results_from_counts(
        vote_id=vote.id, kind=vote.kind,
        options=[{"id": o.id, "title": o.title, "cost": o.cost} for o in options],
        counts=counts, ballots=ballots, participations=counted.participations, roll_size=counted.roll_size,
        turnout_by_unit=[{"unit": u.unit, "participations": u.participations, "roll_size": u.roll_size,
                          "turnout_percent": rules.percent(u.participations, u.roll_size)} for u in counted.by_unit],
        budget_total=vote.budget_total,
    )


def published_results(session: Session, vote_id: object) -> tuple[Vote, dict]:
    vote = public_vote(session, vote_id)
    if vote.status != "published" or not vote.results_json:
        raise PermissionDenied("voting.errors.not_published")
    return vote, json.loads(vote.results_json)


def published_ballots_csv(session: Session, vote_id: object) -> str:
    """Plaintext votes only: an encrypted vote publishes its record instead (no choice per ballot)."""
    vote, _ = published_results(session, vote_id)
    if vote.encrypted:
        raise NotFound("voting.errors.not_found")
    option_ids = [o.id for o in options_of(session, vote.id)]
    rows = session.exec(select(Ballot.tracker, Ballot.choice).where(Ballot.vote_id == vote.id)).all()
    return rules.ballots_csv(option_ids, [(r[0], r[1]) for r in rows])


def find_tracker(session: Session, vote_id: object, raw_tracker: str) -> tuple[str, list[str]] | None:
    """The tracker (normalised) and the titles it chose, if it is in the published list."""
    vote, _ = published_results(session, vote_id)
    tracker = rules.normalise_tracker(raw_tracker)
    if not tracker:
        return None
    choice = session.exec(select(Ballot.choice).where(Ballot.vote_id == vote.id, Ballot.tracker == tracker)).first()
    if choice is None:
        return None
    titles = {o.id: o.title for o in options_of(session, vote.id)}
    return tracker, [titles.get(i, str(i)) for i in rules.decode_choice(choice)]


@dataclass
class MyParticipation:
    vote_id: int
    title: str
    status: str
    voted_on: date  # the day of the cast
    tracker: str  # "" when the seal cannot be opened (e.g. the server secret changed)
    encrypted: bool = False  # then nothing is kept that leads to the ballot: no tracker to show


def my_participations(session: Session, actor: Actor, *, now: datetime) -> list[MyParticipation]:
    """The votes ``actor`` took part in (found via their per-vote HMAC) — never what they chose."""
    out: list[MyParticipation] = []
    votes = session.exec(select(Vote).where(Vote.status != "draft").order_by(Vote.id.desc())).all()
    keys = {voter_key(actor, v.id): v for v in votes}
    if not keys:
        return out
    rows = session.exec(select(VoteParticipation).where(VoteParticipation.voter_key.in_(list(keys)))).all()
    for row in rows:
        vote = keys.get(row.voter_key)
        if vote is None or vote.id != row.vote_id:
            continue
        tracker = "" if not row.sealed_tracker else (
            sealing.unseal(row.sealed_tracker, vote_id=vote.id, person_taxid_hmac=actor.taxid_hmac) or "")
        out.append(MyParticipation(vote.id, vote.title, status_of(vote, now), row.voted_on, tracker, vote.encrypted))
    return sorted(out, key=lambda p: -p.vote_id)


def document_of(session: Session, vote_id: object, *, staff: bool = False) -> VoteDocument:
    vote = public_vote(session, vote_id, staff=staff)
    document = session.get(VoteDocument, vote.id)
    if document is None:
        raise NotFound("voting.errors.not_found")
    return document


def has_document(session: Session, vote_id: int) -> bool:
    return session.exec(select(VoteDocument.vote_id).where(VoteDocument.vote_id == vote_id)).first() is not None


def rolls(session: Session) -> list[tuple[VoterRoll, int]]:
    """Every voter roll with its number of entries, by name."""
    sizes = dict(session.exec(select(VoterRollEntry.roll_id, func.count()).group_by(VoterRollEntry.roll_id)).all())
    return [(roll, sizes.get(roll.id, 0)) for roll in session.exec(select(VoterRoll).order_by(VoterRoll.name))]


def open_now(session: Session, now: datetime) -> list[OpenItem]:
    """Home page provider: votes open now."""
    items = []
    for vote, status in list_votes(session, now=now):
        if status == "open":
            items.append(OpenItem(kind_key="voting.kind_label", title=vote.title, url=f"/votes/{vote.id}",
                                  closes_at=as_utc(vote.closes_at) if vote.closes_at else None))
    return items



# --- encrypted votes (issue 12) ------------------------------------------------------------


def trusteeships(session: Session, person_id: int) -> list[tuple[int, str]]:
    """(vote id, title) of the unpublished encrypted votes this person is a trustee of."""
    rows = session.exec(select(Vote.id, Vote.title).join(VoteTrustee, VoteTrustee.vote_id == Vote.id)
                        .where(VoteTrustee.person_id == person_id, Vote.encrypted.is_(True),
                               Vote.status != "published").order_by(Vote.id))
    return [(vote_id, title) for vote_id, title in rows]


def trustees_of(session: Session, vote_id: int) -> list[VoteTrustee]:
    return list(session.exec(select(VoteTrustee).where(VoteTrustee.vote_id == vote_id).order_by(VoteTrustee.index)))


def bare_election(session: Session, vote: Vote) -> crypto_ballot.Election:
    """The vote's parameters as the proofs see them (no key yet)."""
    options = options_of(session, vote.id)
    return crypto_ballot.Election(
        vote_id=vote.id, kind=vote.kind, option_ids=tuple(o.id for o in options),
        costs=tuple(o.cost or 0 for o in options) if vote.kind == "budget" else (),
        max_choices=vote.max_choices, budget_total=vote.budget_total,
        threshold=vote.trustee_threshold or 1, trustees=max(1, len(trustees_of(session, vote.id))))


def election_key_is_current(session: Session, vote: Vote) -> bool:
    """Every trustee posted commitments for exactly the vote's present parameters."""
    if not vote.election_json:
        return False
    try:
        return json.loads(vote.election_json)["context"] == bare_election(session, vote).context.hex()
    except ValueError:
        return False


def election_of(vote: Vote) -> crypto_ballot.Election:
    if not vote.encrypted or not vote.election_json:
        raise NotFound("voting.errors.not_found")
    return crypto_record.election_of(json.loads(vote.election_json))


def board(session: Session, vote_id: object) -> list[str]:
    """Fingerprints of every cast encrypted ballot (public once casting has started), sorted."""
    vote = public_vote(session, vote_id)
    if not vote.encrypted or vote.status == "draft":
        return []
    return list(session.exec(select(EncryptedBallot.fingerprint).where(EncryptedBallot.vote_id == vote.id)
                             .order_by(EncryptedBallot.fingerprint)))


def spoiled_fingerprints(session: Session, vote_id: int) -> list[str]:
    """Fingerprints of the audited (opened, never counted) ballots, sorted."""
    return list(session.exec(select(SpoiledBallot.fingerprint).where(SpoiledBallot.vote_id == vote_id)
                             .order_by(SpoiledBallot.fingerprint)))


def receipt_on_board(session: Session, vote_id: object, raw_receipt: str) -> bool:
    """Whether a receipt (the first 80 bits of a fingerprint) is on the board. Says nothing else."""
    receipt = rules.normalise_tracker(raw_receipt)
    if not receipt:
        return False
    return any(crypto_ballot.receipt(fp) == receipt for fp in board(session, vote_id))


def fingerprint_known(session: Session, vote_id: int, fingerprint: str, *, spoiled: bool) -> bool:
    """Whether this fingerprint is among the vote's spoiled (or else its cast) ballots."""
    table = SpoiledBallot if spoiled else EncryptedBallot
    return session.exec(select(table.id).where(table.vote_id == vote_id, table.fingerprint == fingerprint)).first() \
        is not None


def cast_encrypted_ballots(session: Session, vote_id: int) -> list[dict]:
    rows = session.exec(select(EncryptedBallot.ballot).where(EncryptedBallot.vote_id == vote_id)
                        .order_by(EncryptedBallot.fingerprint))
    return [json.loads(b) for b in rows]


def has_encrypted_ballots(session: Session, vote_id: int) -> bool:
    return session.exec(select(EncryptedBallot.id).where(EncryptedBallot.vote_id == vote_id).limit(1)).first() is not None


def encrypted_counts(session: Session, vote: Vote) -> dict[int, int]:
    """Counts per option from the trustees' posted partial decryptions (at least k), verified."""
    election = election_of(vote)
    ballots = cast_encrypted_ballots(session, vote.id)
    if ballots and not trustees_have_decrypted(session, vote):  # no ballot: 0 each, nothing to decrypt
        raise PermissionDenied("voting.errors.trustees_missing", k=election.threshold)
    partials = posted_partials(session, vote.id, election)
    tally = crypto_record.tally_file(election, ballots, partials)
    return {o["id"]: o["votes"] for o in tally["options"]}


def trustees_have_decrypted(session: Session, vote: Vote) -> bool:
    return sum(1 for t in trustees_of(session, vote.id) if t.partials) >= (vote.trustee_threshold or 1)


def posted_partials(session: Session, vote_id: int,
                    election: crypto_ballot.Election) -> dict[int, list[crypto_threshold.PartialDecryption]]:
    """Per option id, the partial decryptions the trustees posted (each checked when posted)."""
    posted = [json.loads(t.partials) for t in trustees_of(session, vote_id) if t.partials]
    return {oid: [crypto_threshold.PartialDecryption.from_json(p[str(oid)]) for p in posted]
            for oid in election.option_ids}


def election_record(session: Session, vote_id: object) -> dict:
    """The published election record's files (RECORD.md)."""
    vote, results = published_results(session, vote_id)
    if not vote.encrypted:
        raise NotFound("voting.errors.not_found")
    election = election_of(vote)
    manifest = json.loads(vote.election_json)
    ballots = cast_encrypted_ballots(session, vote.id)
    partials = posted_partials(session, vote.id, election)
    spoiled = [json.loads(a) for a in session.exec(select(SpoiledBallot.audit).where(SpoiledBallot.vote_id == vote.id)
                                                   .order_by(SpoiledBallot.fingerprint))]
    return {
        "manifest.json": manifest,
        "ballots.json": [crypto_record.board_entry(b) for b in ballots],
        "spoiled.json": spoiled,
        "tally.json": crypto_record.tally_file(election, ballots, partials),
        "results.json": results,
    }


def complaints_of(session: Session, vote_id: int, *, overdue_before: datetime | None = None
                  ) -> tuple[list[crypto_threshold.Complaint], frozenset[tuple[int, int]]]:
    """The key ceremony's complaints, each with the share its dealer revealed (or None), and the
    (dealer, complainant) of those still unanswered that were filed before ``overdue_before``."""
    rows = session.exec(select(TrusteeComplaint).where(TrusteeComplaint.vote_id == vote_id)
                        .order_by(TrusteeComplaint.dealer, TrusteeComplaint.complainant)).all()
    overdue = frozenset((r.dealer, r.complainant) for r in rows if r.share is None and overdue_before is not None
                        and as_utc(r.filed_at) <= overdue_before)
    return [crypto_threshold.Complaint(r.dealer, r.complainant,
                                       None if r.share is None else crypto_group.decode_scalar(r.share))
            for r in rows], overdue


@dataclass(frozen=True)
class Ceremony:
    """Where a vote's key ceremony stands (derived from the public rows only). ``silent``: the
    (dealer, complainant) of unanswered complaints past the answer time — their dealers count as
    disqualified, no longer as pending (only when staff complete the key, see ``ceremony``)."""

    threshold: int
    trustees: int
    dealers: dict[int, crypto_threshold.TrusteeCommitments]
    complaints: list[crypto_threshold.Complaint]
    silent: frozenset[tuple[int, int]] = frozenset()

    @property
    def overdue(self) -> list[crypto_threshold.Complaint]:
        return [c for c in self.complaints if c.share is None and (c.dealer, c.complainant) in self.silent]

    @property
    def pending(self) -> list[crypto_threshold.Complaint]:
        return [c for c in self.complaints if c.share is None and (c.dealer, c.complainant) not in self.silent]

    @property
    def disqualified(self) -> set[int]:
        """Dealers whose revealed share does not match, or who stayed silent past the answer time."""
        return {c.dealer for c in self.complaints
                if c.share is not None and not crypto_threshold.answered(c, self.dealers[c.dealer])} | {
                    c.dealer for c in self.overdue}

    @property
    def qualified(self) -> list[int]:
        return sorted(set(self.dealers) - self.disqualified)

    @property
    def can_complete(self) -> bool:
        return not self.pending and len(self.qualified) >= self.threshold

    @property
    def complete_by_itself(self) -> bool:
        """All n dealt, no complaint waits, nobody disqualified: the key is fixed without staff."""
        return not self.pending and not self.overdue and len(self.qualified) == self.trustees


def ceremony_of(session: Session, vote: Vote, rows: list[VoteTrustee] | None = None, *,
                now: datetime | None = None) -> Ceremony:
    """The key ceremony of an encrypted vote: dealers, complaints, QUAL (see ``ceremony``); with
    ``now``, complaints unanswered for ``rules.COMPLAINT_ANSWER_TIME`` count as disqualifying."""
    rows = trustees_of(session, vote.id) if rows is None else rows
    dealers = {t.index: crypto_threshold.TrusteeCommitments.from_json(json.loads(t.commitments))
               for t in rows if t.commitments}
    complaints, silent = complaints_of(
        session, vote.id, overdue_before=None if now is None else as_utc(now) - rules.COMPLAINT_ANSWER_TIME)
    return Ceremony(vote.trustee_threshold or 1, len(rows), dealers, complaints, silent)


def kit_complaints(session: Session, vote: Vote) -> dict:
    """The key ceremony's complaints (public), who is disqualified, and QUAL once the key is fixed
    (a dealer left out for silence past the answer time shows as disqualified once staff completed)."""
    state = ceremony_of(session, vote)
    qualified = ([t.index for t in crypto_record.qualified_commitments(json.loads(vote.election_json))]
                 if vote.election_json else None)  # a format-1 manifest (fixed before QUAL existed): everyone
    disqualified = set(state.disqualified) | (set(state.dealers) - set(qualified) if qualified is not None else set())
    out = []
    for c in state.complaints:
        status = ("disqualifying" if c.dealer in disqualified else "pending" if c.share is None else "answered")
        out.append({**c.to_json(), "status": status})
    return {"complaints": out, "qualified": qualified, "disqualified": sorted(disqualified)}


def _fold(text: str) -> str:
    """A name as the search compares it: no accents, one case ("ΜΑΡΊΑ" and "μαρια" match)."""
    decomposed = unicodedata.normalize("NFD", " ".join(text.split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def people_named(session: Session, text: str, *, limit: int = 10) -> list[tuple[int, str]]:
    """Up to ``limit`` people with an account (gov.gr; not deleted) whose name contains ``text``
    (accents and case ignored), as (person id, name), by name. Names are folded here rather than in
    SQL, which folds Greek the same way on no database; only ids and names are read."""
    from syros_app.identity.models import Person

    wanted = _fold(text)
    if len(wanted) < 2:
        return []
    rows = session.exec(select(Person.id, Person.display_name)
                        .where(Person.taxid_hmac.is_not(None), Person.deleted_at.is_(None))
                        .order_by(Person.display_name, Person.id).execution_options(yield_per=2000))
    found: list[tuple[int, str]] = []
    for person_id, name in rows:
        if wanted in _fold(name):
            found.append((person_id, name))
            if len(found) >= limit:
                break
    return sorted(found, key=lambda row: (_fold(row[1]), row[0]))


def trustee_kit(session: Session, vote_id: object) -> dict:
    """What a trustee's offline command needs (nothing secret): the parameters and context, every
    trustee's transport key, commitments and sealed shares, and once closed the per-option sums."""
    vote = public_vote(session, vote_id, staff=True)
    if not vote.encrypted:
        raise NotFound("voting.errors.not_found")
    bare = bare_election(session, vote)
    kit = {
        "vote_id": vote.id, "status": vote.status, "parameters": bare.parameters(), "context": bare.context.hex(),
        "trustees": [{"index": t.index, "name": t.name, "transport_key": t.transport_key,
                      "commitments": json.loads(t.commitments) if t.commitments else None,
                      "sealed_shares": json.loads(t.sealed_shares) if t.sealed_shares else None}
                     for t in trustees_of(session, vote.id)],
        "public_key": json.loads(vote.election_json)["public_key"] if vote.election_json else None,
        **kit_complaints(session, vote),
        "aggregates": None,
    }
    if vote.status == "closed" and vote.election_json:
        election = election_of(vote)
        sums = crypto_record.aggregates(election, cast_encrypted_ballots(session, vote.id))
        kit["aggregates"] = [{"option": o, **agg.to_json()} for o, agg in zip(election.option_ids, sums)]
    return kit


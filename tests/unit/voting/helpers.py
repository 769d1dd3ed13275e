"""Shared set-up for voting tests: rolls (inserted directly) and votes in each state."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import Session

from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import VoterRoll, VoterRollEntry
from syros_app.core.db import session_scope
from syros_app.voting import actions, encrypted, queries
from syros_app.voting.actions import OptionInput
from syros_app.voting.crypto import record as rec
from syros_app.voting.crypto import threshold as th
from tests.support.personas import TAXIDS

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


def make_roll(session: Session, members: dict[str, str | None], name: str = "Δημότες Σύρου 2026") -> VoterRoll:
    """A roll of ``{persona key or raw ΑΦΜ: municipal unit}``."""
    roll = VoterRoll(name=name, created_at=NOW, entry_count=len(members))
    session.add(roll)
    session.flush()
    for key, unit in members.items():
        taxid = TAXIDS.get(key, key)
        session.add(VoterRollEntry(roll_id=roll.id, taxid_hmac=taxid_hmac(taxid), municipal_unit=unit))
    session.commit()
    return roll


def synthetic_taxids(n: int, start: int = 50_000_000) -> list[str]:
    return [with_check_digit(str(start + i)) for i in range(n)]


def legacy_plaintext(session: Session, vote):
    """LEGACY DATA ONLY: make a fresh draft a plaintext vote, as every vote created before issue 12
    was (such published votes stay readable). No production path does this: ``create_vote`` makes
    every new vote encrypted. Tests of the plaintext paths (casting, recount, ballots.csv) use it."""
    vote.encrypted = False
    session.add(vote)
    session.flush()
    return vote


def create_legacy_plaintext_vote(session: Session, **fields):
    """``actions.create_vote`` (its checks and audit), then the row made legacy plaintext."""
    return legacy_plaintext(session, actions.create_vote(session, **fields))


def open_legacy_plaintext_vote(session: Session, staff, roll: VoterRoll, *, kind: str = "yes_no", options=None,
                               unit=None, min_age=17, max_choices=None, budget_total=None, now: datetime = NOW,
                               closes_in=timedelta(days=7)):
    """An OPEN legacy plaintext vote (see ``legacy_plaintext``)."""
    vote = create_legacy_plaintext_vote(session, actor=staff, title="Δημοψήφισμα για το Νεώριο", question="Συμφωνείτε;",
                               kind=kind, roll_id=roll.id, municipal_unit=unit, min_age=min_age,
                               max_choices=max_choices, budget_total=budget_total,
                               options=[OptionInput(*o) if isinstance(o, tuple) else OptionInput(o) for o in (options or [])],
                               now=now)
    # closes_in=None: no date the test will reach (a vote never opens without an end date)
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=now + (closes_in or timedelta(days=365)), now=now)
    session.commit()
    return vote


def option_ids(session: Session, vote_id: int) -> list[int]:
    return [o.id for o in queries.options_of(session, vote_id)]


def cast(actor, vote_id: int, choice: list[int], *, engine, core: bool = True):
    """One cast in its own transaction: a Core one (as the bench) or an ORM session
    (as the vote's page, through ``run_action``)."""
    if core:
        with engine.begin() as connection:
            return actions.cast_ballot(connection, actor=actor, vote_id=vote_id, choice=choice)
    with session_scope(engine) as session:
        return actions.cast_ballot(session, actor=actor, vote_id=vote_id, choice=choice)


class Ceremony:
    """Three trustees on their own devices: polynomials, share exchange, their secrets."""

    def __init__(self, session, vote, trustees, k):
        self.trustees = trustees
        bare = queries.bare_election(session, vote)
        self.polys = [th.TrusteePolynomial.create(i, k) for i in range(1, len(trustees) + 1)]
        self.context = bare.context
        self.secrets = {l: th.combine_shares(p.share_for(l) for p in self.polys) for l in range(1, len(trustees) + 1)}

    def post_all(self, session, vote_id, now):
        for trustee, poly in zip(self.trustees, self.polys):
            encrypted.post_commitments(session, actor=trustee, vote_id=vote_id,
                                       commitments=poly.commitments(self.context).to_json(), now=now)

    def partials(self, session, vote, index):
        election = queries.election_of(vote)
        sums = rec.aggregates(election, queries.cast_encrypted_ballots(session, vote.id))
        return {str(o): th.partial_decrypt(election.context, index, self.secrets[index], agg).to_json()
                for o, agg in zip(election.option_ids, sums)}


def encrypted_vote(session: Session, staff, roll: VoterRoll, trustees, *, k: int = 2, kind: str = "yes_no",
                   options=None, now: datetime = NOW, budget_total=None) -> tuple:
    """An open encrypted vote whose trustees held their ceremony; (vote, ceremony)."""
    vote = actions.create_vote(session, actor=staff, title="Κρυπτογραφημένο δημοψήφισμα", question="Συμφωνείτε;",
                               kind=kind, roll_id=roll.id, budget_total=budget_total, now=now,
                               options=[OptionInput(*o) if isinstance(o, tuple) else OptionInput(o)
                                        for o in (options or [])])
    encrypted.set_trustees(session, actor=staff, vote_id=vote.id, threshold=k, now=now, trustees=[
        encrypted.TrusteeInput(f"Θεματοφύλακας {i}", t.person_id) for i, t in enumerate(trustees, start=1)])
    ceremony = Ceremony(session, vote, trustees, k)
    ceremony.post_all(session, vote.id, now)
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=now + timedelta(days=7), now=now)
    session.commit()
    return vote, ceremony


"""A whole election run in one process: for the demo data, the tests and the bench.

In real use each trustee runs ``TrusteePolynomial`` and ``partial_decrypt`` on
their own device and only the published values meet; here one function plays
every part, which is only acceptable for demonstration data.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from syros_app.voting.rules import results_from_counts

from . import ballot as bl
from . import record as rec
from . import threshold as th


@dataclasses.dataclass
class Trustees:
    election: bl.Election
    names: list[str]
    commitments: list[th.TrusteeCommitments]
    secrets: dict[int, int]

    def record_trustees(self) -> list[rec.Trustee]:
        return [rec.Trustee(n, c) for n, c in zip(self.names, self.commitments)]


def key_ceremony(bare: bl.Election, names: Sequence[str]) -> Trustees:
    """Every trustee's polynomial, commitments and share exchange; the election with its key."""
    polys = [th.TrusteePolynomial.create(i, bare.threshold) for i in range(1, bare.trustees + 1)]
    commitments = [p.commitments(bare.context) for p in polys]
    secrets = {}
    for l in range(1, bare.trustees + 1):
        received = [p.share_for(l) for p in polys]
        if not all(th.share_is_valid(s, l, c.commitments) for s, c in zip(received, commitments)):
            raise ValueError("a share does not match its commitments")
        secrets[l] = th.combine_shares(received)
    election = dataclasses.replace(bare, public_key=th.joint_public_key(commitments))
    return Trustees(election, list(names), commitments, secrets)


def decrypt_tally(trustees: Trustees, ballots: Sequence[dict], who: Sequence[int]) -> dict:
    """tally.json with the partial decryptions of the trustees ``who``."""
    election, ctx = trustees.election, trustees.election.context
    partials = {
        option_id: [th.partial_decrypt(ctx, l, trustees.secrets[l], agg) for l in who]
        for option_id, agg in zip(election.option_ids, rec.aggregates(election, ballots))
    }
    return rec.tally_file(election, ballots, partials)


def full_record(trustees: Trustees, *, title: str, question: str, option_titles: Sequence[str],
                choices: Sequence[Sequence[int]], audited: Sequence[Sequence[int]] = (), who: Sequence[int] = (),
                roll_size: int | None = None) -> dict:
    """Every file of a published record for these plaintext choices (0/1 per option)."""
    election = trustees.election
    cast = [bl.encrypt_ballot(election, c).ballot for c in choices]
    spoiled = [{"fingerprint": bl.fingerprint(a.ballot), **a.audit()}
               for a in (bl.encrypt_ballot(election, c) for c in audited)]
    tally = decrypt_tally(trustees, cast, who or list(range(1, election.threshold + 1)))
    counts = {o["id"]: o["votes"] for o in tally["options"]}
    options = [{"id": i, "title": t, "cost": (election.costs[n] if election.kind == "budget" else None)}
               for n, (i, t) in enumerate(zip(election.option_ids, option_titles))]
    results = results_from_counts(vote_id=election.vote_id, kind=election.kind, options=options, counts=counts,
                                  ballots=len(cast), participations=len(cast), roll_size=roll_size or len(cast),
                                  budget_total=election.budget_total)
    return {
        "manifest.json": rec.manifest(election, title=title, question=question, option_titles=option_titles,
                                      trustees=trustees.record_trustees()),
        "ballots.json": sorted((rec.board_entry(b) for b in cast), key=lambda e: e["fingerprint"]),
        "spoiled.json": spoiled,
        "tally.json": tally,
        "results.json": results,
    }

"""Encrypted ballots for the four kinds of vote: what a ballot holds and how it is checked.

A ballot encrypts one selection s_i ∈ {0, 1} per option, in the options' order,
each with a 0/1 proof. Then:

* the sum of the selections is proven to be an allowed count: exactly 1 for
  yes/no and single choice, 1..k for multiple choice, 1..n for a budget;
* for a budget, with u = gcd(all costs, total), w_i = cost_i / u, T = total / u:
  the ciphertext D = Enc(T) − Σ w_i·C_i encrypts the slack T − Σ w_i·s_i. The
  ballot carries b = bitlen(T) ciphertexts of the slack's bits, each with a 0/1
  proof, and a proof that D − Σ 2^j·E_j encrypts 0: so the slack lies in
  [0, 2^b) and cannot be a "negative" number mod ℓ, i.e. the cost is within the
  total.

The fingerprint of a ballot is SHA-256 over its canonical JSON (RECORD.md);
the receipt a voter keeps is its first 80 bits written like the old trackers.
Nothing in it says what was chosen.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from math import gcd
from typing import Mapping, Sequence

from . import group as g
from . import proofs as pf

TAG_SELECTION = "syros-agora/v1/selection"
TAG_COUNT = "syros-agora/v1/count"
TAG_BIT = "syros-agora/v1/budget-bit"
TAG_BUDGET = "syros-agora/v1/budget-sum"
KINDS = ("yes_no", "single", "multiple", "budget")


def canonical_json(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Election:
    """The public parameters every proof is bound to (RECORD.md § manifest.json)."""

    vote_id: int
    kind: str
    option_ids: tuple[int, ...]
    costs: tuple[int, ...] = ()
    max_choices: int | None = None
    budget_total: int | None = None
    threshold: int = 1
    trustees: int = 1
    public_key: bytes = field(default=g.IDENTITY)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if not self.option_ids:
            raise ValueError("a vote needs options")
        if self.kind == "budget" and (len(self.costs) != len(self.option_ids) or self.budget_total is None
                                      or any(c < 0 for c in self.costs) or self.budget_total < 0):
            raise ValueError("a budget needs a cost per project and a total")
        if not 1 <= self.threshold <= self.trustees:
            raise ValueError("need 1 ≤ k ≤ n")

    def parameters(self) -> dict:
        return {
            "vote_id": self.vote_id,
            "kind": self.kind,
            "options": list(self.option_ids),
            "costs": list(self.costs) if self.kind == "budget" else None,
            "max_choices": self.max_choices if self.kind == "multiple" else None,
            "budget_total": self.budget_total if self.kind == "budget" else None,
            "threshold": self.threshold,
            "trustees": self.trustees,
            "group": g.GROUP_NAME,
        }

    @property
    def context(self) -> bytes:
        """SHA-256 of the canonical JSON of ``parameters()``: binds every proof to this election."""
        return hashlib.sha256(b"syros-agora/v1/election\x00" + canonical_json(self.parameters())).digest()

    def allowed_counts(self) -> list[int]:
        n = len(self.option_ids)
        if self.kind in ("yes_no", "single"):
            return [1]
        if self.kind == "multiple":
            return list(range(1, min(self.max_choices or n, n) + 1))
        return list(range(1, n + 1))

    def budget_units(self) -> tuple[list[int], int, int]:
        """(weights w_i, T, bits b) of the budget range proof."""
        unit = 0
        for c in (*self.costs, self.budget_total or 0):
            unit = gcd(unit, c)
        unit = unit or 1
        total = (self.budget_total or 0) // unit
        return [c // unit for c in self.costs], total, max(1, total.bit_length())

    def check_choice(self, selections: Sequence[int]) -> None:
        """The plaintext rules the proofs enforce (used for audited ballots and when encrypting)."""
        if len(selections) != len(self.option_ids) or any(s not in (0, 1) for s in selections):
            raise ValueError("one 0/1 selection per option")
        if sum(selections) not in self.allowed_counts():
            raise ValueError("wrong number of selections")
        if self.kind == "budget":
            if sum(c for c, s in zip(self.costs, selections) if s) > (self.budget_total or 0):
                raise ValueError("over budget")


@dataclass
class Encrypted:
    """A ballot as the voter's device holds it before casting: the public ballot and its secrets."""

    ballot: dict
    selections: list[int]
    nonces: list[int]

    def audit(self) -> dict:
        """What a Benaloh challenge reveals: the ballot with each selection's plaintext and randomness."""
        return {
            "ballot": self.ballot,
            "revealed": [{"selection": s, "nonce": g.encode_scalar(r)} for s, r in zip(self.selections, self.nonces)],
        }


def encrypt_ballot(election: Election, selections: Sequence[int]) -> Encrypted:
    election.check_choice(selections)
    h, ctx = election.public_key, election.context
    nonces = [g.random_scalar() for _ in selections]
    cts = [pf.encrypt(h, s, r) for s, r in zip(selections, nonces)]
    ballot: dict = {
        "selections": [
            {**ct.to_json(), "proof": pf.prove_in_set(_sel_tag(i), ctx, h, ct, r, s, (0, 1)).to_json()}
            for i, (ct, s, r) in enumerate(zip(cts, selections, nonces))
        ],
    }
    count_ct = pf.combine(cts)
    ballot["count_proof"] = pf.prove_in_set(
        TAG_COUNT, ctx, h, count_ct, sum(nonces) % g.ORDER, sum(selections), election.allowed_counts()
    ).to_json()
    if election.kind == "budget":
        weights, total, bits = election.budget_units()
        slack = total - sum(w * s for w, s in zip(weights, selections))
        slack_r = -sum(w * r for w, r in zip(weights, nonces)) % g.ORDER
        bit_nonces = [g.random_scalar() for _ in range(bits)]
        bit_values = [(slack >> j) & 1 for j in range(bits)]
        bit_cts = [pf.encrypt(h, b, t) for b, t in zip(bit_values, bit_nonces)]
        rest_r = (slack_r - sum((1 << j) * t for j, t in enumerate(bit_nonces))) % g.ORDER
        rest = _slack(election, cts) - _weighted_bits(bit_cts)
        ballot["budget"] = {
            "bits": [
                {**ct.to_json(), "proof": pf.prove_in_set(f"{TAG_BIT}/{j}", ctx, h, ct, t, b, (0, 1)).to_json()}
                for j, (ct, b, t) in enumerate(zip(bit_cts, bit_values, bit_nonces))
            ],
            "proof": pf.prove_in_set(TAG_BUDGET, ctx, h, rest, rest_r, 0, (0,)).to_json(),
        }
    return Encrypted(ballot, list(selections), nonces)


def _sel_tag(i: int) -> str:
    return f"{TAG_SELECTION}/{i}"


def _slack(election: Election, cts: Sequence[pf.Ciphertext]) -> pf.Ciphertext:
    weights, total, _ = election.budget_units()
    spent = pf.combine([ct.scale(w) for ct, w in zip(cts, weights)])
    return pf.Ciphertext(g.IDENTITY, g.base(total)) - spent


def _weighted_bits(bit_cts: Sequence[pf.Ciphertext]) -> pf.Ciphertext:
    return pf.combine([ct.scale(1 << j) for j, ct in enumerate(bit_cts)])


def selection_ciphertexts(ballot: Mapping) -> list[pf.Ciphertext]:
    return [pf.Ciphertext.from_json(s) for s in ballot["selections"]]


def verify_ballot(election: Election, ballot: object) -> list[pf.Ciphertext]:
    """Check every proof of a cast ballot; return its selection ciphertexts. Raises ``ProofError``."""
    try:
        return _verify_ballot(election, ballot)
    except (g.GroupError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, pf.ProofError):
            raise
        raise pf.ProofError(f"malformed ballot: {exc}") from None


def _verify_ballot(election: Election, ballot: object) -> list[pf.Ciphertext]:
    if not isinstance(ballot, dict):
        raise pf.ProofError("malformed ballot: not an object")
    expected = {"selections", "count_proof"} | ({"budget"} if election.kind == "budget" else set())
    if set(ballot) != expected:
        raise pf.ProofError(f"malformed ballot: fields {sorted(ballot)}")
    h, ctx = election.public_key, election.context
    if not isinstance(ballot["selections"], list) or len(ballot["selections"]) != len(election.option_ids):
        raise pf.ProofError("malformed ballot: one selection per option expected")
    _exact_shape(ballot)
    cts = selection_ciphertexts(ballot)
    for i, (ct, sel) in enumerate(zip(cts, ballot["selections"])):
        pf.verify_in_set(_sel_tag(i), ctx, h, ct, (0, 1), pf.Proof.from_json(sel["proof"]))
    pf.verify_in_set(TAG_COUNT, ctx, h, pf.combine(cts), election.allowed_counts(), pf.Proof.from_json(ballot["count_proof"]))
    if election.kind == "budget":
        budget = ballot["budget"]
        _, _, bits = election.budget_units()
        if not isinstance(budget, dict) or not isinstance(budget.get("bits"), list) or len(budget["bits"]) != bits:
            raise pf.ProofError(f"malformed ballot: {bits} budget bits expected")
        bit_cts = [pf.Ciphertext.from_json(b) for b in budget["bits"]]
        for j, (ct, b) in enumerate(zip(bit_cts, budget["bits"])):
            pf.verify_in_set(f"{TAG_BIT}/{j}", ctx, h, ct, (0, 1), pf.Proof.from_json(b["proof"]))
        rest = _slack(election, cts) - _weighted_bits(bit_cts)
        pf.verify_in_set(TAG_BUDGET, ctx, h, rest, (0,), pf.Proof.from_json(budget["proof"]))
    return cts


_ENCRYPTED = {"alpha", "beta", "proof"}
_PROOF = {"c", "z"}


def _exact_shape(ballot: dict) -> None:
    """No field beyond the format's, anywhere: a ballot has one spelling, so one fingerprint."""
    items = list(ballot["selections"])
    proofs = [ballot["count_proof"]]
    if "budget" in ballot:
        budget = ballot["budget"]
        if not isinstance(budget, dict) or set(budget) != {"bits", "proof"} or not isinstance(budget["bits"], list):
            raise pf.ProofError("malformed ballot: budget")
        items += budget["bits"]
        proofs.append(budget["proof"])
    for item in items:
        if not isinstance(item, dict) or set(item) != _ENCRYPTED:
            raise pf.ProofError("malformed ballot: an encrypted selection has other fields")
        proofs.append(item["proof"])
    if any(not isinstance(p, dict) or set(p) != _PROOF for p in proofs):
        raise pf.ProofError("malformed ballot: a proof has other fields")


def verify_audit(election: Election, audited: Mapping) -> list[int]:
    """A spoiled ballot: its proofs hold and each selection is Enc(s_i; r_i) as revealed. Returns the selections."""
    cts = verify_ballot(election, audited["ballot"])
    revealed = audited["revealed"]
    if not isinstance(revealed, list) or len(revealed) != len(cts):
        raise pf.ProofError("spoiled ballot: one revealed selection per option expected")
    selections = []
    for ct, item in zip(cts, revealed):
        s, r = int(item["selection"]), g.decode_scalar(item["nonce"])
        if s not in (0, 1) or pf.encrypt(election.public_key, s, r) != ct:
            raise pf.ProofError("spoiled ballot: the revealed choice does not match its encryption")
        selections.append(s)
    return selections


def fingerprint(ballot: Mapping) -> str:
    """SHA-256 (hex) of the ballot's canonical JSON."""
    return hashlib.sha256(canonical_json(ballot)).hexdigest()


def receipt(fingerprint_hex: str) -> str:
    """The first 80 bits of the fingerprint as 4 groups of 4 Crockford base32 characters."""
    from syros_app.voting.rules import tracker_text

    return tracker_text(int(fingerprint_hex[:20], 16))

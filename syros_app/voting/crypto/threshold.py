"""k-of-n trustees: Pedersen's distributed key generation with Feldman commitments.

No dealer, and never one place that holds the election secret:

1. Each trustee i (numbered 1..n) picks a random polynomial f_i of degree k−1 on
   their own device and publishes commitments F_{i,j} = a_{i,j}·G to its
   coefficients, each with a Schnorr proof of knowledge (bound to the election
   context and to i, j, so nobody can copy another trustee's commitments).
2. Trustee i gives every trustee l the share f_i(l), encrypted to l (only l can
   read it); l checks f_i(l)·G = Σ_j l^j·F_{i,j} and complains publicly if not.
3. Trustee l's secret is x_l = Σ_i f_i(l). Anyone can compute its public share
   X_l = x_l·G = Σ_i Σ_j l^j·F_{i,j} from the published commitments, and the
   election key H = Σ_i F_{i,0}. The election secret x = Σ_i a_{i,0} = Σ_l λ_l·x_l
   exists only as k trustees' shares combined; with k−1 shares every value of x
   is equally likely (Shamir).
   With complaints (``Complaint``): a dealer a trustee complained about must reveal
   the share publicly; a dealer whose revealed share does not match its commitments
   (or who never answers) is disqualified. Only the qualified set QUAL counts:
   H = Σ_{i∈QUAL} F_{i,0}, x_l = Σ_{i∈QUAL} f_i(l), X_l from QUAL's commitments.
4. To decrypt an aggregate (A, B), each of at least k trustees posts D_l = x_l·A
   with a Chaum–Pedersen proof that log_G X_l = log_A D_l; anyone combines
   x·A = Σ λ_l·D_l (Lagrange at 0 over the trustees that took part) and finds m
   from B − x·A = m·G by baby-step giant-step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from . import group as g
from . import proofs as pf

TAG_COEFFICIENT = "syros-agora/v1/trustee-coefficient"
TAG_PARTIAL = "syros-agora/v1/partial-decryption"


@dataclass(frozen=True)
class TrusteeCommitments:
    index: int
    commitments: tuple[bytes, ...]
    proofs: tuple[pf.Proof, ...]

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "commitments": [c.hex() for c in self.commitments],
            "proofs": [p.to_json() for p in self.proofs],
        }

    @classmethod
    def from_json(cls, data: Mapping) -> "TrusteeCommitments":
        return cls(
            int(data["index"]),
            tuple(g.decode_point(c) for c in data["commitments"]),
            tuple(pf.Proof.from_json(p) for p in data["proofs"]),
        )


@dataclass
class TrusteePolynomial:
    """What trustee ``index`` keeps on their device until the shares are handed out."""

    index: int
    coefficients: list[int]

    @classmethod
    def create(cls, index: int, threshold: int) -> "TrusteePolynomial":
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        return cls(index, [g.random_scalar() for _ in range(threshold)])

    def share_for(self, recipient: int) -> int:
        return evaluate(self.coefficients, recipient)

    def commitments(self, context: bytes) -> TrusteeCommitments:
        points = tuple(g.base(a) for a in self.coefficients)
        proofs = tuple(
            pf.prove_knowledge(_coefficient_tag(self.index, j), context, a) for j, a in enumerate(self.coefficients)
        )
        return TrusteeCommitments(self.index, points, proofs)


def _coefficient_tag(index: int, j: int) -> str:
    return f"{TAG_COEFFICIENT}/{index}/{j}"


def evaluate(coefficients: Sequence[int], x: int) -> int:
    acc = 0
    for a in reversed(coefficients):
        acc = (acc * x + a) % g.ORDER
    return acc


def verify_commitments(context: bytes, published: TrusteeCommitments, threshold: int) -> None:
    if len(published.commitments) != threshold or len(published.proofs) != threshold:
        raise pf.ProofError(f"trustee {published.index}: {threshold} commitments expected")
    for j, (point, proof) in enumerate(zip(published.commitments, published.proofs)):
        pf.verify_knowledge(_coefficient_tag(published.index, j), context, point, proof)


def committed_value(commitments: Sequence[bytes], x: int) -> bytes:
    """Σ_j x^j·F_j: f(x)·G as the commitments fix it."""
    return g.total(g.mul(pow(x, j, g.ORDER), f) for j, f in enumerate(commitments))


def share_is_valid(share: int, recipient: int, commitments: Sequence[bytes]) -> bool:
    return g.base(share) == committed_value(commitments, recipient)


def public_share(all_commitments: Iterable[TrusteeCommitments], index: int) -> bytes:
    """X_l = x_l·G, from the published commitments alone."""
    return g.total(committed_value(t.commitments, index) for t in all_commitments)


def joint_public_key(all_commitments: Iterable[TrusteeCommitments]) -> bytes:
    return g.total(t.commitments[0] for t in all_commitments)


@dataclass(frozen=True)
class Complaint:
    """Trustee ``complainant`` says the share ``dealer`` sealed to it does not match the dealer's
    commitments; ``share`` is f_dealer(complainant) as the dealer revealed it (None: no answer yet)."""

    dealer: int
    complainant: int
    share: int | None = None

    def to_json(self) -> dict:
        return {"dealer": self.dealer, "complainant": self.complainant,
                "share": None if self.share is None else g.encode_scalar(self.share)}

    @classmethod
    def from_json(cls, data: Mapping) -> "Complaint":
        share = data.get("share")
        return cls(int(data["dealer"]), int(data["complainant"]), None if share is None else g.decode_scalar(share))


def answered(complaint: Complaint, dealer: TrusteeCommitments) -> bool:
    """The dealer revealed a share that matches its commitments."""
    return complaint.share is not None and share_is_valid(complaint.share, complaint.complainant, dealer.commitments)


def disqualified(dealers: Mapping[int, TrusteeCommitments], complaints: Iterable[Complaint]) -> set[int]:
    """Dealers with a complaint not answered by a valid revealed share."""
    return {c.dealer for c in complaints if not answered(c, dealers[c.dealer])}


def qualified(dealers: Mapping[int, TrusteeCommitments], complaints: Iterable[Complaint]) -> list[int]:
    """QUAL: the trustees who dealt, minus the disqualified ones (ascending)."""
    return sorted(set(dealers) - disqualified(dealers, complaints))


def combine_shares(received: Iterable[int]) -> int:
    """x_l from the shares f_i(l) trustee l received (their own included)."""
    return sum(received) % g.ORDER


def lagrange_at_zero(index: int, indices: Sequence[int]) -> int:
    num, den = 1, 1
    for m in indices:
        if m != index:
            num = num * m % g.ORDER
            den = den * (m - index) % g.ORDER
    return num * pow(den, -1, g.ORDER) % g.ORDER


@dataclass(frozen=True)
class PartialDecryption:
    index: int
    share: bytes  # D_l = x_l·A
    proof: pf.Proof

    def to_json(self) -> dict:
        return {"trustee": self.index, "share": self.share.hex(), "proof": self.proof.to_json()}

    @classmethod
    def from_json(cls, data: Mapping) -> "PartialDecryption":
        return cls(int(data["trustee"]), g.decode_point(data["share"]), pf.Proof.from_json(data["proof"]))


def partial_decrypt(context: bytes, index: int, secret_share: int, ct: pf.Ciphertext) -> PartialDecryption:
    d = g.mul(secret_share, ct.alpha)
    statement = (g.GENERATOR, g.base(secret_share), ct.alpha, d)
    return PartialDecryption(index, d, pf.prove_dleq(TAG_PARTIAL, context, statement, secret_share))


def verify_partial(context: bytes, public_share_point: bytes, ct: pf.Ciphertext, partial: PartialDecryption) -> None:
    statement = (g.GENERATOR, public_share_point, ct.alpha, partial.share)
    try:
        pf.verify_dleq(TAG_PARTIAL, context, statement, partial.proof)
    except pf.ProofError:
        raise pf.ProofError(f"partial decryption of trustee {partial.index} does not verify") from None


def combine_partials(ct: pf.Ciphertext, partials: Sequence[PartialDecryption], upper: int) -> int | None:
    """The plaintext in [0, upper] from partial decryptions (Lagrange at 0), or None if none fits."""
    indices = [p.index for p in partials]
    if len(set(indices)) != len(indices):
        raise ValueError("a trustee's partial decryption appears twice")
    x_alpha = g.total(g.mul(lagrange_at_zero(p.index, indices), p.share) for p in partials)
    return g.discrete_log(g.sub(ct.beta, x_alpha), upper)

"""Exponential ElGamal and its zero-knowledge proofs (non-interactive, Fiat–Shamir).

A ciphertext of m under the public key H is (α, β) = (r·G, m·G + r·H): adding
ciphertexts adds the plaintexts, which is how the tally is made without
decrypting any ballot.

Every proof here is one shape: a disjunctive Chaum–Pedersen proof (Cramer–
Damgård–Schoenmakers) that, for at least one i, log_{P_i} Q_i = log_{R_i} S_i,
over a list of statements (P_i, Q_i, R_i, S_i). One statement is a plain
Chaum–Pedersen proof (a partial decryption, "this ciphertext encrypts 0");
statements (G, α, H, β − v·G) for v in a set V say "(α, β) encrypts some v ∈ V"
(0/1 selections, "at most k", budget bits). A proof is the challenges c_i and
responses z_i; the verifier recomputes each commitment
a_i = z_i·P_i − c_i·Q_i, b_i = z_i·R_i − c_i·S_i and checks
Σ c_i = Hash(tag, context, every P_i Q_i R_i S_i a_i b_i) (mod ℓ).
The context (the election's hash, see RECORD.md) separates elections; the tag
separates kinds of proof.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from . import group as g

Statement = tuple[bytes, bytes, bytes, bytes]


class ProofError(ValueError):
    """A proof or ciphertext that does not verify."""


@dataclass(frozen=True)
class Ciphertext:
    alpha: bytes
    beta: bytes

    def __add__(self, other: "Ciphertext") -> "Ciphertext":
        return Ciphertext(g.add(self.alpha, other.alpha), g.add(self.beta, other.beta))

    def __sub__(self, other: "Ciphertext") -> "Ciphertext":
        return Ciphertext(g.sub(self.alpha, other.alpha), g.sub(self.beta, other.beta))

    def scale(self, k: int) -> "Ciphertext":
        return Ciphertext(g.mul(k, self.alpha), g.mul(k, self.beta))

    def to_json(self) -> dict:
        return {"alpha": self.alpha.hex(), "beta": self.beta.hex()}

    @classmethod
    def from_json(cls, data: object) -> "Ciphertext":
        if not isinstance(data, dict):
            raise g.GroupError("a ciphertext is an object")
        return cls(g.decode_point(data.get("alpha")), g.decode_point(data.get("beta")))


ZERO = Ciphertext(g.IDENTITY, g.IDENTITY)


def encrypt(public_key: bytes, m: int, r: int) -> Ciphertext:
    return Ciphertext(g.base(r), g.add(g.base(m), g.mul(r, public_key)))


def combine(cts: Sequence[Ciphertext]) -> Ciphertext:
    return Ciphertext(g.total(c.alpha for c in cts), g.total(c.beta for c in cts))


@dataclass(frozen=True)
class Proof:
    challenges: tuple[int, ...]
    responses: tuple[int, ...]

    def to_json(self) -> dict:
        return {"c": [g.encode_scalar(c) for c in self.challenges], "z": [g.encode_scalar(z) for z in self.responses]}

    @classmethod
    def from_json(cls, data: object) -> "Proof":
        if not isinstance(data, dict) or not isinstance(data.get("c"), list) or not isinstance(data.get("z"), list):
            raise g.GroupError("a proof is {c: [...], z: [...]}")
        return cls(tuple(g.decode_scalar(c) for c in data["c"]), tuple(g.decode_scalar(z) for z in data["z"]))


def _challenge(tag: str, context: bytes, statements: Sequence[Statement], commits: Sequence[tuple[bytes, bytes]]) -> int:
    parts: list[bytes] = []
    for (p, q, r, s), (a, b) in zip(statements, commits):
        parts += [p, q, r, s, a, b]
    return g.hash_to_scalar(tag, context, *parts)


def prove_any(tag: str, context: bytes, statements: Sequence[Statement], known: int, witness: int) -> Proof:
    """Prove the statement ``known`` (log_P Q = log_R S = witness) without saying which one."""
    n = len(statements)
    challenges = [0] * n
    responses = [0] * n
    commits: list[tuple[bytes, bytes]] = []
    w = g.random_scalar()
    for i, (p, q, r, s) in enumerate(statements):
        if i == known:
            commits.append((g.mul(w, p), g.mul(w, r)))
        else:
            challenges[i], responses[i] = g.random_scalar(), g.random_scalar()
            commits.append(_commit(p, q, r, s, challenges[i], responses[i]))
    c = _challenge(tag, context, statements, commits)
    challenges[known] = (c - sum(challenges[:known]) - sum(challenges[known + 1:])) % g.ORDER
    responses[known] = (w + challenges[known] * witness) % g.ORDER
    return Proof(tuple(challenges), tuple(responses))


def _commit(p: bytes, q: bytes, r: bytes, s: bytes, c: int, z: int) -> tuple[bytes, bytes]:
    return g.sub(g.mul(z, p), g.mul(c, q)), g.sub(g.mul(z, r), g.mul(c, s))


def verify_any(tag: str, context: bytes, statements: Sequence[Statement], proof: Proof) -> None:
    """Raise ``ProofError`` unless the proof shows one of the statements holds."""
    n = len(statements)
    if len(proof.challenges) != n or len(proof.responses) != n:
        raise ProofError(f"{tag}: proof has the wrong number of branches")
    commits = [_commit(*st, c, z) for st, c, z in zip(statements, proof.challenges, proof.responses)]
    if sum(proof.challenges) % g.ORDER != _challenge(tag, context, statements, commits):
        raise ProofError(f"{tag}: proof does not verify")


# -- the statements ---------------------------------------------------------------------------


def _value_statements(public_key: bytes, ct: Ciphertext, values: Sequence[int]) -> list[Statement]:
    return [(g.GENERATOR, ct.alpha, public_key, g.sub(ct.beta, g.base(v))) for v in values]


def prove_in_set(tag: str, context: bytes, public_key: bytes, ct: Ciphertext, r: int, m: int, values: Sequence[int]) -> Proof:
    """(α, β) = Enc(m; r) encrypts one of ``values``."""
    return prove_any(tag, context, _value_statements(public_key, ct, values), list(values).index(m), r)


def verify_in_set(tag: str, context: bytes, public_key: bytes, ct: Ciphertext, values: Sequence[int], proof: Proof) -> None:
    verify_any(tag, context, _value_statements(public_key, ct, values), proof)


def prove_dleq(tag: str, context: bytes, statement: Statement, x: int) -> Proof:
    return prove_any(tag, context, [statement], 0, x)


def verify_dleq(tag: str, context: bytes, statement: Statement, proof: Proof) -> None:
    verify_any(tag, context, [statement], proof)


def prove_knowledge(tag: str, context: bytes, secret: int) -> Proof:
    """Schnorr proof of knowledge of log_G(secret·G), as the one-statement case with R = P."""
    point = g.base(secret)
    return prove_dleq(tag, context, (g.GENERATOR, point, g.GENERATOR, point), secret)


def verify_knowledge(tag: str, context: bytes, point: bytes, proof: Proof) -> None:
    verify_dleq(tag, context, (g.GENERATOR, point, g.GENERATOR, point), proof)

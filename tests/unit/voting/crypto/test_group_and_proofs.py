"""The group, exponential ElGamal and each kind of proof: honest ones verify, wrong ones are refused."""

from __future__ import annotations

import dataclasses

import pytest

from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import group as g
from syros_app.voting.crypto import proofs as pf
from syros_app.voting.crypto import threshold as th

from .helpers import setup

SMALL_ORDER_POINT = "0000000000000000000000000000000000000000000000000000000000000000"  # order 4
NON_CANONICAL = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"  # p itself


def test_identity_is_handled_and_arithmetic_is_a_group():
    a, b = g.random_scalar(), g.random_scalar()
    assert g.add(g.base(a), g.base(b)) == g.base(a + b)
    assert g.sub(g.base(a), g.base(a)) == g.IDENTITY
    assert g.mul(0, g.GENERATOR) == g.IDENTITY
    assert g.mul(g.ORDER, g.GENERATOR) == g.IDENTITY
    assert g.mul(a, g.base(b)) == g.base(a * b)
    assert g.add(g.IDENTITY, g.base(a)) == g.base(a)


@pytest.mark.parametrize("text", [SMALL_ORDER_POINT, NON_CANONICAL, g.IDENTITY.hex(), "zz" * 32, "00", 5])
def test_points_from_outside_must_be_in_the_prime_order_group(text):
    with pytest.raises(g.GroupError):
        g.decode_point(text)


def test_a_point_plus_a_small_order_point_is_refused():
    mixed = g._na.crypto_core_ed25519_add(g.base(5), bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
    with pytest.raises(g.GroupError):
        g.decode_point(mixed.hex())


def test_scalars_must_be_reduced():
    with pytest.raises(g.GroupError):
        g.decode_scalar(g.ORDER.to_bytes(32, "little").hex())
    assert g.decode_scalar(g.encode_scalar(12345)) == 12345


def test_small_discrete_logs():
    for m in (0, 1, 2, 141, 142, 19_999, 20_000):
        assert g.discrete_log(g.base(m), 20_000) == m
    assert g.discrete_log(g.base(20_001), 20_000) is None
    assert g.discrete_log(g.base(g.random_scalar()), 20_000) is None


def test_encryption_is_additively_homomorphic():
    s = setup()
    h = s.election.public_key
    total = pf.combine([pf.encrypt(h, m, g.random_scalar()) for m in (1, 0, 1, 1, 0)])
    # the election secret exists only as a Lagrange combination of k trustees' shares
    secret = sum(th.lagrange_at_zero(i, [1, 2]) * s.secrets[i] for i in (1, 2)) % g.ORDER
    assert g.discrete_log(g.sub(total.beta, g.mul(secret, total.alpha)), 10) == 3


def _forge(tag, ctx, h, ct, values, pretend_index, wrong_witness):
    """A proof made for a statement that is false: it must never verify."""
    statements = pf._value_statements(h, ct, values)
    return pf.prove_any(tag, ctx, statements, pretend_index, wrong_witness)


def test_selection_proof_for_two_is_refused():
    s = setup()
    h, ctx = s.election.public_key, s.election.context
    r = g.random_scalar()
    two = pf.encrypt(h, 2, r)
    for idx in (0, 1):
        with pytest.raises(pf.ProofError):
            pf.verify_in_set("t", ctx, h, two, (0, 1), _forge("t", ctx, h, two, (0, 1), idx, r))


def test_honest_proofs_verify_and_any_change_is_refused():
    s = setup()
    h, ctx = s.election.public_key, s.election.context
    r = g.random_scalar()
    ct = pf.encrypt(h, 1, r)
    proof = pf.prove_in_set("t", ctx, h, ct, r, 1, (0, 1))
    pf.verify_in_set("t", ctx, h, ct, (0, 1), proof)
    bumped = pf.Proof((proof.challenges[0] + 1, proof.challenges[1]), proof.responses)
    other_z = pf.Proof(proof.challenges, (proof.responses[0], proof.responses[1] + 1))
    for bad in (bumped, other_z):
        with pytest.raises(pf.ProofError):
            pf.verify_in_set("t", ctx, h, ct, (0, 1), bad)
    with pytest.raises(pf.ProofError):  # another ciphertext
        pf.verify_in_set("t", ctx, h, pf.encrypt(h, 1, r + 1), (0, 1), proof)
    with pytest.raises(pf.ProofError):  # another tag (another option's position)
        pf.verify_in_set("u", ctx, h, ct, (0, 1), proof)
    with pytest.raises(pf.ProofError):  # another election
        pf.verify_in_set("t", bytes(32), h, ct, (0, 1), proof)
    with pytest.raises(pf.ProofError):  # wrong number of branches
        pf.verify_in_set("t", ctx, h, ct, (0, 1, 2), proof)


def test_schnorr_proof_of_knowledge():
    ctx = bytes(32)
    a = g.random_scalar()
    proof = pf.prove_knowledge("k", ctx, a)
    pf.verify_knowledge("k", ctx, g.base(a), proof)
    with pytest.raises(pf.ProofError):
        pf.verify_knowledge("k", ctx, g.base(a + 1), proof)


@pytest.mark.parametrize("kind,n,choices,extra", [
    ("yes_no", 2, [[1, 0], [0, 1]], {}),
    ("single", 4, [[0, 0, 1, 0]], {}),
    ("multiple", 5, [[1, 0, 1, 0, 0], [0, 0, 0, 0, 1], [1, 1, 0, 0, 0]], {"max_choices": 2}),
    ("budget", 4, [[1, 1, 0, 0], [0, 0, 0, 1], [1, 0, 1, 0]],
     {"costs": (30_000, 45_000, 70_000, 100_000), "budget_total": 100_000}),
])
def test_valid_ballots_of_every_kind_verify(kind, n, choices, extra):
    s = setup(kind, n, **extra)
    for choice in choices:
        enc = bl.encrypt_ballot(s.election, choice)
        cts = bl.verify_ballot(s.election, enc.ballot)
        assert len(cts) == n
        assert bl.verify_audit(s.election, enc.audit()) == choice


class _Lenient(bl.Election):
    """The same election (same parameters, same context) with its plaintext rules switched off,
    so a cheating client can build proofs for choices the rules refuse."""

    def check_choice(self, selections):
        return None


def _cheat(election, selections, **allowed):
    lenient = _Lenient(**{f.name: getattr(election, f.name) for f in dataclasses.fields(election)})
    if "counts" in allowed:
        lenient.allowed_counts = lambda: allowed["counts"]  # type: ignore[method-assign]
    assert lenient.context == election.context
    return lenient


def test_too_many_choices_is_refused(monkeypatch):
    s = setup("multiple", 4, max_choices=2)
    lenient = _cheat(s.election, [1, 1, 1, 0], counts=[1, 2, 3])
    enc = bl.encrypt_ballot(lenient, [1, 1, 1, 0])  # its count proof has a branch for 3
    with pytest.raises(pf.ProofError):
        bl.verify_ballot(s.election, enc.ballot)
    # the same, with a proof that claims "2" for a ciphertext of 3 (right number of branches)
    lenient2 = _cheat(s.election, [1, 1, 1, 0])
    monkeypatch.setattr(pf, "prove_in_set", _claims_first_branch(pf.prove_in_set))
    enc = bl.encrypt_ballot(lenient2, [1, 1, 1, 0])
    with pytest.raises(pf.ProofError, match="count"):
        bl.verify_ballot(s.election, enc.ballot)


def _claims_first_branch(real):
    def prove(tag, ctx, h, ct, r, m, values):
        values = list(values)
        if m not in values:  # a false claim: pretend to be the first allowed value
            return pf.prove_any(tag, ctx, pf._value_statements(h, ct, values), 0, r)
        return real(tag, ctx, h, ct, r, m, values)
    return prove


def test_empty_ballot_is_refused_for_yes_no(monkeypatch):
    s = setup("yes_no", 2)
    monkeypatch.setattr(pf, "prove_in_set", _claims_first_branch(pf.prove_in_set))
    enc = bl.encrypt_ballot(_cheat(s.election, [0, 0]), [0, 0])
    with pytest.raises(pf.ProofError, match="count"):
        bl.verify_ballot(s.election, enc.ballot)


def test_a_selection_of_two_is_refused(monkeypatch):
    s = setup("multiple", 3, max_choices=3)
    monkeypatch.setattr(pf, "prove_in_set", _claims_first_branch(pf.prove_in_set))
    enc = bl.encrypt_ballot(_cheat(s.election, [2, 0, 0]), [2, 0, 0])
    with pytest.raises(pf.ProofError, match="selection/0"):
        bl.verify_ballot(s.election, enc.ballot)


def test_over_budget_is_refused(monkeypatch):
    s = setup("budget", 3, costs=(60_000, 50_000, 10_000), budget_total=100_000)
    monkeypatch.setattr(pf, "prove_in_set", _claims_first_branch(pf.prove_in_set))
    enc = bl.encrypt_ballot(_cheat(s.election, [1, 1, 0]), [1, 1, 0])  # 110,000 > 100,000
    with pytest.raises(pf.ProofError, match="budget"):
        bl.verify_ballot(s.election, enc.ballot)
    honest = bl.encrypt_ballot(s.election, [0, 1, 1])
    bl.verify_ballot(s.election, honest.ballot)


def test_budget_bits_cannot_be_dropped_or_swapped():
    s = setup("budget", 3, costs=(60_000, 50_000, 10_000), budget_total=100_000)
    enc = bl.encrypt_ballot(s.election, [1, 0, 1])
    fewer = {**enc.ballot, "budget": {**enc.ballot["budget"], "bits": enc.ballot["budget"]["bits"][:-1]}}
    with pytest.raises(pf.ProofError):
        bl.verify_ballot(s.election, fewer)
    bits = list(enc.ballot["budget"]["bits"])
    bits[0], bits[1] = bits[1], bits[0]
    swapped = {**enc.ballot, "budget": {**enc.ballot["budget"], "bits": bits}}
    with pytest.raises(pf.ProofError):
        bl.verify_ballot(s.election, swapped)


def test_malformed_ballots_are_refused_not_crashing():
    s = setup()
    enc = bl.encrypt_ballot(s.election, [1, 0])
    bad_point = {**enc.ballot, "selections": [{**enc.ballot["selections"][0], "alpha": SMALL_ORDER_POINT},
                                              enc.ballot["selections"][1]]}
    for bad in (None, [], {}, {**enc.ballot, "extra": 1}, bad_point,
                {**enc.ballot, "selections": enc.ballot["selections"][:1]},
                {**enc.ballot, "selections": [{**enc.ballot["selections"][0], "note": "x"}, enc.ballot["selections"][1]]},
                {**enc.ballot, "count_proof": {**enc.ballot["count_proof"], "extra": []}},
                {**enc.ballot, "count_proof": {"c": ["x"], "z": []}}):
        with pytest.raises(pf.ProofError):
            bl.verify_ballot(s.election, bad)


def test_an_audit_that_reveals_another_choice_is_refused():
    s = setup()
    enc = bl.encrypt_ballot(s.election, [1, 0])
    audit = enc.audit()
    audit["revealed"][0]["selection"] = 0
    with pytest.raises(pf.ProofError):
        bl.verify_audit(s.election, audit)


def test_receipt_is_a_fingerprint_of_the_ciphertext_only():
    s = setup()
    a, b = bl.encrypt_ballot(s.election, [1, 0]), bl.encrypt_ballot(s.election, [1, 0])
    fa = bl.fingerprint(a.ballot)
    assert fa != bl.fingerprint(b.ballot)  # same choice, fresh randomness: unrelated receipts
    assert bl.receipt(fa) == bl.receipt(bl.fingerprint(dict(reversed(list(a.ballot.items())))))
    assert len(bl.receipt(fa)) == 19

"""k-of-n trustees: any k decrypt, k−1 decrypt nothing; cheating trustees are caught."""

from __future__ import annotations

import pytest

from syros_app.voting.crypto import group as g
from syros_app.voting.crypto import proofs as pf
from syros_app.voting.crypto import threshold as th

from .helpers import setup, subsets


def _aggregate(s, votes):
    h = s.election.public_key
    return pf.combine([pf.encrypt(h, v, g.random_scalar()) for v in votes])


@pytest.mark.parametrize("k,n", [(2, 3), (3, 5), (1, 1), (3, 3)])
def test_any_k_trustees_decrypt_and_k_minus_one_do_not(k, n):
    s = setup(k=k, n=n)
    ct = _aggregate(s, [1, 1, 0, 1, 1, 0, 1])
    ctx = s.election.context
    partials = {l: th.partial_decrypt(ctx, l, s.secrets[l], ct) for l in s.secrets}
    for l, p in partials.items():
        th.verify_partial(ctx, th.public_share(s.commitments, l), ct, p)
    for group_ in subsets(range(1, n + 1), k):
        assert th.combine_partials(ct, [partials[l] for l in group_], 1000) == 5
    if n > k:  # more than k also works
        assert th.combine_partials(ct, list(partials.values()), 1000) == 5
    if k > 1:
        for group_ in subsets(range(1, n + 1), k - 1):
            assert th.combine_partials(ct, [partials[l] for l in group_], 100_000) is None


def test_k_minus_one_shares_are_consistent_with_every_secret():
    """Shamir: for k−1 shares and ANY candidate secret there is a polynomial through them (so they say nothing)."""
    k = 3
    coefficients = [g.random_scalar() for _ in range(k)]
    shares = {i: th.evaluate(coefficients, i) for i in (1, 2)}
    for candidate in (0, 1, g.random_scalar()):
        points = {0: candidate, **shares}
        xs = list(points)

        def interpolate(x):
            total = 0
            for i in xs:
                num = den = 1
                for j in xs:
                    if j != i:
                        num, den = num * (x - j) % g.ORDER, den * (i - j) % g.ORDER
                total += points[i] * num * pow(den, -1, g.ORDER)
            return total % g.ORDER
        assert [interpolate(i) for i in (0, 1, 2)] == [candidate, shares[1], shares[2]]


def test_a_wrong_share_is_detected_by_its_recipient():
    s = setup(k=2, n=3)
    poly = th.TrusteePolynomial.create(1, 2)
    commitments = poly.commitments(s.election.context)
    assert th.share_is_valid(poly.share_for(2), 2, commitments.commitments)
    assert not th.share_is_valid(poly.share_for(2) + 1, 2, commitments.commitments)
    assert not th.share_is_valid(poly.share_for(3), 2, commitments.commitments)


def test_commitment_proofs_bind_trustee_election_and_position():
    s = setup(k=2, n=3)
    ctx = s.election.context
    for c in s.commitments:
        th.verify_commitments(ctx, c, 2)
    copied = th.TrusteeCommitments(2, s.commitments[0].commitments, s.commitments[0].proofs)
    with pytest.raises(pf.ProofError):  # trustee 2 copying trustee 1's commitments
        th.verify_commitments(ctx, copied, 2)
    with pytest.raises(pf.ProofError):  # replayed into another election
        th.verify_commitments(bytes(32), s.commitments[0], 2)
    swapped = th.TrusteeCommitments(1, tuple(reversed(s.commitments[0].commitments)), s.commitments[0].proofs)
    with pytest.raises(pf.ProofError):
        th.verify_commitments(ctx, swapped, 2)
    with pytest.raises(pf.ProofError):  # too few coefficients for k
        th.verify_commitments(ctx, s.commitments[0], 3)


def test_a_wrong_partial_decryption_is_refused():
    s = setup(k=2, n=3)
    ctx = s.election.context
    ct = _aggregate(s, [1, 0, 1])
    honest = th.partial_decrypt(ctx, 1, s.secrets[1], ct)
    lying = th.PartialDecryption(1, g.add(honest.share, g.GENERATOR), honest.proof)
    with pytest.raises(pf.ProofError, match="trustee 1"):
        th.verify_partial(ctx, th.public_share(s.commitments, 1), ct, lying)
    # trustee 2's honest share presented as trustee 1's
    other = th.partial_decrypt(ctx, 2, s.secrets[2], ct)
    with pytest.raises(pf.ProofError):
        th.verify_partial(ctx, th.public_share(s.commitments, 1), ct, th.PartialDecryption(1, other.share, other.proof))
    # a share made with a wrong secret (and an honest-looking proof for that secret)
    wrong = th.partial_decrypt(ctx, 3, s.secrets[3] + 1, ct)
    with pytest.raises(pf.ProofError):
        th.verify_partial(ctx, th.public_share(s.commitments, 3), ct, wrong)


def test_homomorphic_tally_of_many_ballots():
    s = setup(k=2, n=3)
    votes = [1] * 37 + [0] * 21
    ct = _aggregate(s, votes)
    ctx = s.election.context
    partials = [th.partial_decrypt(ctx, l, s.secrets[l], ct) for l in (2, 3)]
    assert th.combine_partials(ct, partials, len(votes)) == 37

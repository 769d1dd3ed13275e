"""Elections with real trustees for the crypto tests (the DKG run as the trustees' devices would)."""

from __future__ import annotations

import dataclasses
from itertools import combinations

from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import threshold as th


@dataclasses.dataclass
class Setup:
    election: bl.Election
    commitments: list[th.TrusteeCommitments]
    secrets: dict[int, int]  # trustee index → x_l (each trustee's own, never in one place outside tests)


def setup(kind: str = "yes_no", n_options: int = 2, *, k: int = 2, n: int = 3, costs=(), budget_total=None,
          max_choices=None, vote_id: int = 7) -> Setup:
    bare = bl.Election(vote_id=vote_id, kind=kind, option_ids=tuple(range(101, 101 + n_options)), costs=tuple(costs),
                       max_choices=max_choices, budget_total=budget_total, threshold=k, trustees=n)
    polys = [th.TrusteePolynomial.create(i, k) for i in range(1, n + 1)]
    commitments = [p.commitments(bare.context) for p in polys]
    shares = {}
    for l in range(1, n + 1):
        received = [p.share_for(l) for p in polys]
        assert all(th.share_is_valid(s, l, c.commitments) for s, c in zip(received, commitments))
        shares[l] = th.combine_shares(received)
    election = dataclasses.replace(bare, public_key=th.joint_public_key(commitments))
    return Setup(election, commitments, shares)


def subsets(indices, size):
    return [list(c) for c in combinations(indices, size)]


def assert_each_alteration_fails(files: dict, changes) -> None:
    """Each ``change(files_copy)`` must make the record fail verification (RecordError)."""
    import copy

    from syros_app.voting.crypto import record as rec

    for n, change in enumerate(changes):
        altered = copy.deepcopy(files)
        change(altered)
        try:
            rec.verify(altered)
        except rec.RecordError:
            continue
        raise AssertionError(f"alteration {n} verified")

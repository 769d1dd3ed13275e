"""Who may do what with votes: one role matrix, as data.

Casting is open to every logged-in resident here; *whether this resident may vote
in this vote* (roll, unit, age, time, once) is eligibility, decided by ``rules``
and checked by the casting statement itself, not by the matrix.
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

ADMINISTRATORS = [Role.ADMINISTRATOR]

MATRIX = RoleMatrix(
    "voting",
    {
        "cast_ballot": [Role.RESIDENT],
        # drafts, options, PDF, schedule, open, close, publish, back to draft
        "manage_votes": ADMINISTRATORS,
        # drafts on a vote's page, the staff list, counts of a closed vote before publication
        "view_drafts": ADMINISTRATORS,
        # an encrypted vote's trustee posting commitments or partial decryptions; the action
        # checks that the person is one of that vote's trustees
        "act_as_trustee": [Role.RESIDENT],
    },
    login_key="voting.reason.not_logged_in",
    refusal_key="voting.errors.administrators_only",
)

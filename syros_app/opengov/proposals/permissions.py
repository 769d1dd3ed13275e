"""Who may do what with residents' proposals, as data (rendered into the README).

Residents propose and support (whether *this* resident may — on a voter roll, not their
own proposal, once — is checked by the action on the proposal it loads); moderators and
administrators answer (optionally linking the consultation or vote the answer opened;
administrators may instead have the answer start a draft consultation or prepare a draft vote),
hide a proposal with a public reason and restore it, and see hidden proposals.
"""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

RESIDENTS = [Role.RESIDENT]
STAFF = [Role.MODERATOR, Role.ADMINISTRATOR]
# An answer that starts a consultation or prepares a vote: those who may create them
# (the consultations' and voting's own actions check their matrices again).
ADMINISTRATORS = [Role.ADMINISTRATOR]


def _not_own(actor, proposal) -> bool:
    return proposal.author_id != actor.person_id


MATRIX = RoleMatrix(
    "proposals",
    {
        "create_proposal": RESIDENTS,
        "support_proposal": RESIDENTS,
        "answer_proposal": STAFF,
        "start_consultation": ADMINISTRATORS,
        "prepare_vote": ADMINISTRATORS,
        "hide_proposal": STAFF,
        "restore_proposal": STAFF,
        "view_hidden": STAFF,
    },
    conditions={"support_proposal": (_not_own, "not one's own proposal")},
    login_key="proposals.errors.login_required",
    refusal_key="proposals.errors.staff_only",
    refusal_keys={"support_proposal": "proposals.errors.support_own",
                  "start_consultation": "proposals.errors.administrators_only",
                  "prepare_vote": "proposals.errors.administrators_only"},
)

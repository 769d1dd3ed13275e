"""Who may do what with Diavgeia decisions: anyone reads them; administrators link a
decision to what it concerns and import decisions (the sync command acts as the
command-line administrator)."""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

ADMINISTRATORS = [Role.ADMINISTRATOR]

MATRIX = RoleMatrix(
    "decisions",
    {
        "import_decisions": ADMINISTRATORS,
        "link_decision": ADMINISTRATORS,
        "unlink_decision": ADMINISTRATORS,
    },
    login_key="decisions.errors.login_required",
    refusal_key="decisions.errors.administrators_only",
)

"""Identity's staff handlers on the demo data (see tests/unit/core/test_refusal.py).

The demo administrator is giorgos, the demo moderator maria (``identity/demo.py``);
their raw ΑΦΜ come from the stand-in's demo residents.
"""

from __future__ import annotations

from sqlmodel import Session, select

from syros_app.identity.hashing import taxid_hmac
from syros_app.identity.models import Person
from syros_app.identity.stand_in import DEMO_RESIDENTS
from tests.support.refusal import StaffCase, ViewCase

_TAXID = {r.key: r.taxid for r in DEMO_RESIDENTS}
_STATE = "syros_app.identity.state"


def _person_id(session: Session, key: str) -> int:
    return session.exec(select(Person.id).where(Person.taxid_hmac == taxid_hmac(_TAXID[key]))).one()


CASES = [
    StaffCase(state=f"{_STATE}.RolesState", handler="grant",
              args=lambda session: [{"taxid": _TAXID["maria"], "role": "administrator"}],
              changes=("role_grant",)),
    StaffCase(state=f"{_STATE}.RolesState", handler="revoke",
              args=lambda session: [_person_id(session, "maria"), "moderator"],
              changes=("role_grant",)),
    StaffCase(state=f"{_STATE}.RollsState", handler="import_roll",
              args=lambda session: [{"name": "Κατάλογος ελέγχου δικαιωμάτων",
                                     "csv": "\n".join(r.taxid for r in DEMO_RESIDENTS)}],
              changes=("voter_roll",)),
]

READ_ONLY = {
    f"{_STATE}.RolesState": {"load"},
    f"{_STATE}.RollsState": {"load"},
}

# Staff-only permissions no write handler asks for: the page loads only decide what
# to show with them, and the command line acts without a session.
VIEW_CASES = [ViewCase(f"{_STATE}.RolesState"), ViewCase(f"{_STATE}.RollsState")]

NOT_FROM_STATES = {
    "create_administrator": "tests/unit/identity/test_cli_demo.py::test_create_admin",
}

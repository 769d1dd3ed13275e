"""Shared set-up of the proposals' tests: a voter roll of verified residents."""

import uuid
from datetime import datetime, timezone

from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import VoterRoll, VoterRollEntry


def roll(session, units: dict[str, int], people=()) -> None:
    """A voter roll: ``units`` counts of anonymous entries, plus the given actors (each an
    actor, in Ερμούπολη, or an (actor, unit) pair)."""
    r = VoterRoll(name=f"roll-{uuid.uuid4().hex[:12]}", created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    session.add(r)
    session.flush()
    n = 0
    for unit, count in units.items():
        for _ in range(count):
            n += 1
            session.add(VoterRollEntry(roll_id=r.id, taxid_hmac=taxid_hmac(with_check_digit(str(60_000_000 + n))),
                                       municipal_unit=unit))
    for entry in people:
        actor, unit = entry if isinstance(entry, tuple) else (entry, "Ερμούπολη")
        session.add(VoterRollEntry(roll_id=r.id, taxid_hmac=actor.taxid_hmac, municipal_unit=unit))
    session.commit()

"""A separate process that casts votes one by one and acknowledges each after commit.

Used by the SIGKILL test: ``python -m tests.unit.voting.load_worker <vote_id> <first> <count>``
prints ``ACK <tracker>`` after each committed vote (flushed at once), so the
parent knows exactly which votes were acknowledged before it kills us.
"""

from __future__ import annotations

import sys

from syros_app.core.db import get_engine
from syros_app.core.errors import AgoraError
from syros_app.identity.hashing import taxid_hmac
from syros_app.identity.roles import Actor, Role

from .helpers import cast, synthetic_taxids


def main() -> None:
    vote_id, first, count, option = (int(a) for a in sys.argv[1:5])
    engine = get_engine()
    for n, taxid in enumerate(synthetic_taxids(count, start=first)):
        voter = Actor(person_id=100_000 + n, display_name="v", taxid_hmac=taxid_hmac(taxid), birth_year=1980,
                      roles=frozenset({Role.RESIDENT}))
        try:
            receipt = cast(voter, vote_id, [option], engine=engine)
        except AgoraError as exc:
            if exc.key != "voting.reason.already_voted":
                raise
            sys.stdout.write("SKIP already voted\n")
        else:
            sys.stdout.write(f"ACK {receipt.tracker}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

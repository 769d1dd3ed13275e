"""Voting's staff handlers on the demo data (the open referendum, the demo roll).

The demo holds no draft, scheduled or closed-unpublished vote, so the cases that
need one set it up first through the actions themselves (as the demo's staff member)
and commit it: each case runs on a fresh copy of the seeded database.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from syros_app.core.timefmt import ATHENS, utcnow
from syros_app.identity.models import VoterRoll
from syros_app.voting import actions
from syros_app.voting.demo import DEMO_STAFF, REFERENDUM_TITLE, ROLL_NAME
from syros_app.voting.models import Vote
from tests.support.refusal import StaffCase, ViewCase
from tests.unit.voting.helpers import legacy_plaintext

STAFF_VOTES = "syros_app.voting.state.StaffVotesState"


def _roll_id(session: Session) -> int:
    return session.exec(select(VoterRoll.id).where(VoterRoll.name == ROLL_NAME)).one()


def _vote(session: Session, *steps: str) -> int:
    """A new yes/no vote on the demo roll, taken through ``steps`` (schedule, open, close)."""
    now = utcnow()
    vote = legacy_plaintext(session, actions.create_vote(  # open without a key ceremony: a legacy plaintext row
        session, actor=DEMO_STAFF, title="Δοκιμαστική ψηφοφορία", question="Συμφωνείτε;", roll_id=_roll_id(session)))
    for step in steps:
        if step == "schedule":
            actions.schedule_vote(session, actor=DEMO_STAFF, vote_id=vote.id, opens_at=now + timedelta(days=1),
                                  closes_at=now + timedelta(days=8))
        elif step == "open":
            actions.open_vote(session, actor=DEMO_STAFF, vote_id=vote.id, closes_at=now + timedelta(days=7))
        elif step == "close":
            actions.close_vote(session, actor=DEMO_STAFF, vote_id=vote.id, reason="Δοκιμή")
    session.commit()
    return vote.id


def _local(days: int) -> str:
    return (utcnow() + timedelta(days=days)).astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M")


def _person_id(session: Session) -> str:
    from syros_app.identity.models import Person

    return str(session.exec(select(Person.id).order_by(Person.id)).first())


def _key_to_complete(session: Session) -> int:
    """A draft whose key staff may complete: two trustees, k = 1, one of them dealt."""
    from syros_app.identity.models import Person
    from syros_app.identity.roles import Actor, Role
    from syros_app.voting import encrypted, queries
    from syros_app.voting.crypto import threshold as th

    vote_id = _vote(session)
    people = session.exec(select(Person).order_by(Person.id)).all()[:2]
    encrypted.set_trustees(session, actor=DEMO_STAFF, vote_id=vote_id, threshold=1, trustees=[
        encrypted.TrusteeInput(p.display_name, p.id) for p in people])
    dealer = Actor(person_id=people[0].id, display_name=people[0].display_name, taxid_hmac=people[0].taxid_hmac,
                   roles=frozenset({Role.RESIDENT}))
    context = queries.bare_election(session, queries.get_vote(session, vote_id)).context
    encrypted.post_commitments(session, actor=dealer, vote_id=vote_id,
                               commitments=th.TrusteePolynomial.create(1, 1).commitments(context).to_json())
    session.commit()
    return vote_id


def _referendum(session: Session) -> int:
    return session.exec(select(Vote.id).where(Vote.title == REFERENDUM_TITLE)).one()


CASES = [
    StaffCase(STAFF_VOTES, "save", lambda s: [{
        "title": "Νέα ψηφοφορία", "question": "Συμφωνείτε;", "explanation": "", "roll_id": str(_roll_id(s)),
        "unit": "", "min_age": "17", "option_title_0": "Ναι", "option_title_1": "Όχι"}], ("vote", "vote_option")),
    StaffCase(STAFF_VOTES, "schedule", lambda s: [{
        "vote_id": str(_vote(s)), "opens_at": _local(1), "closes_at": _local(8)}], ("vote",)),
    StaffCase(STAFF_VOTES, "confirm", lambda s: [{"step": "open", "target": str(_vote(s)), "payload": _local(7)}],
              ("vote",)),
    StaffCase(STAFF_VOTES, "unschedule", lambda s: [{"vote_id": str(_vote(s, "schedule"))}], ("vote",)),
    StaffCase(STAFF_VOTES, "confirm", lambda s: [{"step": "close", "target": str(_referendum(s)),
                                                  "reason": "Τεχνικό πρόβλημα"}], ("vote",)),
    StaffCase(STAFF_VOTES, "confirm", lambda s: [{"step": "publish", "target": str(_vote(s, "open", "close"))}],
              ("vote",)),
    StaffCase(STAFF_VOTES, "confirm", lambda s: [{"step": "complete", "target": str(_key_to_complete(s))}],
              ("vote",)),
    StaffCase(STAFF_VOTES, "set_trustees", lambda s: [{"vote_id": str(_vote(s)), "threshold": "1",
                                                       "trustee_0": _person_id(s)}], ("vote", "vote_trustee")),
]

# open_now, close, publish and complete_key only ask (the confirmation dialog); "confirm" acts.
# search_trustees writes nothing: it shows people's names, to staff only (VIEW_CASES).
READ_ONLY = {STAFF_VOTES: {"load", "new_vote", "manage", "set_kind", "add_option", "open_now", "close", "publish",
                           "complete_key", "search_trustees"}}

# the demo's trustees (people with an account) are found by name
VIEW_CASES = [ViewCase(STAFF_VOTES, "search_trustees", lambda s: [{"q": "γιωργ"}])]

NOT_FROM_STATES = {
    # asked by page loads (and after each staff step), never guarding a write
    "view_drafts": "tests/unit/voting/test_views.py::test_drafts_and_closed_counts_are_for_staff_only",
}

"""Voting's part of "my data": that the person voted, never what; deletion erases the receipt link."""

import pytest
from sqlmodel import select

from syros_app.core.errors import AgoraError

from syros_app.identity import actions as identity_actions
from syros_app.voting import actions, queries
from syros_app.voting.models import Ballot, VoteParticipation
from tests.support import personas

from .helpers import NOW, make_roll, open_legacy_plaintext_vote, option_ids


def _vote_as_eleni(session):
    staff = personas.administrator(session, "moderator")
    roll = make_roll(session, {"eleni": "Ερμούπολη", "nikos": "Ερμούπολη"})
    vote = open_legacy_plaintext_vote(session, staff, roll)
    eleni = personas.resident(session, "eleni")
    receipt = actions.cast_ballot(session, actor=eleni, vote_id=vote.id, choice=[option_ids(session, vote.id)[0]], now=NOW)
    session.commit()
    return vote, eleni, receipt


def test_export_says_that_she_voted_but_not_what_nor_the_tracker(session):
    vote, eleni, receipt = _vote_as_eleni(session)
    data = identity_actions.export_my_data(session, actor=eleni)
    section = data["voting"]
    assert [p["vote_id"] for p in section["participations"]] == [vote.id]
    assert set(section["participations"][0]) == {"vote_id", "title", "voted_on"}
    assert receipt.tracker not in repr(data)


def test_deleting_the_account_erases_the_sealed_tracker_but_keeps_the_vote_counted(session):
    vote, eleni, receipt = _vote_as_eleni(session)
    assert queries.my_participations(session, eleni, now=NOW)[0].tracker == receipt.tracker
    identity_actions.delete_account(session, actor=eleni)
    session.commit()
    rows = session.exec(select(VoteParticipation)).all()
    assert len(rows) == 1 and rows[0].sealed_tracker == ""
    assert len(session.exec(select(Ballot)).all()) == 1
    # the same ΑΦΜ logging in again is still refused a second vote
    again = personas.resident(session, "eleni-again", taxid=personas.TAXIDS["eleni"])
    with pytest.raises(AgoraError):
        actions.cast_ballot(session, actor=again, vote_id=vote.id, choice=[option_ids(session, vote.id)[0]], now=NOW)

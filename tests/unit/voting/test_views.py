"""What the pages show: drafts and a closed vote's counts only where the matrix allows."""

from datetime import timedelta

from syros_app.voting import actions, views
from tests.support import personas

from .helpers import NOW, make_roll, open_vote


def test_drafts_and_closed_counts_are_for_staff_only(session):
    staff = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni")
    roll = make_roll(session, {"eleni": None})
    draft = actions.create_vote(session, actor=staff, title="Προσχέδιο", question=";", roll_id=roll.id, now=NOW)
    closed = open_vote(session, staff, roll)
    actions.close_vote(session, actor=staff, vote_id=closed.id, reason="Τέλος", now=NOW + timedelta(hours=1))
    session.commit()
    later = NOW + timedelta(hours=2)
    for who in (None, eleni):
        assert views.vote_page(session, who, draft.id, later)["found"] is False
        page = views.staff_page(session, who, str(closed.id), later)
        assert page["allowed"] is False and page["votes"] == [] and page["preview"] == "" and page["selected_id"] == 0
    assert views.vote_page(session, staff, draft.id, later)["found"] is True
    page = views.staff_page(session, staff, str(closed.id), later)
    assert page["allowed"] and {v.id for v in page["votes"]} == {draft.id, closed.id}
    assert page["selected_id"] == closed.id and page["preview"] == "Ναι: 0 (0.0%); Όχι: 0 (0.0%)"


def test_vote_page_says_why_one_cannot_vote_in_both_languages(session):
    staff = personas.administrator(session, "moderator")
    roll = make_roll(session, {"eleni": "Ερμούπολη"})
    vote = open_vote(session, staff, roll, unit="Ερμούπολη")
    nikos = personas.resident(session, "nikos")
    page = views.vote_page(session, nikos, vote.id, NOW)
    assert page["eligible"] is False and page["reason"] == "not_on_roll"
    assert page["reason_el"] and page["reason_en"] and page["reason_el"] != page["reason_en"]
    assert [o.title for o in page["options"]] == ["Ναι", "Όχι"] and page["turnout_text"] == "0 / 1 (0.0%)"
    assert views.vote_page(session, nikos, "abc", NOW) == {"found": False, "loaded": True}
    assert views.vote_page(session, nikos, str(2**70), NOW)["found"] is False

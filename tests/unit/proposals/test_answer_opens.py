"""An answer that starts what it promises: a draft consultation (title and summary from the
proposal, one section with its text) or a draft yes/no vote, made by those capabilities' own
actions and linked to the proposal in the same transaction; links both ways; audited;
refused to residents and moderators with nothing written."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from syros_app.consultations.models import Consultation, Section
from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, PermissionDenied
from syros_app.opengov.proposals import actions, queries, rules, views
from syros_app.opengov.proposals.models import Proposal
from syros_app.voting.models import Vote, VoteOption
from tests.support import personas
from tests.support.refusal import snapshot
from tests.unit.proposals.helpers import roll

NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
BODY = ("Πεζοδρόμηση της οδού μπροστά στο δημοτικό σχολείο της Ποσειδωνίας τις ώρες προσέλευσης "
        "και αποχώρησης των παιδιών, με κινητά κολωνάκια.")
ANSWER = "Ο Δήμος ανοίγει διαβούλευση για την πεζοδρόμηση που προτείνατε."


@pytest.fixture
def world(session):
    eleni = personas.resident(session, "eleni")
    roll(session, {"Ποσειδωνία": 4, "Ερμούπολη": 20}, people=[(eleni, "Ποσειδωνία")])
    p = actions.create_proposal(session, actor=eleni, title="Πεζόδρομος στο σχολείο", body=BODY,
                                area="Ποσειδωνία", now=NOW)
    session.commit()
    return {"eleni": eleni, "moderator": personas.moderator(session), "admin": personas.administrator(session),
            "proposal": p}


def test_the_answer_starts_a_draft_consultation_with_the_proposal_text(session, world):
    p, admin = world["proposal"], world["admin"]
    answered = actions.answer_with_consultation(session, actor=admin, proposal_id=p.id, answer=ANSWER,
                                                now=NOW + timedelta(days=1))
    session.commit()
    c = session.get(Consultation, answered.link_id)
    assert answered.link_kind == "consultation" and answered.answer == ANSWER
    assert (c.status, c.title, c.area, c.category) == ("draft", p.title, "Ποσειδωνία", rules.DRAFT_CATEGORY)
    assert c.summary == " ".join(BODY.split()) and c.opens_at.replace(tzinfo=timezone.utc) > NOW
    sections = session.exec(select(Section).where(Section.consultation_id == c.id)).all()
    assert [(s.title, s.body) for s in sections] == [(p.title, BODY)]
    # both ways: the proposal names the draft, the draft's page names the proposal
    assert views.backlinks(session, "consultation", c.id) == [
        views.BackLink(title=p.title, url=f"/proposals/{p.id}")]
    staff_view = views.proposal_page(session, p.id, admin, now=NOW + timedelta(days=2))["view"]
    public_view = views.proposal_page(session, p.id, None, now=NOW + timedelta(days=2))["view"]
    assert (staff_view.link_url, staff_view.link_title) == (f"/consultations/{c.id}", p.title)
    assert (public_view.link_url, public_view.link_title) == (f"/consultations/{c.id}", "")  # a draft: not yet
    audited = {e.action: e for e in session.exec(select(AuditEntry))}
    assert {"consultations.create", "consultations.add_section", "proposals.answer"} <= set(audited)
    details = json.loads(audited["proposals.answer"].details)
    assert details["created"] == "consultation" and details["link"] == f"/consultations/{c.id}"
    with pytest.raises(AgoraError) as twice:
        actions.answer_with_vote(session, actor=admin, proposal_id=p.id, answer=ANSWER)
    assert twice.value.key == "proposals.errors.already_answered"


def test_the_answer_prepares_a_draft_yes_no_vote(session, world):
    p, admin = world["proposal"], world["admin"]
    answered = actions.answer_with_vote(session, actor=admin, proposal_id=p.id, answer=ANSWER,
                                        now=NOW + timedelta(days=1))
    session.commit()
    vote = session.get(Vote, answered.link_id)
    assert answered.link_kind == "vote" and vote.status == "draft" and vote.kind == "yes_no"
    assert vote.title == p.title and p.title in vote.question and vote.municipal_unit == "Ποσειδωνία"
    assert vote.roll_id == queries.largest_roll(session)
    options = session.exec(select(VoteOption.title).where(VoteOption.vote_id == vote.id)).all()
    assert set(options) == {"Ναι", "Όχι"}
    assert views.backlinks(session, "vote", vote.id) == [views.BackLink(title=p.title, url=f"/proposals/{p.id}")]
    assert [e for e in session.exec(select(AuditEntry.action)) if e.startswith("voting.")] == ["voting.create"]


@pytest.mark.parametrize("who", ["visitor", "eleni", "moderator"])
@pytest.mark.parametrize("fn", [actions.answer_with_consultation, actions.answer_with_vote])
def test_residents_and_moderators_are_refused_and_nothing_changes(engine, session, world, who, fn):
    actor = None if who == "visitor" else world[who]
    before = snapshot(engine)
    with pytest.raises(PermissionDenied) as refused:
        fn(session, actor=actor, proposal_id=world["proposal"].id, answer=ANSWER)
    session.rollback()
    assert snapshot(engine) == before
    if who == "moderator":  # a moderator answers, but only administrators create consultations and votes
        assert refused.value.key == "proposals.errors.administrators_only"


def test_a_failure_of_the_created_part_leaves_the_proposal_unanswered(engine, session, world):
    from syros_app.identity.models import VoterRoll, VoterRollEntry

    for entry in session.exec(select(VoterRollEntry)):
        session.delete(entry)
    for r in session.exec(select(VoterRoll)):
        session.delete(r)
    session.commit()  # no voter roll: voting's own action refuses the draft
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as bad:
        actions.answer_with_vote(session, actor=world["admin"], proposal_id=world["proposal"].id, answer=ANSWER)
    assert bad.value.key == "voting.errors.roll_required"
    session.rollback()
    assert snapshot(engine) == before
    assert session.get(Proposal, world["proposal"].id).answered_at is None
    with pytest.raises(InvalidInput):  # a short answer is refused before anything is created
        actions.answer_with_consultation(session, actor=world["admin"], proposal_id=world["proposal"].id,
                                         answer="Ναι.")
    session.rollback()
    assert snapshot(engine) == before


def test_the_summary_is_the_proposal_text_cut_at_a_word():
    assert rules.summary_of("λίγα  λόγια\nεδώ") == "λίγα λόγια εδώ"
    cut = rules.summary_of("λέξη " * 400, limit=50)
    assert len(cut) <= 50 and cut.endswith("λέξη…")


def test_the_link_field_names_what_the_answer_creates():
    assert views.new_link("new:vote") == "vote" and views.new_link("new:consultation") == "consultation"
    assert views.new_link("new:project") == "" and views.new_link("vote:3") == "" and views.new_link(None) == ""

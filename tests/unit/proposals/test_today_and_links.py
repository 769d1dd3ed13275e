"""What proposals put on staff's Today and the home page, and the link back from a
consultation's page (the registry's backlinks hook)."""

from datetime import datetime, timedelta, timezone

import pytest

from syros_app.core import registry
from syros_app.opengov.proposals import actions, today, views
from tests.support import personas
from tests.unit.proposals.helpers import roll

BODY = "Πεζοδρόμηση του δρόμου μπροστά στο δημοτικό σχολείο τις ώρες προσέλευσης των παιδιών."
START = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)  # a Monday


@pytest.fixture
def world(session, monkeypatch):
    monkeypatch.setenv("SYROS_PROPOSAL_SUPPORT_SHARE", "0.5")
    monkeypatch.setenv("SYROS_PROPOSAL_ANSWER_WORKING_DAYS", "5")
    eleni, nikos = personas.resident(session, "eleni"), personas.resident(session, "nikos")
    roll(session, {}, people=[eleni, nikos])  # two residents: one support reaches the threshold
    reached = actions.create_proposal(session, actor=eleni, title="Φωτισμός στο μονοπάτι", body=BODY, now=START)
    actions.support_proposal(session, actor=nikos, proposal_id=reached.id, now=START + timedelta(hours=1))
    collecting = actions.create_proposal(session, actor=nikos, title="Παγκάκια στην παραλία", body=BODY, now=START)
    session.commit()
    return {"eleni": eleni, "staff": personas.moderator(session), "reached": reached, "collecting": collecting}


def test_today_shows_answers_owed_and_overdue_first_to_staff_only(session, world):
    assert today.today(session, world["eleni"], START + timedelta(days=1)) == []
    items = today.today(session, world["staff"], START + timedelta(days=1))
    assert [(i.text_key, i.count, i.urgent) for i in items] == [("proposals.today.awaiting", 1, False)]
    late = today.today(session, world["staff"], START + timedelta(days=8))  # 5 working days have passed
    assert [(i.text_key, i.count, i.urgent, i.title) for i in late] == [
        ("proposals.today.overdue", 1, True, "Φωτισμός στο μονοπάτι")]
    assert [i.url for i in today.open_now(session, START + timedelta(days=1))] == [
        f"/proposals/{world['collecting'].id}"]


def test_a_consultation_page_links_back_to_the_proposal_its_answer_came_from(session, world):
    from syros_app.consultations import actions as consultation_actions

    admin = personas.administrator(session)
    c = consultation_actions.create_consultation(
        session, actor=admin, title="Φωτισμός στα μονοπάτια της Άνω Σύρου", category="environment",
        summary="Διαβούλευση για τον φωτισμό των μονοπατιών της Άνω Σύρου και των γύρω οικισμών.", area=None,
        opens_at=START + timedelta(days=3), closes_at=START + timedelta(days=20), moderation_mode="post",
        now=START + timedelta(days=2))
    actions.answer_proposal(session, actor=admin, proposal_id=world["reached"].id, link_kind="consultation",
                            link_id=c.id, answer="Ανοίγουμε διαβούλευση για τον φωτισμό.", now=START + timedelta(days=2))
    session.commit()
    assert views.backlinks(session, "consultation", c.id) == [
        views.BackLink(title="Φωτισμός στο μονοπάτι", url=f"/proposals/{world['reached'].id}")]
    assert views.backlinks(session, "vote", c.id) == []
    assert any(getattr(cap, "backlinks", None) for cap in registry.capabilities())

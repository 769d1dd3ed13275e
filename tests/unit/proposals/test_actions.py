"""Proposal actions on SQLite and PostgreSQL: threshold by area, supports (once, also under
concurrency), reaching the threshold, answers with links, moderation, audit and outbox rows."""

import io
import json
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlmodel import Session, func, select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.notices.models import OutboundMessage
from syros_app.opengov.proposals import actions, queries, rules
from syros_app.opengov.proposals.models import Proposal, ProposalPhoto, ProposalSupport
from tests.support import personas
from tests.unit.proposals.helpers import roll

ATHENS = ZoneInfo("Europe/Athens")
BODY = "Πεζοδρόμηση του δρόμου μπροστά στο δημοτικό σχολείο τις ώρες προσέλευσης των παιδιών."


def athens(*args) -> datetime:
    return datetime(*args, tzinfo=ATHENS).astimezone(timezone.utc)


@pytest.fixture
def people(session):
    out = {key: personas.resident(session, key) for key in ("eleni", "nikos", "maria")}
    out["outsider"] = personas.resident(session, "outsider", birth_year=1990)
    out["staff"] = personas.moderator(session)
    out["admin"] = personas.administrator(session)
    # 95 + 3 residents in Ερμούπολη, 50 in Άνω Σύρος, 52 in Ποσειδωνία: 200 on the island.
    roll(session, {"Ερμούπολη": 95, "Άνω Σύρος": 50, "Ποσειδωνία": 52},
         people=[out["eleni"], out["nikos"], out["maria"]])
    return out


@pytest.fixture(autouse=True)
def share(monkeypatch):
    monkeypatch.setenv("SYROS_PROPOSAL_SUPPORT_SHARE", "0.01")
    monkeypatch.setenv("SYROS_PROPOSAL_COLLECT_DAYS", "30")
    monkeypatch.setenv("SYROS_PROPOSAL_ANSWER_WORKING_DAYS", "5")


def propose(session, actor, *, area="", now=None, **kw) -> Proposal:
    p = actions.create_proposal(session, actor=actor, title=kw.pop("title", "Ασφαλής δρόμος για το σχολείο"),
                                body=kw.pop("body", BODY), area=area, now=now or athens(2026, 12, 1, 9), **kw)
    session.commit()
    return p


def support(session, actor, proposal, now=None) -> Proposal:
    p = actions.support_proposal(session, actor=actor, proposal_id=proposal.id, now=now or athens(2026, 12, 2, 9))
    session.commit()
    return p


def test_threshold_is_computed_from_the_roll_of_the_area(session, people):
    island = propose(session, people["eleni"])
    assert (island.residents, island.share, island.threshold) == (200, "0.01", 2)  # ceil(0.01 × 200)
    unit = propose(session, people["eleni"], area="Άνω Σύρος")
    assert (unit.residents, unit.threshold) == (50, 1)  # ceil(0.5) = 1
    ermoupoli = propose(session, people["eleni"], area="Ερμούπολη")
    assert (ermoupoli.residents, ermoupoli.threshold) == (98, 1)
    assert island.collect_until == athens(2026, 12, 31, 9)


def test_only_verified_residents_propose_and_support(session, people):
    with pytest.raises(AgoraError) as refused:
        propose(session, people["outsider"])
    assert refused.value.key == "proposals.errors.not_verified"
    with pytest.raises(PermissionDenied):
        actions.create_proposal(session, actor=None, title="Ασφαλής δρόμος", body=BODY)
    p = propose(session, people["eleni"])
    with pytest.raises(AgoraError) as refused:
        support(session, people["outsider"], p)
    assert refused.value.key == "proposals.errors.not_verified"
    with pytest.raises(PermissionDenied) as own:
        support(session, people["eleni"], p)
    assert own.value.key == "proposals.errors.support_own"


def test_bad_input_is_refused_with_the_field_named(session, people):
    for kwargs, key in ((dict(title="Λίγο"), "proposals.errors.title_short"),
                        (dict(body="Σύντομο"), "proposals.errors.body_short"),
                        (dict(area="Αθήνα"), "proposals.errors.area"),
                        (dict(photo_token="nope"), "proposals.errors.photo_gone")):
        with pytest.raises(InvalidInput) as refused:
            propose(session, people["eleni"], **kwargs)
        assert refused.value.key == key
    session.rollback()
    assert session.exec(select(func.count()).select_from(Proposal)).one() == 0


def test_supports_reach_the_threshold_and_start_the_answer_clock(session, people):
    p = propose(session, people["eleni"])
    p = support(session, people["nikos"], p, athens(2026, 12, 2, 9))
    assert (p.support_count, p.reached_at) == (1, None)
    assert queries.status_of(p, athens(2026, 12, 2, 10)) == rules.COLLECTING
    with pytest.raises(AgoraError) as twice:
        support(session, people["nikos"], p)
    assert twice.value.key == "proposals.errors.support_twice"
    session.rollback()
    p = support(session, people["maria"], p, athens(2026, 12, 3, 9))  # Thursday
    assert p.support_count == 2 and p.reached_at == athens(2026, 12, 3, 9)
    assert p.answer_due_at == athens(2026, 12, 10, 9)  # 5 working days later: the weekend does not count
    assert queries.status_of(p, athens(2026, 12, 4, 9)) == rules.REACHED
    assert not queries.is_overdue(p, athens(2026, 12, 10, 8))
    assert queries.is_overdue(p, athens(2026, 12, 10, 10))
    assert [x.id for x in queries.awaiting_answer(session)] == [p.id]


def test_a_units_proposal_is_supported_by_that_units_residents_only(session, people):
    p = propose(session, people["eleni"], area="Άνω Σύρος")  # eleni, nikos and maria live in Ερμούπολη
    with pytest.raises(AgoraError) as elsewhere:
        support(session, people["nikos"], p)
    assert elsewhere.value.key == "proposals.errors.support_other_area"
    session.rollback()
    assert queries.get_proposal(session, p.id).support_count == 0
    here = propose(session, people["eleni"], area="Ερμούπολη", title="Παγκάκια στην πλατεία Μιαούλη για όλους")
    assert support(session, people["nikos"], here).support_count == 1


def test_supports_close_with_the_collection(session, people):
    p = propose(session, people["eleni"])
    with pytest.raises(AgoraError) as late:
        support(session, people["nikos"], p, athens(2027, 1, 2, 9))
    assert late.value.key == "proposals.errors.not_collecting"
    assert queries.status_of(p, athens(2027, 1, 2, 9)) == rules.EXPIRED


def test_one_support_per_person_under_concurrency(engine, session, people):
    """Two requests of the same person at the same moment (two tabs): one row, a count of one."""
    p = propose(session, people["eleni"])
    barrier = threading.Barrier(2)
    outcomes = []

    def fire():
        with Session(engine) as own:
            barrier.wait()
            try:
                actions.support_proposal(own, actor=people["nikos"], proposal_id=p.id, now=athens(2026, 12, 2, 9))
                own.commit()
                outcomes.append("ok")
            except AgoraError as exc:
                own.rollback()
                outcomes.append(exc.key)

    threads = [threading.Thread(target=fire) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    session.expire_all()
    rows = session.exec(select(ProposalSupport).where(ProposalSupport.proposal_id == p.id)).all()
    assert len(rows) == 1
    assert session.get(Proposal, p.id).support_count == 1
    assert sorted(outcomes)[0] == "ok" and outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"proposals.errors.support_twice", "errors.conflict"}


def test_staff_answer_with_a_link_notifies_author_and_supporters(session, people):
    from syros_app.consultations import actions as consultation_actions
    from syros_app.notices.models import Delivery, Subscription

    p = propose(session, people["eleni"])
    support(session, people["nikos"], p)
    support(session, people["maria"], p, athens(2026, 12, 3, 9))
    session.add(Subscription(person_id=people["eleni"].person_id, channel="push", address="https://push.example/1",
                             categories="auto", areas="", created_at=athens(2026, 11, 1)))
    session.commit()
    c = consultation_actions.create_consultation(
        session, actor=people["admin"], title="Ασφαλείς δρόμοι γύρω από τα σχολεία", category="transport",
        summary="Διαβούλευση για τους δρόμους γύρω από τα σχολεία της Ερμούπολης.", area=None,
        opens_at=athens(2026, 12, 5, 9), closes_at=athens(2026, 12, 20, 9), moderation_mode="post",
        now=athens(2026, 12, 4, 9))
    session.commit()
    with pytest.raises(PermissionDenied):
        actions.answer_proposal(session, actor=people["nikos"], proposal_id=p.id, answer="x" * 30)
    with pytest.raises(InvalidInput) as missing:
        actions.answer_proposal(session, actor=people["staff"], proposal_id=p.id, answer="Ανοίγουμε διαβούλευση.",
                                link_kind="consultation", link_id=c.id + 99)
    assert missing.value.key == "proposals.errors.link_not_found"
    session.rollback()
    # The administrator who drafted the consultation links it (a draft: only those who see drafts may).
    answered = actions.answer_proposal(session, actor=people["admin"], proposal_id=p.id,
                                       answer="Ανοίγουμε δημόσια διαβούλευση για τους δρόμους των σχολείων.",
                                       link_kind="consultation", link_id=c.id, now=athens(2026, 12, 8, 9))
    session.commit()
    assert (answered.link_kind, answered.link_id) == ("consultation", c.id)
    assert queries.status_of(answered, athens(2026, 12, 9, 9)) == rules.ANSWERED
    assert [x.id for x in queries.proposals_linked_to(session, "consultation", c.id)] == [p.id]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "proposals.answer")).one()
    assert entry.target == f"proposal:{p.id}" and json.loads(entry.details)["on_time"] is True
    message = session.exec(select(OutboundMessage).where(OutboundMessage.source == f"proposal.answered:{p.id}")).one()
    assert message.url == f"/proposals/{p.id}"
    assert len(session.exec(select(Delivery).where(Delivery.message_id == message.id)).all()) == 1
    with pytest.raises(AgoraError) as twice:
        actions.answer_proposal(session, actor=people["staff"], proposal_id=p.id, answer="Δεύτερη απάντηση εδώ.")
    assert twice.value.key == "proposals.errors.already_answered"


def test_moderation_hides_with_a_reason_and_restores(session, people):
    p = propose(session, people["eleni"])
    with pytest.raises(PermissionDenied):
        actions.hide_proposal(session, actor=people["nikos"], proposal_id=p.id, reason="Προσβλητικό")
    with pytest.raises(InvalidInput):
        actions.hide_proposal(session, actor=people["staff"], proposal_id=p.id, reason="")
    session.rollback()
    actions.hide_proposal(session, actor=people["staff"], proposal_id=p.id, reason="Προσωπικά δεδομένα τρίτων")
    session.commit()
    now = athens(2026, 12, 2, 9)
    assert queries.list_proposals(session, now=now) == []
    assert [x.id for x in queries.list_proposals(session, now=now, status="hidden", viewer=people["staff"])] == [p.id]
    assert queries.list_proposals(session, now=now, status="hidden", viewer=people["nikos"]) == []
    with pytest.raises(NotFound):
        queries.get_proposal(session, p.id, viewer=people["nikos"])
    assert queries.get_proposal(session, p.id, viewer=people["eleni"]).hidden_reason == "Προσωπικά δεδομένα τρίτων"
    assert queries.get_proposal(session, p.id, viewer=people["staff"]).id == p.id
    with pytest.raises(NotFound):
        support(session, people["nikos"], p)
    assert queries.open_data(session, now=now) == []
    actions.restore_proposal(session, actor=people["staff"], proposal_id=p.id)
    session.commit()
    assert [x.id for x in queries.list_proposals(session, now=now)] == [p.id]
    assert [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))] == [
        "proposals.hide", "proposals.restore"]


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_cleaned_stored_in_the_database_and_claimed_once(session, people):
    with pytest.raises(InvalidInput):
        actions.upload_photo(session, actor=people["eleni"], data=b"GIF89a not a photo")
    token = actions.upload_photo(session, actor=people["eleni"], data=_jpeg_with_exif())
    session.commit()
    stored = session.exec(select(ProposalPhoto)).one()
    assert b"PhoneMaker" not in stored.data and stored.data[:3] == b"\xff\xd8\xff"
    with pytest.raises(InvalidInput):  # another person cannot attach it
        propose(session, people["nikos"], photo_token=token)
    session.rollback()
    p = propose(session, people["eleni"], photo_token=token)
    assert queries.photo_of(session, p.id).id == stored.id
    with pytest.raises(InvalidInput):
        propose(session, people["eleni"], photo_token=token)

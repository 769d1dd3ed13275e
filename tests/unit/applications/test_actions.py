"""Resident-side actions on SQLite and PostgreSQL: drafts, uploads, submission (reference,
protocol number, receipt, slot, timeline, outbox), information and rating."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.applications import actions, queries, receipt, rules
from syros_app.applications.models import (Application, ApplicationDraft, ApplicationEvent, ApplicationFile,
                                           PickupSlot)
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.notices.models import OutboundMessage, Subscription

from .conftest import NOW, bulky_answers

BULKY = "bulky-waste-pickup"


def test_draft_is_kept_on_the_server_and_resumed(session, catalogue, people):
    eleni = people["eleni"]
    actions.save_draft(session, actor=eleni, service_slug=BULKY, answers={"phone": "69", "items": "καναπές"}, now=NOW)
    actions.save_draft(session, actor=eleni, service_slug=BULKY,
                       answers={"phone": "6912345678", "area": "Άτλαντίδα", "bogus": "x"}, now=NOW)
    session.commit()
    service = queries.service(session, BULKY)
    resumed = queries.filing(session, service, eleni, {})
    assert resumed.has_draft
    assert resumed.answers == {"phone": "6912345678", "items": "καναπές"}  # bad choice and unknown key not kept
    assert len(session.exec(select(ApplicationDraft)).all()) == 1


def test_prefill_from_govgr_then_last_application(session, catalogue, people):
    eleni = people["eleni"]
    service = queries.service(session, BULKY)
    first = queries.filing(session, service, eleni, {"name": "Ελένη Παπαδάκη", "birth_year": 1980})
    assert first.answers == {"full_name": "Ελένη Παπαδάκη"} and not first.has_draft
    actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=bulky_answers(session), now=NOW)
    session.commit()
    other = queries.service(session, "water-meter-change")
    again = queries.filing(session, other, eleni, {"name": "Ελένη Παπαδάκη", "father_name": "Εμμανουήλ"})
    # the father's name from gov.gr (not the last application's), the phone from the last application
    assert again.answers["father_name"] == "Εμμανουήλ" and again.answers["phone"] == "6900000000"
    unknown = queries.filing(session, other, eleni, {"name": "Ελένη Παπαδάκη"})
    assert "father_name" not in unknown.answers


def test_submission_gives_reference_protocol_receipt_slot_and_timeline(session, catalogue, people):
    eleni = people["eleni"]
    session.add(Subscription(person_id=eleni.person_id, channel="push", address="https://push.example/1",
                             categories="", areas="", created_at=NOW))
    session.commit()
    actions.save_draft(session, actor=eleni, service_slug=BULKY, answers={"phone": "6900000000"}, now=NOW)
    answers = bulky_answers(session)
    app = actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=answers, now=NOW)
    session.commit()
    assert app.reference == "ΑΙΤ-2026-000001" and (app.in_protocol_number, app.in_protocol_year) == (1, 2026)
    assert app.status == rules.RECEIVED and app.channel == "online" and app.started_at is not None
    assert app.due_at > NOW and app.department == "cleaning"
    assert session.get(PickupSlot, answers["pickup_slot"]).booked == 1
    assert session.exec(select(ApplicationDraft)).all() == []
    kinds = [e.kind for e in session.exec(select(ApplicationEvent).where(ApplicationEvent.application_id == app.id))]
    assert kinds == ["received", "protocolled"]
    name, pdf = receipt.render(session, queries.viewable(session, eleni, app.reference))
    assert pdf.startswith(b"%PDF") and app.reference in name
    message = session.exec(select(OutboundMessage)).one()
    assert app.reference in message.title and message.url == f"/applications/mine/{app.id}"
    second = actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=bulky_answers(session),
                                        now=NOW)
    assert (second.reference, second.in_protocol_number) == ("ΑΙΤ-2026-000002", 2)


def test_service_without_protocol_at_submission(session, catalogue, people):
    app = actions.submit_application(session, actor=people["eleni"], service_slug="cemetery-certificate", answers={
        "full_name": "Ε", "father_name": "Γ", "phone": "1", "deceased": "Χ", "cemetery": "posidonia"}, now=NOW)
    assert app.in_protocol_number is None
    assert [e.kind for e in session.exec(select(ApplicationEvent))] == ["received"]


def test_missing_answers_are_named_and_nothing_is_written(session, catalogue, people):
    with pytest.raises(actions.FormErrors) as caught:
        actions.submit_application(session, actor=people["eleni"], service_slug=BULKY,
                                   answers={"full_name": "Ε", "area": "Ερμούπολη"}, now=NOW)
    session.rollback()
    assert {e.key for e in caught.value.errors} >= {"phone", "items", "address", "pickup_slot"}
    assert session.exec(select(Application)).all() == []


def test_slot_of_another_area_or_full_is_refused(session, catalogue, people):
    answers = bulky_answers(session, "Ποσειδωνία")
    answers["area"] = "Ερμούπολη"
    with pytest.raises(AgoraError, match="slot_full"):
        actions.submit_application(session, actor=people["eleni"], service_slug=BULKY, answers=answers, now=NOW)
    session.rollback()
    answers = bulky_answers(session)
    slot = session.get(PickupSlot, answers["pickup_slot"])
    slot.booked = slot.capacity
    session.add(slot)
    session.commit()
    with pytest.raises(AgoraError, match="slot_full"):
        actions.submit_application(session, actor=people["eleni"], service_slug=BULKY, answers=answers, now=NOW)


def test_visitor_and_gov_gr_link_are_refused(session, catalogue, people):
    with pytest.raises(PermissionDenied):
        actions.submit_application(session, actor=None, service_slug=BULKY, answers={}, now=NOW)
    with pytest.raises(NotFound):
        actions.save_draft(session, actor=people["eleni"], service_slug="permanent-residence-certificate",
                           answers={}, now=NOW)


def _permit_answers():
    return {"full_name": "Ε", "father_name": "Γ", "phone": "1", "business": "Καφέ",
            "address": {"text": "Πλατεία Μιαούλη 1", "lat": 37.4448, "lon": 24.9427}, "area_m2": "12,5",
            "season_start": "2027-04-01"}


def test_uploads_within_limits_travel_with_the_application(session, catalogue, people):
    eleni, nikos = people["eleni"], people["nikos"]
    slug = "sidewalk-table-permit"
    with pytest.raises(InvalidInput, match="file_type"):
        actions.upload_file(session, actor=eleni, service_slug=slug, field_key="plan", filename="x.exe",
                            data=b"MZ", now=NOW)
    with pytest.raises(InvalidInput, match="file_too_big"):
        actions.upload_file(session, actor=eleni, service_slug=slug, field_key="plan", filename="big.pdf",
                            data=b"%PDF-" + b"0" * (5 * 1024 * 1024), now=NOW)
    file = actions.upload_file(session, actor=eleni, service_slug=slug, field_key="plan", filename="../σκαρίφημα.pdf",
                               data=b"%PDF-1.4 plan", now=NOW)
    session.commit()
    assert file.filename == "..σκαρίφημα.pdf"
    with pytest.raises(NotFound):  # not hers
        actions.remove_file(session, actor=nikos, service_slug=slug, file_id=file.id, now=NOW)
    app = actions.submit_application(session, actor=eleni, service_slug=slug, answers=_permit_answers(), now=NOW)
    session.commit()
    stored = session.get(ApplicationFile, file.id)
    assert stored.application_id == app.id and stored.draft_id is None
    answers = json.loads(app.answers)
    assert answers["plan"] == [file.id] and answers["area_m2"] == 12.5
    assert answers["address"]["lat"] == 37.4448
    with pytest.raises(NotFound):
        queries.upload(session, nikos, file.id)
    assert queries.upload(session, eleni, file.id).data == b"%PDF-1.4 plan"


def test_foreign_file_ids_in_answers_are_refused(session, catalogue, people):
    slug = "sidewalk-table-permit"
    theirs = actions.upload_file(session, actor=people["nikos"], service_slug=slug, field_key="plan",
                                 filename="p.pdf", data=b"%PDF-1.4", now=NOW)
    session.commit()
    answers = _permit_answers() | {"plan": [theirs.id]}
    actions.save_draft(session, actor=people["eleni"], service_slug=slug, answers={}, now=NOW)
    with pytest.raises(InvalidInput):
        actions.submit_application(session, actor=people["eleni"], service_slug=slug, answers=answers, now=NOW)


def _info_requested(session, app):
    app.status, app.paused_since = rules.INFO_REQUESTED, NOW + timedelta(days=1)
    session.add(app)
    session.commit()


def test_providing_information_resumes_the_clock(session, catalogue, people):
    eleni = people["eleni"]
    app = actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=bulky_answers(session), now=NOW)
    session.commit()
    due = app.due_at
    with pytest.raises(AgoraError, match="no_information_asked"):
        actions.provide_information(session, actor=eleni, application_id=app.id, message="εδώ", now=NOW)
    _info_requested(session, app)
    with pytest.raises(PermissionDenied):
        actions.provide_information(session, actor=people["nikos"], application_id=app.id, message="εδώ είμαι",
                                    now=NOW)
    with pytest.raises(InvalidInput):
        actions.provide_information(session, actor=eleni, application_id=app.id, message=" ", now=NOW)
    later = NOW + timedelta(days=7)  # asked on Wednesday, answered next Tuesday: four working days
    actions.provide_information(session, actor=eleni, application_id=app.id, message="Δύο καρέκλες ακόμη.",
                                now=later)
    session.commit()
    session.refresh(app)
    assert app.status == rules.IN_PROGRESS and app.paused_since is None and app.paused_days == 4
    assert app.due_at > due
    last = session.exec(select(ApplicationEvent).order_by(ApplicationEvent.id.desc())).first()
    assert (last.kind, last.message, last.by_staff) == ("info_provided", "Δύο καρέκλες ακόμη.", False)


def test_rating_only_after_the_answer_once_and_own(session, catalogue, people):
    eleni = people["eleni"]
    app = actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=bulky_answers(session), now=NOW)
    session.commit()
    with pytest.raises(AgoraError, match="rate_before_answer"):
        actions.rate_application(session, actor=eleni, application_id=app.id, score=5, now=NOW)
    app.status, app.answered_at = rules.ANSWERED, NOW
    session.add(app)
    session.commit()
    with pytest.raises(PermissionDenied):
        actions.rate_application(session, actor=people["nikos"], application_id=app.id, score=1, now=NOW)
    with pytest.raises(InvalidInput):
        actions.rate_application(session, actor=eleni, application_id=app.id, score=9, now=NOW)
    actions.rate_application(session, actor=eleni, application_id=app.id, score=4, comment="Γρήγορα", now=NOW)
    with pytest.raises(AgoraError, match="rated_already"):
        actions.rate_application(session, actor=eleni, application_id=app.id, score=5, now=NOW)
    assert (app.rating_score, app.rating_comment) == (4, "Γρήγορα")


def test_view_is_own_or_the_department_desk(session, catalogue, people):
    app = actions.submit_application(session, actor=people["eleni"], service_slug=BULKY,
                                     answers=bulky_answers(session), now=NOW)
    session.commit()
    assert queries.detail(session, people["eleni"], app.id).application.id == app.id
    assert queries.detail(session, people["cleaning"], app.id).service.slug == BULKY
    assert queries.detail(session, people["admin"], app.id)
    for other in (people["nikos"], people["lighting"], None):
        with pytest.raises(PermissionDenied):
            queries.detail(session, other, app.id)
        with pytest.raises(PermissionDenied):
            queries.viewable(session, other, app.reference)
    latin = app.reference.replace("ΑΙΤ", "ait")
    assert queries.viewable(session, people["eleni"], latin).id == app.id
    with pytest.raises(NotFound):  # no signed answer yet
        queries.document(session, people["eleni"], app.reference, "answer")


def test_discard_draft_removes_its_uploads(session, catalogue, people):
    eleni = people["eleni"]
    actions.upload_file(session, actor=eleni, service_slug="sidewalk-table-permit", field_key="plan",
                        filename="p.pdf", data=b"%PDF-1.4", now=NOW)
    actions.discard_draft(session, actor=eleni, service_slug="sidewalk-table-permit")
    session.commit()
    assert session.exec(select(ApplicationFile)).all() == []
    assert session.exec(select(ApplicationDraft)).all() == []

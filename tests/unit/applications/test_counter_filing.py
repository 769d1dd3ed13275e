"""Filing at the counter with the same attachments and pickup day as online, through the
same services (``store_upload``, ``file_application``), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from syros_app.applications import actions, desk_actions, desk_views, queries
from syros_app.applications.models import ApplicationDraft, ApplicationFile, PickupSlot, Service
from syros_app.core.errors import InvalidInput, PermissionDenied
from syros_app.applications.protocol import SlotFull
from tests.support import personas

from .conftest import NOW, bulky_answers

PERMIT = {"full_name": "Ελένη Π.", "father_name": "Γεώργιος", "phone": "6900000000", "business": "Καφέ Ερμής",
          "address": "Πλατεία Μιαούλη 1", "area_m2": "12", "season_start": "2027-04-01"}


def _service(session, slug):
    return session.exec(select(Service).where(Service.slug == slug)).one()


def test_counter_uploads_travel_with_the_application_and_keep_the_limits(session, catalogue, people):
    officer = personas.officer(session, "technical", key="officer_technical")
    permit = _service(session, "sidewalk-table-permit")
    with pytest.raises(InvalidInput):  # the field's own limits, as online
        desk_actions.upload_at_counter(session, actor=officer, service_id=permit.id, field_key="plan",
                                       filename="x.exe", data=b"MZ\x90\x00", now=NOW)
    with pytest.raises(PermissionDenied):  # another department's officer
        desk_actions.upload_at_counter(session, actor=people["lighting"], service_id=permit.id, field_key="plan",
                                       filename="p.pdf", data=b"%PDF-1.4 plan", now=NOW)
    with pytest.raises(PermissionDenied):  # a resident cannot use the counter
        desk_actions.upload_at_counter(session, actor=people["eleni"], service_id=permit.id, field_key="plan",
                                       filename="p.pdf", data=b"%PDF-1.4 plan", now=NOW)
    kept = desk_actions.upload_at_counter(session, actor=officer, service_id=permit.id, field_key="plan",
                                          filename="σκαρίφημα.pdf", data=b"%PDF-1.4 plan", now=NOW)
    dropped = desk_actions.upload_at_counter(session, actor=officer, service_id=permit.id, field_key="plan",
                                             filename="λάθος.pdf", data=b"%PDF-1.4 wrong", now=NOW)
    desk_actions.remove_counter_file(session, actor=officer, service_id=permit.id, file_id=dropped.id, now=NOW)
    session.commit()
    extras = desk_views.counter_extras(session, officer, permit.id, "el")
    assert [f.name for f in extras["counter_files"]] == ["σκαρίφημα.pdf"]
    assert [c.value for c in extras["counter_attachments"]] == ["plan"] and not extras["counter_uses_slots"]
    filed = desk_actions.file_on_behalf(session, actor=officer, service_id=permit.id, taxid=personas.TAXIDS["eleni"],
                                        answers=PERMIT, now=NOW)
    session.commit()
    assert json.loads(filed.answers)["plan"] == [kept.id] and filed.channel == "counter" and filed.started_at is None
    stored = session.get(ApplicationFile, kept.id)
    assert stored.application_id == filed.id and stored.draft_id is None
    assert session.exec(select(ApplicationDraft)).all() == []  # the officer's counter uploads are used up
    assert session.get(ApplicationFile, dropped.id) is None
    # the resident sees it under her applications, with the file
    detail = queries.detail(session, people["eleni"], filed.id)
    assert detail.files == {kept.id: "σκαρίφημα.pdf"}


def test_counter_refuses_a_required_attachment_missing(session, catalogue, people):
    officer = personas.officer(session, "technical", key="officer_technical")
    permit = _service(session, "sidewalk-table-permit")
    with pytest.raises(InvalidInput) as refused:
        desk_actions.file_on_behalf(session, actor=officer, service_id=permit.id, taxid=personas.TAXIDS["eleni"],
                                    answers=PERMIT, now=NOW)
    assert refused.value.params["field"] == "plan"


def test_counter_books_the_pickup_day_within_capacity(session, catalogue, people):
    officer = people["cleaning"]
    bulky = _service(session, "bulky-waste-pickup")
    answers = {k: (v["text"] if isinstance(v, dict) else v) for k, v in bulky_answers(session).items()}
    slot = session.get(PickupSlot, answers["pickup_slot"])
    typed = desk_views.counter_answers({f"field-{k}": v for k, v in answers.items() if k != "pickup_slot"}
                                       | {"pickup_slot": str(slot.id)},
                                       desk_views.counter_fields(session, bulky.id, "el"))
    assert typed["pickup_slot"] == str(slot.id)
    assert str(slot.id) in [c.value for c in desk_views.counter_slots(session, slot.area, "el")]
    with pytest.raises(InvalidInput) as refused:  # a day is asked for, as online
        desk_actions.file_on_behalf(session, actor=officer, service_id=bulky.id, taxid=personas.TAXIDS["eleni"],
                                    answers={k: v for k, v in typed.items() if k != "pickup_slot"}, now=NOW)
    assert refused.value.params["field"] == "pickup_slot"
    filed = desk_actions.file_on_behalf(session, actor=officer, service_id=bulky.id, taxid=personas.TAXIDS["eleni"],
                                        answers=typed, now=NOW)
    session.commit()
    session.refresh(slot)
    assert filed.pickup_slot_id == slot.id and slot.booked == 1
    slot.capacity = 1
    session.add(slot)
    session.commit()
    with pytest.raises(SlotFull):  # capacity holds at the counter too
        desk_actions.file_on_behalf(session, actor=officer, service_id=bulky.id, taxid=personas.TAXIDS["nikos"],
                                    answers=typed, now=NOW)
    session.rollback()
    assert session.get(PickupSlot, slot.id).booked == 1


def test_the_officers_own_resident_draft_is_not_filed_for_someone_else(session, catalogue, people):
    """Only the officer's uploads are taken from her draft; her own typed answers are not."""
    officer = personas.officer(session, "technical", key="officer_technical")
    permit = _service(session, "sidewalk-table-permit")
    actions.save_draft(session, actor=officer, service_slug=permit.slug, answers={"business": "Δικό μου"}, now=NOW)
    desk_actions.upload_at_counter(session, actor=officer, service_id=permit.id, field_key="plan", filename="p.pdf",
                                   data=b"%PDF-1.4 plan", now=NOW)
    filed = desk_actions.file_on_behalf(session, actor=officer, service_id=permit.id, taxid=personas.TAXIDS["eleni"],
                                        answers=PERMIT, now=NOW)
    assert json.loads(filed.answers)["business"] == "Καφέ Ερμής"

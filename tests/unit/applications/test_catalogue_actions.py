"""The catalogue editor's writes on SQLite and PostgreSQL: services, form versions (a new
version never changes what an earlier application shows), publishing, pickup days —
department scope, refusals for residents, audit rows."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.applications import actions, catalogue_actions as ca, catalogue_rules as cr, queries
from syros_app.applications.models import FormVersion, PickupSlot, Service
from syros_app.core.audit import AuditEntry
from syros_app.core.errors import InvalidInput, PermissionDenied

from .conftest import NOW, bulky_answers

BULKY = "bulky-waste-pickup"
CEMETERY = "cemetery-certificate"
SERVICE = {"title_el": "Βεβαίωση μόνιμης κατοικίας", "title_en": "Residence certificate", "department": "cleaning",
           "target_days": "7", "paper_pages": "2", "fee_el": "", "fee_en": "", "active": "on",
           "purpose_el": "Για <b>σχολεία</b>", "purpose_en": "For schools"}
NOTE = {"key": "notes", "type": "textarea", "label_el": "Παρατηρήσεις", "label_en": "Notes",
        "help_el": "Ό,τι άλλο", "help_en": "Anything else", "required": "on"}


def _service(session, slug):
    return session.exec(select(Service).where(Service.slug == slug)).one()


def test_administrator_creates_and_edits_a_service_audited(session, catalogue, people):
    admin = people["admin"]
    service = ca.save_service(session, actor=admin, slug="residence", values=SERVICE, now=NOW)
    session.commit()
    assert (service.title_el, service.department, service.target_days, service.active) == (
        "Βεβαίωση μόνιμης κατοικίας", "cleaning", 7, True)
    assert service.purpose_el == "Για <b>σχολεία</b>"  # kept as typed: escaped where shown
    ca.save_service(session, actor=admin, service_id=service.id, values={**SERVICE, "active": "",
                                                                           "govgr_url": "https://www.gov.gr/x"},
                    now=NOW)
    session.commit()
    session.refresh(service)
    assert not service.active and service.govgr_url == "https://www.gov.gr/x"
    assert service not in queries.catalogue(session)
    trail = session.exec(select(AuditEntry).where(AuditEntry.action == "applications.save_service")).all()
    assert len(trail) == 2 and "active" in json.loads(trail[1].details)["changed"]


@pytest.mark.parametrize("change, field", [
    ({"title_el": ""}, "title_el"), ({"department": "nowhere"}, "department"), ({"target_days": "0"}, "target_days"),
    ({"target_days": "δέκα"}, "target_days"), ({"govgr_url": "http://evil.example/"}, "govgr_url"),
    ({"title_en": "x" * 161}, "title_en"),
])
def test_bad_service_input_is_refused_with_its_field(session, catalogue, people, change, field):
    with pytest.raises(InvalidInput) as refused:
        ca.save_service(session, actor=people["admin"], slug="residence", values={**SERVICE, **change}, now=NOW)
    assert refused.value.params["field"] == field
    session.rollback()
    assert session.exec(select(Service).where(Service.slug == "residence")).first() is None


def test_slug_must_be_new_and_well_formed(session, catalogue, people):
    for slug, key in ((BULKY, "slug_taken"), ("Κακό slug", "bad_slug")):
        with pytest.raises(InvalidInput) as refused:
            ca.save_service(session, actor=people["admin"], slug=slug, values=SERVICE, now=NOW)
        assert refused.value.key.endswith(key)


def test_officer_only_in_her_department(session, catalogue, people):
    cleaning, lighting = people["cleaning"], people["lighting"]
    bulky = _service(session, BULKY)
    ca.save_service(session, actor=cleaning, service_id=bulky.id, values={**SERVICE, "title_el": "Ογκώδη"}, now=NOW)
    with pytest.raises(PermissionDenied):
        ca.save_service(session, actor=lighting, service_id=bulky.id, values=SERVICE, now=NOW)
    with pytest.raises(PermissionDenied):  # not out of her department either
        ca.save_service(session, actor=cleaning, service_id=bulky.id, values={**SERVICE, "department": "lighting"},
                        now=NOW)
    with pytest.raises(PermissionDenied):
        ca.save_form_field(session, actor=lighting, service_id=bulky.id, field=NOTE, now=NOW)


def test_residents_are_refused_every_catalogue_write(session, catalogue, people):
    eleni, bulky = people["eleni"], _service(session, BULKY)
    slot = session.exec(select(PickupSlot)).first()
    for write, kwargs in ((ca.save_service, {"slug": "x-y-z", "values": SERVICE}),
                          (ca.save_form_field, {"service_id": bulky.id, "field": NOTE}),
                          (ca.publish_form, {"service_id": bulky.id}),
                          (ca.add_pickup_days, {"service_id": bulky.id, "area": "Ερμούπολη", "first_day": "2026-12-20",
                                                "weekdays": [0], "capacity": 5}),
                          (ca.close_slot, {"service_id": bulky.id, "slot_id": slot.id})):
        with pytest.raises(PermissionDenied):
            write(session, actor=eleni, now=NOW, **kwargs)
    assert session.exec(select(FormVersion).where(FormVersion.service_id == bulky.id)).all()[-1].version == 1


def test_new_version_is_invisible_until_published_and_old_applications_keep_theirs(session, catalogue, people):
    admin, eleni = people["admin"], people["eleni"]
    bulky = _service(session, BULKY)
    filed = actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=bulky_answers(session),
                                       now=NOW)
    session.commit()
    draft = ca.save_form_field(session, actor=admin, service_id=bulky.id, field=NOTE, now=NOW)
    ca.save_form_field(session, actor=admin, service_id=bulky.id, field={**NOTE, "label_en": "Remarks"},
                       replace_key="notes", now=NOW)
    session.commit()
    assert draft.version == 2 and not draft.published
    assert queries.form_of(session, bulky.id).version == 1  # residents still get version 1
    published = ca.publish_form(session, actor=admin, service_id=bulky.id, now=NOW)
    session.commit()
    current = queries.form_of(session, bulky.id)
    assert current.id == published.id and json.loads(current.fields)[-1]["label_en"] == "Remarks"
    old = queries.detail(session, eleni, filed.id)
    assert "notes" not in [f["key"] for f in old.fields] and filed.form_version_id != current.id
    again = actions.submit_application(session, actor=eleni, service_slug=BULKY,
                                       answers={**bulky_answers(session), "notes": "Στην αυλή"}, now=NOW)
    assert json.loads(again.answers)["notes"] == "Στην αυλή" and again.form_version_id == current.id
    # the next edit makes version 3; version 2 stays as published
    third = ca.remove_form_field(session, actor=admin, service_id=bulky.id, key="notes", now=NOW)
    assert third.version == 3 and "notes" in [f["key"] for f in json.loads(current.fields)]
    actions_logged = {e.action for e in session.exec(select(AuditEntry))}
    assert {"applications.form_field", "applications.form_publish", "applications.form_remove"} <= actions_logged


def test_draft_started_before_publishing_keeps_its_version(session, catalogue, people):
    admin, eleni, bulky = people["admin"], people["eleni"], _service(session, BULKY)
    actions.save_draft(session, actor=eleni, service_slug=BULKY, answers={"phone": "6900000000"}, now=NOW)
    ca.save_form_field(session, actor=admin, service_id=bulky.id, field=NOTE, now=NOW)
    ca.publish_form(session, actor=admin, service_id=bulky.id, now=NOW)
    session.commit()
    resumed = queries.filing(session, bulky, eleni, {})
    assert resumed.form.version == 1 and resumed.has_draft
    filed = actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=bulky_answers(session),
                                       now=NOW)
    assert filed.form_version_id == resumed.form.id  # its required new field did not apply to it


@pytest.mark.parametrize("field, where", [
    ({**NOTE, "key": "Bad Key"}, "key"), ({**NOTE, "key": "pickup_slot"}, "key"), ({**NOTE, "type": "html"}, "type"),
    ({**NOTE, "label_en": ""}, "label_en"), ({**NOTE, "type": "choice", "choices": "a | Α"}, "choices"),
    ({**NOTE, "type": "choice", "choices": ""}, "choices"),
    ({**NOTE, "type": "attachment", "max_mb": "50", "types": ["application/pdf"]}, "max_mb"),
    ({**NOTE, "type": "attachment", "max_mb": "2", "types": []}, "types"),
    ({**NOTE, "key": "phone"}, "key"),  # taken
])
def test_bad_fields_are_refused_nothing_changed(session, catalogue, people, field, where):
    bulky = _service(session, BULKY)
    with pytest.raises(InvalidInput) as refused:
        ca.save_form_field(session, actor=people["admin"], service_id=bulky.id, field=field, now=NOW)
    assert refused.value.params["field"] == where
    session.rollback()
    assert [v.version for v in session.exec(select(FormVersion).where(FormVersion.service_id == bulky.id))] == [1]


def test_choice_and_attachment_fields_are_stored_as_the_form_expects(session, catalogue, people):
    bulky = _service(session, BULKY)
    ca.save_form_field(session, actor=people["admin"], service_id=bulky.id, field={
        **NOTE, "key": "floor", "type": "choice", "choices": "ground | Ισόγειο | Ground floor\nup | Όροφος | Upstairs"},
        now=NOW)
    version = ca.save_form_field(session, actor=people["admin"], service_id=bulky.id, field={
        **NOTE, "key": "photo", "type": "attachment", "max_mb": "2", "types": ["image/jpeg", "text/html"]}, now=NOW)
    fields = {f["key"]: f for f in json.loads(version.fields)}
    assert fields["floor"]["choices"][1] == {"value": "up", "label_el": "Όροφος", "label_en": "Upstairs"}
    assert fields["photo"]["max_bytes"] == 2 * 1024 * 1024 and fields["photo"]["types"] == ["image/jpeg"]
    moved = ca.move_form_field(session, actor=people["admin"], service_id=bulky.id, key="photo", step=-1, now=NOW)
    assert [f["key"] for f in json.loads(moved.fields)][-2:] == ["photo", "floor"]
    assert cr.choices_text(fields["floor"]["choices"]).splitlines()[0] == "ground | Ισόγειο | Ground floor"


def test_publish_and_discard_need_a_version_being_edited(session, catalogue, people):
    bulky = _service(session, BULKY)
    with pytest.raises(InvalidInput):
        ca.publish_form(session, actor=people["admin"], service_id=bulky.id, now=NOW)
    ca.save_form_field(session, actor=people["admin"], service_id=bulky.id, field=NOTE, now=NOW)
    ca.discard_form_changes(session, actor=people["admin"], service_id=bulky.id, now=NOW)
    session.commit()
    assert [v.version for v in session.exec(select(FormVersion).where(FormVersion.service_id == bulky.id))] == [1]


def test_national_service_has_no_form_to_edit(session, catalogue, people):
    national = session.exec(select(Service).where(Service.govgr_url.is_not(None))).first()
    with pytest.raises(InvalidInput):
        ca.save_form_field(session, actor=people["admin"], service_id=national.id, field=NOTE, now=NOW)


def test_pickup_days_added_capacity_changed_and_closed_never_below_booked(session, catalogue, people):
    admin, eleni, bulky = people["admin"], people["eleni"], _service(session, BULKY)
    first = (NOW + timedelta(days=60)).date()
    added = ca.add_pickup_days(session, actor=admin, service_id=bulky.id, area="Άνω Σύρος",
                               first_day=first.isoformat(), last_day=(first + timedelta(days=13)).isoformat(),
                               weekdays=[0, 2], capacity="4", now=NOW)
    assert added == 4
    again = ca.add_pickup_days(session, actor=admin, service_id=bulky.id, area="Άνω Σύρος",
                               first_day=first.isoformat(), last_day=(first + timedelta(days=13)).isoformat(),
                               weekdays=[0, 2], capacity="4", now=NOW)
    assert again == 0
    answers = bulky_answers(session)
    actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=answers, now=NOW)
    actions.submit_application(session, actor=eleni, service_slug=BULKY, answers=answers, now=NOW)
    session.commit()
    slot = session.get(PickupSlot, answers["pickup_slot"])
    with pytest.raises(InvalidInput) as refused:
        ca.set_slot_capacity(session, actor=admin, service_id=bulky.id, slot_id=slot.id, capacity="1", now=NOW)
    assert refused.value.key.endswith("below_booked")
    assert ca.set_slot_capacity(session, actor=admin, service_id=bulky.id, slot_id=slot.id, capacity="3",
                                now=NOW).capacity == 3
    closed = ca.close_slot(session, actor=admin, service_id=bulky.id, slot_id=slot.id, now=NOW)
    session.commit()
    assert (closed.capacity, closed.booked) == (2, 2)
    assert slot.id not in [s.id for s in queries.open_slots(session, slot.area, NOW.date())]


@pytest.mark.parametrize("change, where", [
    ({"area": "Άτλαντίς"}, "area"), ({"first_day": "2026-11-30"}, "first_day"), ({"first_day": "χθες"}, "first_day"),
    ({"weekdays": []}, "weekdays"), ({"capacity": "0"}, "capacity"),
    ({"last_day": "2027-12-31"}, "last_day"),
])
def test_bad_pickup_days_are_refused(session, catalogue, people, change, where):
    bulky = _service(session, BULKY)
    values = {"area": "Ερμούπολη", "first_day": "2026-12-20", "last_day": "2026-12-31", "weekdays": [1],
              "capacity": "5", **change}
    with pytest.raises(InvalidInput) as refused:
        ca.add_pickup_days(session, actor=people["admin"], service_id=bulky.id, now=NOW, **values)
    assert refused.value.params["field"] == where


def test_slots_only_for_a_service_with_pickup_slots(session, catalogue, people):
    cemetery = _service(session, CEMETERY)
    with pytest.raises(InvalidInput):
        ca.add_pickup_days(session, actor=people["admin"], service_id=cemetery.id, area="Ερμούπολη",
                           first_day="2026-12-20", weekdays=[1], capacity="5", now=NOW)
    with pytest.raises(PermissionDenied):
        ca.add_pickup_days(session, actor=people["lighting"], service_id=_service(session, BULKY).id,
                           area="Ερμούπολη", first_day="2026-12-20", weekdays=[1], capacity="5", now=NOW)

"""The staff desk's writes on SQLite and PostgreSQL: department scope, the SLA clock's
pause, the outgoing protocol number and signed answer, audit rows and announcements."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from syros_app.applications import clock, desk_actions, signing
from syros_app.applications.models import (Application, ApplicationEvent, ApplicationFile, ApplicationNote,
                                           FormVersion, Service)
from syros_app.core import events
from syros_app.core.audit import AuditEntry
from syros_app.core.errors import InvalidInput, NotFound, PermissionDenied
from syros_app.reports import rules as calendar
from tests.support import personas

ATHENS = ZoneInfo("Europe/Athens")
FIELDS = [{"key": "address", "type": "address", "required": True, "label_el": "Διεύθυνση", "label_en": "Address"},
          {"key": "items", "type": "textarea", "required": True, "label_el": "Αντικείμενα", "label_en": "Items"}]


def athens(*args) -> datetime:
    return datetime(*args, tzinfo=ATHENS).astimezone(timezone.utc)


MONDAY = athens(2026, 3, 9, 9)


def make_service(session, department="cleanliness", slug="bulky", title="Ογκώδη αντικείμενα", target_days=5,
                 paper_pages=2):
    service = Service(slug=slug, title_el=title, title_en=slug.capitalize(), target_days=target_days,
                      department=department, paper_pages=paper_pages, created_at=MONDAY, updated_at=MONDAY)
    session.add(service)
    session.flush()
    version = FormVersion(service_id=service.id, version=1, fields=json.dumps(FIELDS), created_at=MONDAY)
    session.add(version)
    session.commit()
    return service


_seq = iter(range(1, 10**6))


def make_application(session, service, person_id, *, submitted=MONDAY, status="received", channel="online",
                     started=None, **extra):
    version = session.exec(select(FormVersion).where(FormVersion.service_id == service.id)).first()
    number = next(_seq)
    values = dict(reference=f"ΑΙΤ-2026-{number:06d}", person_id=person_id, service_id=service.id,
                  form_version_id=version.id, department=service.department,
                  answers=json.dumps({"address": "Ερμού 12", "items": "Ένας καναπές"}), status=status, channel=channel,
                  started_at=started or (submitted - timedelta(minutes=10)), submitted_at=submitted, updated_at=submitted,
                  in_protocol_year=2026, in_protocol_number=number, in_protocol_at=submitted,
                  target_days=service.target_days, due_at=calendar.add_working_days(submitted, service.target_days))
    values.update(extra)
    application = Application(**values)
    session.add(application)
    session.commit()
    return application


@pytest.fixture
def desk(session):
    cleaning = make_service(session)
    finance = make_service(session, department="finance", slug="tables", title="Τραπεζοκαθίσματα")
    stella = personas.resident(session, "stella", display_name="Στέλλα Βαφειάδη")
    people = {
        "stella": stella,
        "officer": personas.officer(session, "cleanliness", key="maria"),
        "colleague": personas.officer(session, "cleanliness", key="kostas"),
        "other": personas.officer(session, "finance", key="giorgos"),
        "admin": personas.administrator(session),
    }
    return {"people": people, "cleaning": cleaning, "finance": finance,
            "app": make_application(session, cleaning, stella.person_id),
            "finance_app": make_application(session, finance, stella.person_id)}


@pytest.fixture
def announced(monkeypatch):
    seen = []
    monkeypatch.setattr(events, "publish", lambda session, name, payload, now=None: seen.append((name, payload)))
    return seen


def audit_rows(session):
    return [(e.action, e.target, json.loads(e.details) if e.details else {})
            for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_an_officer_works_only_her_own_departments_applications(session, desk):
    officer = desk["people"]["officer"]
    with pytest.raises(PermissionDenied):
        desk_actions.add_internal_note(session, actor=officer, application_id=desk["finance_app"].id, body="Κοιτάζω")
    with pytest.raises(PermissionDenied):
        desk_actions.request_information(session, actor=desk["people"]["stella"], application_id=desk["app"].id,
                                         message="Στείλτε φωτογραφία")
    with pytest.raises(NotFound):
        desk_actions.add_internal_note(session, actor=officer, application_id=10**9, body="Κοιτάζω")
    session.rollback()
    note = desk_actions.add_internal_note(session, actor=desk["people"]["admin"],
                                          application_id=desk["finance_app"].id, body="Το βλέπει η Οικονομική")
    assert note.id and audit_rows(session)[-1][0] == "applications.internal_note"


def test_assignment_to_an_officer_of_the_department_starts_the_work(session, desk, announced):
    app, people = desk["app"], desk["people"]
    with pytest.raises(InvalidInput, match="officer_not_in_department"):
        desk_actions.assign_application(session, actor=people["officer"], application_id=app.id,
                                        officer_id=people["other"].person_id)
    desk_actions.assign_application(session, actor=people["officer"], application_id=app.id,
                                    officer_id=people["colleague"].person_id, now=MONDAY + timedelta(hours=1))
    session.commit()
    assert (app.assigned_to, app.status) == (people["colleague"].person_id, "in_progress")
    assert announced[-1][0] == "application.status_changed" and announced[-1][1]["status"] == "in_progress"
    assert audit_rows(session)[-1][:2] == ("applications.assign", f"application:{app.id}")


def test_asking_for_information_pauses_the_clock_and_the_answer_moves_it(session, desk, announced):
    app, officer = desk["app"], desk["people"]["officer"]
    due = app.due_at
    with pytest.raises(InvalidInput, match="message_missing"):
        desk_actions.request_information(session, actor=officer, application_id=app.id, message="  ")
    desk_actions.request_information(session, actor=officer, application_id=app.id,
                                     message="Πόσα αντικείμενα είναι;", now=MONDAY + timedelta(days=1))
    session.commit()
    assert app.status == "info_requested" and app.paused_since is not None
    step = session.exec(select(ApplicationEvent).where(ApplicationEvent.application_id == app.id)).all()[-1]
    assert (step.kind, step.message, step.by_staff) == ("info_requested", "Πόσα αντικείμενα είναι;", True)
    assert announced[-1][1]["step"] == "info_requested"
    # the resident's answer (apps' provide_information) ends the pause; here as it would
    clock.resume(app, MONDAY + timedelta(days=3))  # Tuesday 9:00 → Thursday 9:00: 2 working days
    assert app.paused_days == pytest.approx(2.0)
    assert calendar.working_days_between(due, app.due_at) == pytest.approx(2.0)


def test_the_answer_gets_an_outgoing_number_and_a_signed_pdf(session, desk, announced):
    app, officer = desk["app"], desk["people"]["officer"]
    with pytest.raises(InvalidInput, match="decision_missing"):
        desk_actions.answer_application(session, actor=officer, application_id=app.id, decision="Ναι")
    desk_actions.request_information(session, actor=officer, application_id=app.id, message="Πόσα αντικείμενα;",
                                     now=MONDAY + timedelta(days=1))
    answered_at = MONDAY + timedelta(days=2)  # Wednesday 9:00: 2 working days, 1 of them paused
    desk_actions.answer_application(session, actor=officer, application_id=app.id, now=answered_at,
                                    decision="Η παραλαβή ορίστηκε για την Παρασκευή 13 Μαρτίου.")
    session.commit()
    assert (app.status, app.out_protocol_year, app.out_protocol_number) == ("answered", 2026, 1)
    assert app.paused_since is None and app.decision_work_days == pytest.approx(1.0)
    pdf = session.exec(select(ApplicationFile).where(ApplicationFile.application_id == app.id,
                                                     ApplicationFile.kind == "answer")).one()
    check = signing.validate(pdf.data)
    assert check.ok and pdf.content_type == "application/pdf"
    assert audit_rows(session)[-1][2]["out_protocol"] == "Εξ. 1/2026"
    assert announced[-1][1]["status"] == "answered"
    second = make_application(session, desk["cleaning"], desk["people"]["stella"].person_id)
    desk_actions.answer_application(session, actor=officer, application_id=second.id, now=answered_at,
                                    decision="Δεν παραλαμβάνονται μπάζα οικοδομών.")
    assert second.out_protocol_number == 2  # the same gap-free yearly sequence
    with pytest.raises(InvalidInput, match="wrong_status"):
        desk_actions.request_information(session, actor=officer, application_id=app.id, message="Κάτι ακόμη;")


def test_closing_needs_an_answer_first(session, desk, announced):
    app, officer = desk["app"], desk["people"]["officer"]
    with pytest.raises(InvalidInput, match="wrong_status"):
        desk_actions.close_application(session, actor=officer, application_id=app.id)
    desk_actions.answer_application(session, actor=officer, application_id=app.id, decision="Εγκρίνεται η αίτηση.")
    desk_actions.close_application(session, actor=officer, application_id=app.id)
    session.commit()
    assert app.status == "closed" and app.closed_at is not None
    assert [a for a, _t, _d in audit_rows(session)][-2:] == ["applications.answer", "applications.close"]


def test_internal_notes_are_not_public_steps(session, desk, announced):
    app, officer = desk["app"], desk["people"]["officer"]
    desk_actions.add_internal_note(session, actor=officer, application_id=app.id, body="Ο γείτονας έχει παράπονα.")
    session.commit()
    assert session.exec(select(ApplicationNote)).one().body == "Ο γείτονας έχει παράπονα."
    assert not session.exec(select(ApplicationEvent)).all() and not announced


def test_protocol_after_submission_uses_the_incoming_sequence(session, desk, announced):
    officer = desk["people"]["officer"]
    late = make_application(session, desk["cleaning"], desk["people"]["stella"].person_id,
                            in_protocol_year=None, in_protocol_number=None, in_protocol_at=None)
    desk_actions.protocol_application(session, actor=officer, application_id=late.id, now=MONDAY)
    session.commit()
    assert late.in_protocol_year == 2026 and late.in_protocol_number == 1
    with pytest.raises(InvalidInput, match="already_protocolled"):
        desk_actions.protocol_application(session, actor=officer, application_id=late.id)


def test_filing_at_the_counter_is_recorded_and_found_by_the_resident(session, catalogue, people):
    from syros_app.identity.hashing import with_check_digit
    from tests.unit.applications.conftest import bulky_answers

    bulky = session.exec(select(Service).where(Service.slug == "bulky-waste-pickup")).one()
    officer, lighting = people["cleaning"], people["lighting"]
    with pytest.raises(PermissionDenied):  # another department's officer
        desk_actions.file_on_behalf(session, actor=lighting, service_id=bulky.id, taxid=personas.TAXIDS["eleni"],
                                    answers=bulky_answers(session))
    with pytest.raises(PermissionDenied):  # a resident cannot file for someone else
        desk_actions.file_on_behalf(session, actor=people["nikos"], service_id=bulky.id,
                                    taxid=personas.TAXIDS["eleni"], answers=bulky_answers(session))
    with pytest.raises(InvalidInput, match="invalid_taxid"):
        desk_actions.file_on_behalf(session, actor=officer, service_id=bulky.id, taxid="123456789",
                                    answers=bulky_answers(session))
    session.rollback()
    filed = desk_actions.file_on_behalf(session, actor=officer, service_id=bulky.id, taxid=personas.TAXIDS["eleni"],
                                        answers=bulky_answers(session))
    session.commit()
    assert (filed.channel, filed.filed_by, filed.person_id) == ("counter", officer.person_id,
                                                                 people["eleni"].person_id)
    assert filed.in_protocol_number is not None and filed.started_at is None
    from syros_app.applications import receipt

    name, pdf = receipt.render(session, filed)  # the receipt is drawn from the rows when fetched
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    assert audit_rows(session)[-1][:2] == ("applications.file_on_behalf", f"application:{filed.id}")
    # a resident who never logged in: recorded by keyed ΑΦΜ only, found at her first login
    newcomer = with_check_digit("40000001")
    with pytest.raises(InvalidInput, match="name_missing"):
        desk_actions.file_on_behalf(session, actor=officer, service_id=bulky.id, taxid=newcomer,
                                    answers=bulky_answers(session))
    session.rollback()
    second = desk_actions.file_on_behalf(session, actor=officer, service_id=bulky.id, taxid=newcomer,
                                         name="Άννα Ρούσσου", answers=bulky_answers(session))
    session.commit()
    from syros_app.identity.models import Person

    assert session.get(Person, second.person_id).display_name == "Άννα Ρούσσου"

"""Demo e-applications for ``make run``: the catalogue (four local services with forms,
two gov.gr links), pickup days for the coming weeks, and one answered application of
the demo resident *stella* with its signed answer. Idempotent: services by slug,
slots by (area, day), stella's application by her having one."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from syros_app.core.timefmt import to_athens, utcnow
from syros_app.demo.seed import demo_loader
from syros_app.identity.govgr import display_name_for
from syros_app.identity.hashing import taxid_hmac
from syros_app.identity.models import Person
from syros_app.identity.stand_in import demo_resident

from . import clock, documents, protocol, rules
from .actions import file_application, latest_form
from .models import Application, ApplicationEvent, ApplicationFile, FormVersion, PickupSlot, Service
from .receipt import protocol_text

# Four local services with their forms, two national ones (gov.gr links), the pickup areas.
CATALOGUE = json.loads((Path(__file__).with_name("demo_catalogue.json")).read_text(encoding="utf-8"))
SLOT_DAYS = (1, 3)  # Tuesdays and Thursdays
SLOT_CAPACITY = 12
SLOT_WEEKS = 6
_SERVICE_KEYS = ("slug", "department", "target_days", "paper_pages", "uses_pickup_slots", "protocol_at_submission",
                 "sort_order", "mitos_id", "govgr_url", "title_el", "title_en", "purpose_el", "purpose_en",
                 "eligibility_el", "eligibility_en", "documents_el", "documents_en", "fee_el", "fee_en")


def load_services(session: Session, now) -> int:
    added = 0
    for spec in CATALOGUE["services"]:
        if session.exec(select(Service.id).where(Service.slug == spec["slug"])).first() is not None:
            continue
        service = Service(**{k: spec[k] for k in _SERVICE_KEYS if k in spec}, created_at=now, updated_at=now)
        session.add(service)
        session.flush()
        if "fields" in spec:
            session.add(FormVersion(service_id=service.id, version=1, created_at=now,
                                    fields=json.dumps(rules.check_fields(spec["fields"]), ensure_ascii=False)))
        added += 1
    session.flush()
    return added


def load_slots(session: Session, now) -> int:
    today = to_athens(now).date()
    existing = set(session.exec(select(PickupSlot.area, PickupSlot.day).where(PickupSlot.day > today)).all())
    added = 0
    for offset in range(1, SLOT_WEEKS * 7 + 1):
        day = today + timedelta(days=offset)
        if day.weekday() not in SLOT_DAYS:
            continue
        for area in CATALOGUE["units"]:
            if (area, day) not in existing:
                session.add(PickupSlot(area=area, day=day, capacity=SLOT_CAPACITY))
                added += 1
    session.flush()
    return added


def _stella(session: Session) -> Person:
    """The demo resident (the person row a stand-in login of hers finds; made if missing)."""
    resident = demo_resident("stella")
    digest = taxid_hmac(resident.taxid)
    person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first() or Person(
        taxid_hmac=digest, display_name=display_name_for(resident.first_name, resident.last_name),
        birth_year=resident.birth_year)
    session.add(person)
    session.flush()
    return person


def load_answered(session: Session, now) -> int:
    """Stella's cemetery certificate, filed two weeks ago and answered with a signed PDF."""
    person = _stella(session)
    if session.exec(select(Application.id).where(Application.person_id == person.id)).first():
        return 0
    service = session.exec(select(Service).where(Service.slug == "cemetery-certificate")).one()
    form = latest_form(session, service.id)
    filed = now - timedelta(days=14)
    application = file_application(session, service=service, form=form, person_id=person.id, answers={
        "full_name": "Στέλλα Μαραγκού", "father_name": "Φραγκίσκος", "phone": "2281081234",
        "deceased": "Ιωάννης Μαραγκός", "burial_date": "1998-03-14", "cemetery": "posidonia",
        "purpose": "Για τη μεταφορά οστών.",
    }, channel="online", filed_by=None, draft=None, now=filed)
    year = to_athens(filed).year
    application.in_protocol_year, application.in_protocol_at = year, filed
    application.in_protocol_number = protocol.next_number(session, "in", year)
    answered = filed + timedelta(days=2)
    application.out_protocol_year = year
    application.out_protocol_number = protocol.next_number(session, "out", year)
    application.status, application.answered_at = rules.ANSWERED, answered
    application.decision_work_days = clock.decision_days(application, answered)
    decision = ("Βεβαιώνεται ότι ο Ιωάννης Μαραγκός ετάφη στο Κοιμητήριο Ποσειδωνίας στις 14 Μαρτίου 1998 "
                "(τάφος 112, τμήμα Β).")
    pdf = documents.signed_answer(documents.AnswerData(
        reference=application.reference, service=service.title_el, applicant=person.display_name,
        outgoing_protocol=protocol_text("out", application.out_protocol_number, year), decision=decision,
        officer="Υπηρεσία Εξυπηρέτησης Πολιτών", answered_at=answered,
        incoming_protocol=protocol_text("in", application.in_protocol_number, year)))
    session.add(ApplicationFile(kind="answer", application_id=application.id, person_id=None,
                                filename=documents.answer_filename(application.reference),
                                content_type="application/pdf", size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
                                data=pdf, created_at=answered))
    for kind, at, message in (("protocolled", filed, ""), ("in_progress", filed + timedelta(days=1), ""),
                              ("answered", answered, decision)):
        session.add(ApplicationEvent(application_id=application.id, kind=kind, message=message, by_staff=True,
                                     created_at=at))
    session.add(application)
    session.flush()
    return 1


@demo_loader("applications")
def load(session: Session) -> int:
    now = utcnow()
    return load_services(session, now) + load_slots(session, now) + load_answered(session, now)

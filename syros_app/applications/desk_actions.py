"""Writes of the staff desk: assignment, protocol, asking for information, internal
notes, the signed answer with its outgoing protocol number, closing, and filing on
behalf of a resident at the counter.

Every one is an ``@action`` of the applications matrix: the role check comes first,
then ``_desk_application`` loads the application and holds an officer to her own
department. Each writes its audit row; a change the applicant should know about also
writes a public timeline step and an ``application.status_changed`` event (announced
through the notices outbox) in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlmodel import Session, select

from syros_app.core.actions import action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import InvalidInput, NotFound, PermissionDenied
from syros_app.core.timefmt import to_athens
from syros_app.identity.hashing import is_valid_taxid, normalise_taxid, taxid_hmac
from syros_app.identity.models import Person
from syros_app.reports import queries as report_queries

from . import clock, documents, notify, protocol
from .actions import _draft, drop_upload, file_application, latest_form, store_upload
from .receipt import protocol_text
from .rules import ANSWERED, CLOSED, IN_PROGRESS, INFO_REQUESTED, OPEN_STATUSES as OPEN, RECEIVED
from .models import Application, ApplicationEvent, ApplicationFile, ApplicationNote, Service
from .permissions import MATRIX

NS = "applications_desk"
MESSAGE_MAX = 4000


def _text(value: str, *, field: str, minimum: int, key: str) -> str:
    value = (value or "").strip()[:MESSAGE_MAX]
    if len(value) < minimum:
        raise InvalidInput(f"{NS}.errors.{key}", field=field)
    return value


def _desk_application(session: Session, actor: Actor, permission: str, application_id: int,
                      *, lock: bool = False) -> Application:
    """The application, when this actor's desk covers its department."""
    application = session.get(Application, application_id, with_for_update=lock or None)
    if application is None:
        raise NotFound(f"{NS}.errors.not_found")
    if not MATRIX.allows(actor, permission, application):
        raise PermissionDenied(f"{NS}.errors.other_department")
    application.resident_answered_at = None  # the desk has taken it up again
    return application


def _require(application: Application, *statuses: str) -> None:
    if application.status not in statuses:
        raise InvalidInput(f"{NS}.errors.wrong_status")


def _step(session: Session, application: Application, kind: str, message: str, actor: Actor,
          now: datetime) -> None:
    """A public timeline step, announced to the applicant (her channels, through the outbox)."""
    session.add(ApplicationEvent(application_id=application.id, kind=kind, message=message, by_staff=True,
                                 actor_id=actor.person_id or None, created_at=now))
    application.updated_at = now
    session.add(application)
    notify.publish_step(session, application, kind, message, now)


@action(MATRIX, "assign_application")
def assign_application(session: Session, *, actor: Actor, application_id: int, officer_id: int | None = None,
                       now: datetime) -> Application:
    """Give the application to an officer of its department (or to nobody). The first
    assignment tells the applicant that work has started."""
    application = _desk_application(session, actor, "assign_application", application_id)
    _require(application, *OPEN)
    if officer_id:
        known = {pid for pid, _name, _dept in report_queries.officers(session, application.department)}
        if officer_id not in known:
            raise InvalidInput(f"{NS}.errors.officer_not_in_department", field="officer_id")
    previous = application.assigned_to
    application.assigned_to = officer_id or None
    audit(session, actor, "applications.assign", f"application:{application.id}", now=now,
          details={"from": previous, "to": application.assigned_to})
    if application.status == RECEIVED and officer_id:
        application.status = IN_PROGRESS
        _step(session, application, IN_PROGRESS, "", actor, now)
    else:
        application.updated_at = now
        session.add(application)
    session.flush()
    return application


@action(MATRIX, "protocol_application")
def protocol_application(session: Session, *, actor: Actor, application_id: int, now: datetime) -> Application:
    """The incoming protocol number, for a department that protocols after submission
    (the same gap-free yearly sequence as at submission)."""
    application = _desk_application(session, actor, "protocol_application", application_id, lock=True)
    _require(application, *OPEN)
    if application.in_protocol_number is not None:
        raise InvalidInput(f"{NS}.errors.already_protocolled")
    year = to_athens(now).year
    application.in_protocol_year, application.in_protocol_number = year, protocol.next_number(session, "in", year)
    application.in_protocol_at = now
    label = protocol_text("in", application.in_protocol_number, year)
    audit(session, actor, "applications.protocol", f"application:{application.id}", now=now,
          details={"in_protocol": label})
    _step(session, application, "protocolled", label, actor, now)
    session.flush()
    return application


@action(MATRIX, "request_information")
def request_information(session: Session, *, actor: Actor, application_id: int, message: str,
                        now: datetime) -> Application:
    """Ask the applicant for more (she answers in the app); the SLA clock pauses until then."""
    application = _desk_application(session, actor, "request_information", application_id, lock=True)
    _require(application, RECEIVED, IN_PROGRESS)
    message = _text(message, field="message", minimum=5, key="message_missing")
    application.status = INFO_REQUESTED
    clock.pause(application, now)
    audit(session, actor, "applications.request_information", f"application:{application.id}", now=now,
          details={"message": message})
    _step(session, application, INFO_REQUESTED, message, actor, now)
    session.flush()
    return application


@action(MATRIX, "add_internal_note")
def add_internal_note(session: Session, *, actor: Actor, application_id: int, body: str,
                      now: datetime) -> ApplicationNote:
    """A note for colleagues: never shown to the applicant, never announced."""
    application = _desk_application(session, actor, "add_internal_note", application_id)
    body = _text(body, field="body", minimum=2, key="note_missing")
    note = ApplicationNote(application_id=application.id, author_id=actor.person_id or None, body=body,
                           created_at=now)
    session.add(note)
    session.flush()
    audit(session, actor, "applications.internal_note", f"application:{application.id}", now=now,
          details={"note_id": note.id})
    return note


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _answer_data(session: Session, application: Application, actor: Actor, decision: str,
                 now: datetime) -> documents.AnswerData:
    service = session.get(Service, application.service_id)
    person = session.get(Person, application.person_id) if application.person_id else None
    return documents.AnswerData(
        reference=application.reference, service=service.title_el if service else "",
        applicant=person.display_name if person and person.deleted_at is None else "",
        outgoing_protocol=protocol_text("out", application.out_protocol_number, application.out_protocol_year),
        incoming_protocol=protocol_text("in", application.in_protocol_number, application.in_protocol_year),
        decision=decision, officer=actor.display_name, answered_at=now, department=application.department)


@action(MATRIX, "answer_application")
def answer_application(session: Session, *, actor: Actor, application_id: int, decision: str,
                       now: datetime) -> Application:
    """The answer: an outgoing protocol number and the decision as a PDF signed by the
    municipality (kept in the database with the application), announced to the applicant."""
    application = _desk_application(session, actor, "answer_application", application_id, lock=True)
    _require(application, *OPEN)
    decision = _text(decision, field="decision", minimum=10, key="decision_missing")
    clock.resume(application, now)
    year = to_athens(now).year
    application.out_protocol_year, application.out_protocol_number = year, protocol.next_number(session, "out", year)
    pdf = documents.signed_answer(_answer_data(session, application, actor, decision, now))
    session.add(ApplicationFile(kind="answer", application_id=application.id, person_id=None,
                                filename=documents.answer_filename(application.reference),
                                content_type="application/pdf", size=len(pdf), sha256=_sha256(pdf), data=pdf,
                                created_at=now))
    application.status = ANSWERED
    application.answered_at = now
    application.decision_work_days = clock.decision_days(application, now)
    label = protocol_text("out", application.out_protocol_number, year)
    audit(session, actor, "applications.answer", f"application:{application.id}", now=now,
          details={"out_protocol": label, "sha256": _sha256(pdf)})
    _step(session, application, ANSWERED, decision, actor, now)
    session.flush()
    return application


@action(MATRIX, "close_application")
def close_application(session: Session, *, actor: Actor, application_id: int, now: datetime) -> Application:
    """Close an answered application (final: the timeline's last step)."""
    application = _desk_application(session, actor, "close_application", application_id, lock=True)
    _require(application, ANSWERED)
    application.status = CLOSED
    application.closed_at = now
    audit(session, actor, "applications.close", f"application:{application.id}", now=now)
    _step(session, application, CLOSED, "", actor, now)
    session.flush()
    return application


def _person_at_counter(session: Session, taxid: str, name: str) -> Person:
    """The resident standing at the counter, found by ΑΦΜ (keyed hash only), or recorded
    now so that her gov.gr login later finds the application under "My applications"."""
    raw = (taxid or "").strip()
    if not (len(raw) == 9 and raw.isdigit() and is_valid_taxid(raw)):
        raise InvalidInput("identity.errors.invalid_taxid", field="taxid")
    digest = taxid_hmac(normalise_taxid(raw))
    person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
    if person is None:
        name = " ".join((name or "").split())[:80]
        if len(name) < 2:
            raise InvalidInput(f"{NS}.errors.name_missing", field="name")
        person = Person(taxid_hmac=digest, display_name=name)
        session.add(person)
        session.flush()
    return person


def _counter_service(session: Session, actor: Actor, service_id: int) -> Service:
    service = session.get(Service, service_id)
    if service is None or service.govgr_url or not service.active:
        raise NotFound("applications.errors.service_not_found")
    if not MATRIX.allows(actor, "file_on_behalf", service):
        raise PermissionDenied(f"{NS}.errors.other_department")
    return service


@action(MATRIX, "file_on_behalf")
def upload_at_counter(session: Session, *, actor: Actor, service_id: int, field_key: str, filename: str,
                      data: bytes, now: datetime) -> ApplicationFile:
    """A document the resident handed in at the counter, scanned: the same checks as her own
    upload (``actions.store_upload``), kept in the officer's draft of the service until the
    filing takes it."""
    return store_upload(session, actor.person_id, _counter_service(session, actor, service_id), field_key, filename,
                        data, now)


@action(MATRIX, "file_on_behalf")
def remove_counter_file(session: Session, *, actor: Actor, service_id: int, file_id: int, now: datetime) -> None:
    drop_upload(session, actor.person_id, _counter_service(session, actor, service_id), file_id, now)


def counter_uploads(session: Session, person_id: int, service: Service, form_fields: list[dict]) -> tuple:
    """The officer's draft of the service (her uploads waiting at the counter) and the file
    ids per attachment field."""
    draft = _draft(session, person_id, service.id)
    kept = json.loads(draft.answers) if draft is not None else {}
    return draft, {f["key"]: kept.get(f["key"]) or [] for f in form_fields if f["type"] == "attachment"}


@action(MATRIX, "file_on_behalf")
def file_on_behalf(session: Session, *, actor: Actor, service_id: int, taxid: str, name: str = "",
                   answers: dict, now: datetime) -> Application:
    """File an application for a resident who came to the counter (channel ``counter``):
    the same checks, numbers, receipt, pickup-day booking, attachments (uploaded at the
    counter, ``upload_at_counter``) and announcements as online, plus the audit row naming
    the officer who filed it."""
    service = _counter_service(session, actor, service_id)
    person = _person_at_counter(session, taxid, name)
    form = latest_form(session, service.id)
    draft, files = counter_uploads(session, actor.person_id, service, json.loads(form.fields))
    application = file_application(session, service=service, form=form, person_id=person.id,
                                   answers={**answers, **files}, channel="counter",
                                   filed_by=actor.person_id or None, draft=draft, now=now,
                                   applicant_name=person.display_name)
    application.started_at = None  # not an online draft: the completion rate counts online forms only
    audit(session, actor, "applications.file_on_behalf", f"application:{application.id}", now=now,
          details={"reference": application.reference, "service": service.slug, "person_id": person.id})
    return application

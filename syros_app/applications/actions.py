"""Writes of e-applications on the resident's side: the server-side draft (saved as she
types), uploads, submission (reference, incoming protocol number, receipt PDF, pickup
slot — all in one transaction), answering a request for more information (the clock
resumes) and rating the answer. The desk's writes are in ``desk_actions``.

Each is an action (``core.actions.action``): the role matrix is checked first, the
input is typed, and the caller's ``session_scope`` commits.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.actions import action
from syros_app.core.actors import Actor
from syros_app.core.errors import AgoraError, InvalidInput, NotFound
from syros_app.core.timefmt import to_athens

from . import clock, notify, protocol, queries, rules
from .models import Application, ApplicationDraft, ApplicationEvent, ApplicationFile, FormVersion, Service
from .permissions import MATRIX

MAX_FILES_PER_FIELD = 5


class FormErrors(InvalidInput):
    """Some answers are missing or malformed: ``errors`` names each field and why."""

    def __init__(self, errors: list[rules.FieldError]) -> None:
        first = errors[0]
        super().__init__("applications.errors.form", field=first.key, count=len(errors))
        self.errors = errors


def _service(session: Session, slug: str) -> Service:
    service = session.exec(select(Service).where(Service.slug == slug)).first()
    if service is None or not service.active or service.govgr_url:
        raise NotFound("applications.errors.service_not_found")
    return service


def latest_form(session: Session, service_id: int) -> FormVersion:
    form = queries.form_of(session, service_id)
    if form is None:
        raise NotFound("applications.errors.service_not_found")
    return form


def _draft(session: Session, person_id: int, service_id: int) -> ApplicationDraft | None:
    return session.exec(select(ApplicationDraft).where(ApplicationDraft.person_id == person_id,
                                                       ApplicationDraft.service_id == service_id)).first()


def _draft_for_writing(session: Session, person_id: int, service: Service, now: datetime) -> ApplicationDraft:
    draft = _draft(session, person_id, service.id)
    if draft is not None:
        return draft
    try:  # a savepoint: two tabs starting the same draft at once end with one draft
        with session.begin_nested():
            draft = ApplicationDraft(person_id=person_id, service_id=service.id,
                                     form_version_id=latest_form(session, service.id).id, answers="{}",
                                     started_at=now, updated_at=now)
            session.add(draft)
            session.flush()
        return draft
    except Exception:  # noqa: BLE001 - the other tab's draft won the unique constraint
        found = _draft(session, person_id, service.id)
        if found is None:
            raise
        return found


def _fields(session: Session, form_version_id: int) -> list[dict]:
    return json.loads(session.get(FormVersion, form_version_id).fields)


@action(MATRIX, "save_draft")
def save_draft(session: Session, *, actor: Actor, service_slug: str, answers: dict, now: datetime) -> ApplicationDraft:
    """Keep what is well-formed of the answers so far (uploads are kept by ``upload_file``)."""
    service = _service(session, service_slug)
    draft = _draft_for_writing(session, actor.person_id, service, now)
    fields = _fields(session, draft.form_version_id)
    kept = json.loads(draft.answers)
    clean, errors = rules.clean_answers(fields, answers, final=False, uses_slots=service.uses_pickup_slots)
    bad = {e.key for e in errors}
    files = {f["key"] for f in fields if f["type"] == "attachment"}
    for key, value in clean.items():
        if key in answers and key not in files and key not in bad:  # files change only by upload/remove
            kept[key] = value
    draft.answers = json.dumps(kept, ensure_ascii=False)
    draft.updated_at = now
    session.add(draft)
    session.flush()
    return draft


def _attachment_field(session: Session, form_version_id: int, field_key: str) -> dict:
    field = next((f for f in _fields(session, form_version_id)
                  if f["key"] == field_key and f["type"] == "attachment"), None)
    if field is None:
        raise InvalidInput("applications.errors.no_such_field", field="field_key")
    return field


def _set_files(draft: ApplicationDraft, field_key: str, ids: list[int]) -> None:
    answers = json.loads(draft.answers)
    answers[field_key] = ids
    draft.answers = json.dumps(answers, ensure_ascii=False)


@action(MATRIX, "upload_file")
def upload_file(session: Session, *, actor: Actor, service_slug: str, field_key: str, filename: str,
                data: bytes, now: datetime) -> ApplicationFile:
    """An attachment of the draft, kept in the database, within its field's stated limits
    (its type read from its content, never from what the browser claims)."""
    return store_upload(session, actor.person_id, _service(session, service_slug), field_key, filename, data, now)


def store_upload(session: Session, person_id: int, service: Service, field_key: str, filename: str, data: bytes,
                 now: datetime) -> ApplicationFile:
    """The upload itself, into the person's draft of ``service``: shared by the resident's
    ``upload_file`` and the counter's ``desk_actions.upload_at_counter`` (each checks its
    own permission first)."""
    found = _draft(session, person_id, service.id)  # checked before any draft is made for it
    field = _attachment_field(session, found.form_version_id if found else latest_form(session, service.id).id,
                              field_key)
    content_type = rules.sniff_type(data)
    problem = rules.file_problem(field, content_type=content_type, size=len(data))
    if problem:
        raise InvalidInput(problem, field=field_key)
    draft = found or _draft_for_writing(session, person_id, service, now)
    current = list(json.loads(draft.answers).get(field_key) or [])
    if len(current) >= MAX_FILES_PER_FIELD:
        raise InvalidInput("applications.errors.too_many_files", field=field_key, n=MAX_FILES_PER_FIELD)
    name = "".join(ch for ch in (filename or "file").strip() if ch.isprintable() and ch not in "/\\")[-200:] or "file"
    file = ApplicationFile(kind="upload", draft_id=draft.id, person_id=person_id, field_key=field_key,
                           filename=name, content_type=content_type, size=len(data),
                           sha256=hashlib.sha256(data).hexdigest(), data=data, created_at=now)
    session.add(file)
    session.flush()
    _set_files(draft, field_key, [*current, file.id])
    draft.updated_at = now
    session.add(draft)
    return file


@action(MATRIX, "upload_file")
def remove_file(session: Session, *, actor: Actor, service_slug: str, file_id: int, now: datetime) -> None:
    drop_upload(session, actor.person_id, _service(session, service_slug), file_id, now)


def drop_upload(session: Session, person_id: int, service: Service, file_id: int, now: datetime) -> None:
    """Remove one upload of the person's draft of ``service`` (resident and counter alike)."""
    draft = _draft(session, person_id, service.id)
    file = session.get(ApplicationFile, file_id)
    if draft is None or file is None or file.draft_id != draft.id or file.application_id is not None:
        raise NotFound("applications.errors.file_not_found")
    answers = json.loads(draft.answers)
    _set_files(draft, file.field_key, [i for i in answers.get(file.field_key) or [] if i != file_id])
    draft.updated_at = now
    session.add(draft)
    session.delete(file)


def _claim_files(session: Session, fields: list[dict], answers: dict, draft: ApplicationDraft | None,
                 application: Application) -> None:
    """Move the draft's uploads named in the answers to the application (others are dropped)."""
    wanted = {i for f in fields if f["type"] == "attachment" for i in answers.get(f["key"]) or []}
    if draft is None:
        if wanted:
            raise InvalidInput("applications.errors.file_not_found", field="attachment")
        return
    for file in session.exec(select(ApplicationFile).where(ApplicationFile.draft_id == draft.id)):
        if file.id in wanted and file.field_key and file.id in (answers.get(file.field_key) or []):
            file.application_id, file.draft_id = application.id, None
            wanted.discard(file.id)
            session.add(file)
        else:
            session.delete(file)
    if wanted:  # ids that are not this draft's uploads
        raise InvalidInput("applications.errors.file_not_found", field="attachment")


def file_application(session: Session, *, service: Service, form: FormVersion, person_id: int, answers: dict,
                     channel: str, filed_by: int | None, draft: ApplicationDraft | None, now: datetime,
                     applicant_name: str = "") -> Application:
    """The submission itself, shared by the resident's ``submit_application`` and the
    desk's filing on behalf (each checks its own permission first): answers checked,
    slot booked, reference and (by the service's rule) incoming protocol number taken,
    timeline begun, the applicant told — one transaction, kept short: the numbers' lock is
    held until it ends, so the receipt PDF is drawn when it is fetched (``receipt``, with
    the person's name: ``applicant_name`` is accepted for older callers and not used)."""
    fields = json.loads(form.fields)
    clean, errors = rules.clean_answers(fields, answers, final=True, uses_slots=service.uses_pickup_slots)
    if errors:
        raise FormErrors(errors)
    local = to_athens(now)
    if service.uses_pickup_slots:
        protocol.book_slot(session, clean[rules.SLOT_KEY], area=str(clean.get(rules.AREA_KEY) or ""),
                           not_before=local.date() + timedelta(days=1))
    application = Application(
        reference=rules.reference_for(local.year, protocol.next_number(session, "ref", local.year)),
        person_id=person_id, service_id=service.id, form_version_id=form.id, department=service.department,
        answers=json.dumps(clean, ensure_ascii=False), status=rules.RECEIVED, channel=channel, filed_by=filed_by,
        started_at=draft.started_at if draft is not None else None, submitted_at=now, updated_at=now,
        target_days=service.target_days, due_at=clock.due_at(now, service.target_days),
        pickup_slot_id=clean.get(rules.SLOT_KEY) if service.uses_pickup_slots else None,
    )
    if service.protocol_at_submission:
        application.in_protocol_year = local.year
        application.in_protocol_number = protocol.next_number(session, "in", local.year)
        application.in_protocol_at = now
    session.add(application)
    session.flush()
    _claim_files(session, fields, clean, draft, application)
    if draft is not None:
        session.delete(draft)
    steps = ["received"] + (["protocolled"] if service.protocol_at_submission else [])
    for step in steps:
        session.add(ApplicationEvent(application_id=application.id, kind=step, by_staff=channel == "counter",
                                     actor_id=filed_by or person_id, created_at=now))
    notify.publish_step(session, application, steps[-1], "", now)
    # the department's officers are told that it arrived (notices/staff_alerts.py)
    events.publish(session, "application.arrived", {
        "application_id": application.id, "department": application.department,
        "reference": application.reference, "actor_id": filed_by or person_id, "url": "/staff/applications"}, now=now)
    session.flush()
    return application


@action(MATRIX, "submit_application")
def submit_application(session: Session, *, actor: Actor, service_slug: str, answers: dict | None = None,
                       now: datetime) -> Application:
    """File the application from the draft (``answers``, when given, are the latest the
    page holds and win over the draft's)."""
    service = _service(session, service_slug)
    draft = _draft(session, actor.person_id, service.id)
    form = session.get(FormVersion, draft.form_version_id) if draft is not None else latest_form(session, service.id)
    merged = json.loads(draft.answers) if draft is not None else {}
    files = {f["key"] for f in json.loads(form.fields) if f["type"] == "attachment"}
    merged.update({k: v for k, v in (answers or {}).items() if k not in files})
    return file_application(session, service=service, form=form, person_id=actor.person_id, answers=merged,
                            channel="online", filed_by=None, draft=draft, now=now)


def _own_application(session: Session, actor: Actor, permission: str, application_id: int) -> Application:
    application = session.get(Application, application_id, with_for_update=True)
    if application is None:
        raise NotFound("applications.errors.not_found")
    MATRIX.enforce(actor, permission, application)
    return application


@action(MATRIX, "provide_information")
def provide_information(session: Session, *, actor: Actor, application_id: int, message: str,
                        now: datetime) -> Application:
    """The applicant's answer to "more information needed": the clock resumes, and the
    desk (the assigned officer, else the department's) is told through the outbox."""
    application = _own_application(session, actor, "provide_information", application_id)
    if application.status != rules.INFO_REQUESTED:
        raise AgoraError("applications.errors.no_information_asked")
    message = (message or "").strip()
    if not rules.INFO_MIN <= len(message) <= rules.INFO_MAX:
        raise InvalidInput("applications.errors.information_length", field="message", n=rules.INFO_MIN,
                           max=rules.INFO_MAX)
    clock.resume(application, now)
    application.status = rules.IN_PROGRESS
    application.updated_at = application.resident_answered_at = now
    session.add(application)
    session.add(ApplicationEvent(application_id=application.id, kind="info_provided", message=message,
                                 by_staff=False, actor_id=actor.person_id, created_at=now))
    notify.tell_desk_answered(session, application, now)
    session.flush()
    return application


@action(MATRIX, "rate_application")
def rate_application(session: Session, *, actor: Actor, application_id: int, score: int, comment: str = "",
                     now: datetime) -> Application:
    """How satisfied the applicant is, asked once after the answer."""
    application = _own_application(session, actor, "rate_application", application_id)
    if application.status not in (rules.ANSWERED, rules.CLOSED) or application.answered_at is None:
        raise AgoraError("applications.errors.rate_before_answer")
    if application.rated_at is not None:
        raise AgoraError("applications.errors.rated_already")
    if not rules.valid_rating(score):
        raise InvalidInput("applications.errors.rating", field="score")
    application.rating_score = score
    application.rating_comment = (comment or "").strip()[:1000] or None
    application.rated_at = now
    session.add(application)
    session.flush()
    return application


@action(MATRIX, "save_draft")
def discard_draft(session: Session, *, actor: Actor, service_slug: str) -> None:
    """Start over: the draft and its uploads go."""
    service = _service(session, service_slug)
    draft = _draft(session, actor.person_id, service.id)
    if draft is None:
        return
    session.execute(delete(ApplicationFile).where(ApplicationFile.draft_id == draft.id,
                                                  ApplicationFile.application_id.is_(None)))
    session.delete(draft)

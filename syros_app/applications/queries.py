"""Reads of e-applications on the resident's side: the catalogue, a service with its
form and the person's draft, pickup days with places left, her applications with
their timelines, files she may download, and the open-data list of services."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from syros_app.core.actors import Actor
from syros_app.core.errors import NotFound, PermissionDenied

from . import rules
from .models import (Application, ApplicationDraft, ApplicationEvent, ApplicationFile, FormVersion, PickupSlot,
                     Service)
from .permissions import MATRIX

SLOT_WEEKS = 6


def catalogue(session: Session, *, department: str | None = None, query: str = "") -> list[Service]:
    """Active services (local and gov.gr links), filtered by department and by words of
    the title or purpose in either language (case- and accent-insensitive)."""
    rows = session.exec(select(Service).where(Service.active == True)  # noqa: E712
                        .order_by(Service.sort_order, Service.title_el)).all()
    words = [rules.fold(w) for w in (query or "").split() if w][:6]
    return [s for s in rows
            if (not department or s.department == department)
            and all(w in rules.fold(f"{s.title_el} {s.title_en} {s.purpose_el} {s.purpose_en}") for w in words)]


def service(session: Session, slug: str) -> Service | None:
    found = session.exec(select(Service).where(Service.slug == slug)).first()
    return found if found is not None and found.active else None


def form_of(session: Session, service_id: int) -> FormVersion | None:
    """The service's current form: its latest published version (staff may be editing a later one)."""
    return session.exec(select(FormVersion).where(FormVersion.service_id == service_id,
                                                  FormVersion.published == True)  # noqa: E712
                        .order_by(FormVersion.version.desc())).first()


@dataclass(frozen=True)
class Filing:
    """What the filing page starts from: the form (the draft's version, if any) and the
    answers so far (the draft's, or prefilled)."""

    form: FormVersion
    fields: list[dict]
    answers: dict
    files: list[ApplicationFile]
    has_draft: bool


def last_answers(session: Session, person_id: int) -> dict:
    answers = session.exec(select(Application.answers).where(Application.person_id == person_id)
                           .order_by(Application.submitted_at.desc(), Application.id.desc())).first()
    return json.loads(answers) if answers else {}


def filing(session: Session, service: Service, actor: Actor, identity: dict) -> Filing | None:
    draft = session.exec(select(ApplicationDraft).where(ApplicationDraft.person_id == actor.person_id,
                                                        ApplicationDraft.service_id == service.id)).first()
    form = session.get(FormVersion, draft.form_version_id) if draft is not None else form_of(session, service.id)
    if form is None:
        return None
    fields = json.loads(form.fields)
    if draft is not None:
        files = list(session.exec(select(ApplicationFile).where(ApplicationFile.draft_id == draft.id)
                                  .order_by(ApplicationFile.id)))
        return Filing(form, fields, json.loads(draft.answers), files, True)
    return Filing(form, fields, rules.prefill(fields, identity, last_answers(session, actor.person_id)), [], False)


def open_slots(session: Session, area: str, today: date) -> list[PickupSlot]:
    """Pickup days of ``area`` from tomorrow on, for the next weeks, with places left."""
    return list(session.exec(select(PickupSlot).where(
        PickupSlot.area == area, PickupSlot.day > today, PickupSlot.day <= today + timedelta(weeks=SLOT_WEEKS),
        PickupSlot.booked < PickupSlot.capacity).order_by(PickupSlot.day)))


def my_applications(session: Session, person_id: int) -> list[tuple[Application, Service]]:
    return list(session.exec(select(Application, Service).join(Service, Service.id == Application.service_id)
                             .where(Application.person_id == person_id)
                             .order_by(Application.submitted_at.desc(), Application.id.desc())).all())


@dataclass(frozen=True)
class Detail:
    application: Application
    service: Service
    fields: list[dict]
    events: list[ApplicationEvent]
    files: dict[int, str]  # upload id -> name
    has_answer: bool
    slot_day: date | None


def detail(session: Session, actor: Actor | None, application_id: int) -> Detail:
    """One application, for its applicant (or the desk of its department)."""
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound("applications.errors.not_found")
    MATRIX.enforce(actor, "view_application", application)
    events = list(session.exec(select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)
                               .order_by(ApplicationEvent.created_at, ApplicationEvent.id)))
    kinds = dict(session.exec(select(ApplicationFile.id, ApplicationFile.kind)
                              .where(ApplicationFile.application_id == application.id)).all())
    uploads = dict(session.exec(select(ApplicationFile.id, ApplicationFile.filename).where(
        ApplicationFile.application_id == application.id, ApplicationFile.kind == "upload")).all())
    slot = session.get(PickupSlot, application.pickup_slot_id) if application.pickup_slot_id else None
    return Detail(application, session.get(Service, application.service_id),
                  json.loads(session.get(FormVersion, application.form_version_id).fields), events, uploads,
                  "answer" in kinds.values(), slot.day if slot else None)


def by_reference(session: Session, reference: str) -> Application | None:
    normal = rules.normalise_reference(reference)
    if normal is None:
        return None
    return session.exec(select(Application).where(Application.reference == normal)).first()


def viewable(session: Session, actor: Actor | None, reference: str) -> Application:
    """The application of this reference, for its applicant or the desk of its department."""
    application = by_reference(session, reference)
    if application is None:
        raise NotFound("applications.errors.not_found")
    if not MATRIX.allows(actor, "view_application", application):
        raise PermissionDenied("applications.errors.not_yours" if actor else "applications.errors.login_required")
    return application


def document(session: Session, actor: Actor | None, reference: str, kind: str) -> ApplicationFile:
    """A stored file of an application (the signed answer), for its applicant or the desk."""
    application = viewable(session, actor, reference)
    file = session.exec(select(ApplicationFile).where(ApplicationFile.application_id == application.id,
                                                      ApplicationFile.kind == kind)
                        .order_by(ApplicationFile.id.desc())).first()
    if file is None:
        raise NotFound("applications.errors.no_document")
    return file


def upload(session: Session, actor: Actor | None, file_id: int) -> ApplicationFile:
    """An uploaded attachment, for its uploader or the desk of its application."""
    file = session.get(ApplicationFile, file_id)
    if file is None or file.kind != "upload":
        raise NotFound("applications.errors.file_not_found")
    if actor is not None and file.person_id == actor.person_id and file.person_id is not None:
        return file
    application = session.get(Application, file.application_id) if file.application_id else None
    if application is None or not MATRIX.allows(actor, "view_desk_application", application):
        raise NotFound("applications.errors.file_not_found")
    return file


def services_open_data(session: Session) -> list[dict]:
    """The catalogue as open data (no personal data)."""
    return [{
        "slug": s.slug, "title": {"el": s.title_el, "en": s.title_en},
        "purpose": {"el": s.purpose_el, "en": s.purpose_en},
        "eligibility": {"el": s.eligibility_el, "en": s.eligibility_en},
        "documents": {"el": rules.lines(s.documents_el), "en": rules.lines(s.documents_en)},
        "fee": {"el": s.fee_el, "en": s.fee_en}, "target_working_days": s.target_days,
        "department": s.department, "mitos_id": s.mitos_id, "local": s.mitos_id is None,
        "govgr_url": s.govgr_url, "online": s.govgr_url is None, "paper_pages": s.paper_pages,
        "url": s.govgr_url or f"/applications/{s.slug}",
    } for s in catalogue(session)]


def answered_ids(session: Session, application_ids: list[int]) -> set[int]:
    """Which of these applications have a signed answer file."""
    if not application_ids:
        return set()
    return set(session.exec(select(ApplicationFile.application_id).where(
        ApplicationFile.application_id.in_(application_ids), ApplicationFile.kind == "answer")).all())

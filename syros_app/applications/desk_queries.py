"""Reads of the staff desk: the department-scoped queue and one application's file.

The queue's first page is one indexed query (``ix_application_queue``: department,
status, due date) with its service title and officer joined in, ``LIMIT`` one more row
than shown to know whether a next page exists — no count over the whole table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from syros_app.identity.models import Person

from .permissions import MATRIX
from .rules import OPEN_STATUSES as OPEN, STATUSES
from .models import Application, ApplicationEvent, ApplicationFile, ApplicationNote, FormVersion, Service

PAGE_SIZE = 25


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # "" = every open one; "all"; or one status
    service_id: int = 0
    assigned: str = ""  # "" any | "me" | "none"
    overdue_only: bool = False


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    service_title_el: str
    service_title_en: str
    status: str
    channel: str
    submitted_at: datetime
    due_at: datetime
    paused_since: datetime | None
    assigned_name: str
    in_protocol_number: int | None
    in_protocol_year: int | None
    resident_answered: bool = False  # answered a request for information; no desk step since


def queue(session: Session, *, department: str | None, filters: QueueFilters, person_id: int | None,
          now: datetime, page: int = 0, page_size: int = PAGE_SIZE) -> tuple[list[QueueRow], bool]:
    """One page of the desk's queue, soonest due first; ``department`` None: every one.
    Returns the rows and whether there is a next page."""
    officer = aliased(Person)
    query = (select(Application.id, Application.reference, Service.title_el, Service.title_en, Application.status,
                    Application.channel, Application.submitted_at, Application.due_at, Application.paused_since,
                    officer.display_name, Application.in_protocol_number, Application.in_protocol_year,
                    Application.resident_answered_at)
             .join(Service, Service.id == Application.service_id)
             .outerjoin(officer, officer.id == Application.assigned_to))
    if department is not None:
        query = query.where(Application.department == department)
    if filters.status in STATUSES:
        query = query.where(Application.status == filters.status)
    elif filters.status != "all":
        query = query.where(Application.status.in_(OPEN))
    if filters.service_id:
        query = query.where(Application.service_id == filters.service_id)
    if filters.assigned == "me":
        query = query.where(Application.assigned_to == (person_id or -1))
    elif filters.assigned == "none":
        query = query.where(Application.assigned_to.is_(None))
    if filters.overdue_only:  # late and not waiting for the applicant
        query = query.where(and_(Application.due_at < now, Application.paused_since.is_(None),
                                 Application.status.in_(OPEN)))
    query = query.order_by(Application.due_at, Application.id).offset(page * page_size).limit(page_size + 1)
    rows = [QueueRow(*row[:9], row[9] or "", row[10], row[11], row[12] is not None)
            for row in session.exec(query).all()]
    return rows[:page_size], len(rows) > page_size


def services_of(session: Session, department: str | None) -> list[tuple[int, str, str]]:
    """(id, Greek title, English title) of the services a desk sees, for its filter."""
    query = select(Service.id, Service.title_el, Service.title_en).where(Service.govgr_url.is_(None))
    if department is not None:
        query = query.where(Service.department == department)
    return [tuple(r) for r in session.exec(query.order_by(Service.sort_order, Service.id)).all()]


@dataclass(frozen=True)
class DeskFile:
    application: Application
    service: Service
    applicant: str
    fields: list[dict]  # the form version's field objects, in order
    answers: dict
    events: list[ApplicationEvent]
    notes: list[tuple[ApplicationNote, str]]  # with the author's name
    has_answer_pdf: bool


def desk_file(session: Session, application_id: int, actor) -> DeskFile | None:
    """Everything the desk shows about one application, or None when this actor's desk does
    not cover it (the matrix's ``view_desk_application``: an officer, her department's only)."""
    application = session.get(Application, application_id)
    if application is None or not MATRIX.allows(actor, "view_desk_application", application):
        return None
    service = session.get(Service, application.service_id)
    person = session.get(Person, application.person_id) if application.person_id else None
    version = session.get(FormVersion, application.form_version_id)
    events = session.exec(select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)
                          .order_by(ApplicationEvent.created_at, ApplicationEvent.id)).all()
    notes = session.exec(select(ApplicationNote, Person.display_name)
                         .outerjoin(Person, Person.id == ApplicationNote.author_id)
                         .where(ApplicationNote.application_id == application.id)
                         .order_by(ApplicationNote.created_at, ApplicationNote.id)).all()
    has_pdf = session.exec(select(ApplicationFile.id).where(ApplicationFile.application_id == application.id,
                                                            ApplicationFile.kind == "answer")).first() is not None
    return DeskFile(application=application, service=service,
                    applicant=person.display_name if person and person.deleted_at is None else "",
                    fields=_json(version.fields if version else "[]", []), answers=_json(application.answers, {}),
                    events=list(events), notes=[(n, name or "") for n, name in notes], has_answer_pdf=has_pdf)


def _json(text: str, default):
    try:
        value = json.loads(text or "")
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def answer_pdf(session: Session, application_id: int) -> ApplicationFile | None:
    return session.exec(select(ApplicationFile).where(ApplicationFile.application_id == application_id,
                                                      ApplicationFile.kind == "answer")
                        .order_by(ApplicationFile.id.desc())).first()


def counts(session: Session, department: str | None, now: datetime) -> dict[str, int]:
    """Open, waiting-for-the-applicant and overdue counts for the desk's heading."""
    from sqlalchemy import func

    base = select(func.count()).select_from(Application).where(Application.status.in_(OPEN))
    if department is not None:
        base = base.where(Application.department == department)
    overdue = base.where(Application.due_at < now, Application.paused_since.is_(None))
    waiting = base.where(or_(Application.status == "info_requested", Application.paused_since.is_not(None)))
    return {"open": session.exec(base).one(), "overdue": session.exec(overdue).one(),
            "waiting": session.exec(waiting).one()}


def form_fields(session: Session, service_id: int) -> list[dict]:
    """The field objects of a service's current (latest published) form version."""
    from .queries import form_of

    version = form_of(session, service_id)
    return _json(version.fields, []) if version else []

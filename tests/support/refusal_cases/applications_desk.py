"""Refusal cases of the applications desk (``/staff/applications``): every write handler,
on an application filed here on top of the demo data (the demo's only one is answered)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sqlmodel import Session, select

from syros_app.applications.actions import file_application, latest_form
from syros_app.applications.models import Application, Service
from syros_app.core.timefmt import utcnow
from syros_app.identity.models import Person
from tests.support.refusal import StaffCase, ViewCase

DESK = "syros_app.applications.desk_state.ApplicationsDeskState"
ANSWERS = {"full_name": "Μαρία Ρούσσου", "father_name": "Νικόλαος", "phone": "2281082345",
           "deceased": "Γεώργιος Ρούσσος", "burial_date": "2001-05-02", "cemetery": "posidonia",
           "purpose": "Για την κληρονομιά."}


def _filed(session: Session, *, protocolled: bool = True, answered: bool = False) -> int:
    """A new application of the demo catalogue, committed (``protocolled``: with its incoming number)."""
    service = session.exec(select(Service).where(Service.slug == "cemetery-certificate")).one()
    service.protocol_at_submission = protocolled
    person = session.exec(select(Person).where(Person.deleted_at.is_(None)).order_by(Person.id)).first()
    application = file_application(session, service=service, form=latest_form(session, service.id),
                                   person_id=person.id, answers=ANSWERS, channel="online", filed_by=None, draft=None,
                                   now=utcnow())
    if answered:
        application.status = "answered"
    session.commit()
    return application.id


def _answered(session: Session) -> int:
    found = session.exec(select(Application.id).where(Application.status == "answered")).first()
    return found or _filed(session, answered=True)


def _officer(session: Session) -> str:
    from syros_app.reports.queries import officers

    return str(officers(session, "citizen_service")[0][0]) if officers(session, "citizen_service") else ""


def _one(**fields):
    return lambda s: [{"application_id": str(_filed(s)), **fields}]


def _confirmed(step: str, builder, payload: dict | None = None):
    return lambda s: [{"step": step, "target": str(builder(s)), "payload": json.dumps(payload or {})}]


def _counter(session: Session) -> list[dict]:
    from tests.support import personas

    service = session.exec(select(Service).where(Service.slug == "cemetery-certificate")).one()
    return [{"service_id": str(service.id), "taxid": personas.TAXIDS["nikos"], "name": "Νίκος Σ.",
             **{f"field-{k}": v for k, v in ANSWERS.items()}}]


def _permit(session: Session) -> int:
    return session.exec(select(Service.id).where(Service.slug == "sidewalk-table-permit")).one()


class _Rewound(io.BytesIO):
    """A scan every fire reads whole (the same arguments serve the visitor, resident and staff)."""

    def read(self, size: int | None = -1) -> bytes:
        self.seek(0)
        return super().read(size)


def _scan() -> list:
    import reflex as rx

    data = b"%PDF-1.4 scanned at the counter"
    return [rx.UploadFile(file=_Rewound(data), path=Path("scan.pdf"), size=len(data))]


def _counter_upload_of_admin(session: Session) -> int:
    """A file the (demo) administrator uploaded at the counter, committed."""
    from syros_app.applications.desk_actions import upload_at_counter
    from syros_app.core.actors import Role
    from syros_app.identity.models import RoleGrant
    from syros_app.identity.sessions import actor_for

    admin = session.exec(select(Person).join(RoleGrant, RoleGrant.person_id == Person.id)
                         .where(RoleGrant.role == Role.ADMINISTRATOR.value)).first()
    file = upload_at_counter(session, actor=actor_for(session, admin), service_id=_permit(session), field_key="plan",
                             filename="scan.pdf", data=b"%PDF-1.4 scan", now=utcnow())
    session.commit()
    return file.id


CASES = [
    StaffCase(DESK, "assign", lambda s: [{"application_id": str(_filed(s)), "officer_id": _officer(s)}],
              ("application",)),
    StaffCase(DESK, "protocol", lambda s: [{"application_id": str(_filed(s, protocolled=False))}],
              ("application", "application_protocol_counter")),
    StaffCase(DESK, "request_information", _one(message="Χρειαζόμαστε τον αριθμό του τάφου."),
              ("application", "application_event")),
    StaffCase(DESK, "add_note", _one(body="Να ελεγχθεί το ληξιαρχείο."), ("application_internal_note",)),
    StaffCase(DESK, "confirm", _confirmed("answer", _filed, {"decision": "Βεβαιώνεται η ταφή στο Κοιμητήριο."}),
              ("application", "application_file")),
    StaffCase(DESK, "confirm", _confirmed("close", _answered), ("application", "application_event")),
    StaffCase(DESK, "file_at_counter", _counter, ("application",)),
    StaffCase(DESK, "counter_upload", lambda s: [_scan(), _permit(s), "plan"], ("application_file",)),
    StaffCase(DESK, "remove_counter_file", lambda s: [_permit(s), _counter_upload_of_admin(s)], ("application_file",)),
]

READ_ONLY = {DESK: {"load", "set_filter", "turn_page", "select", "close_detail", "ask_answer", "ask_close",
                    "choose_counter_service", "counter_choice", "choose_counter_upload_field"}}

VIEW_CASES = [ViewCase(DESK), ViewCase(DESK, "select", lambda s: [_filed(s)])]

NOT_FROM_STATES = {}

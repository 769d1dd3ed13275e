"""The receipt of a filed application, drawn from its rows when it is fetched (so the
submission's transaction, which holds the protocol counter's lock, stays short; any app
machine draws the same receipt), and how protocol numbers are written."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from syros_app.core.formatting import date_text
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc

from . import documents, rules
from syros_app.identity.models import Person

from .models import Application, ApplicationFile, FormVersion, PickupSlot, Service


def protocol_text(direction: str, number: int | None, year: int | None, lang: str = "el") -> str:
    """``Εισ. 1234/2027`` / ``In. 1234/2027`` (the catalogue's words; the number as written
    in the protocol book, without thousands separators)."""
    if number is None or year is None:
        return ""
    return translate(f"applications.protocol_{direction}", lang, number=str(number), year=str(year))


def render(session: Session, application: Application, lang: str = "el") -> tuple[str, bytes]:
    """The receipt of a filed application (file name, PDF bytes), drawn from its rows:
    what was filed, when, its reference and incoming protocol number (once given)."""
    service = session.get(Service, application.service_id)
    fields = json.loads(session.get(FormVersion, application.form_version_id).fields)
    person = session.get(Person, application.person_id) if application.person_id else None
    answers = json.loads(application.answers)
    uploads = {f.id: f.filename for f in session.exec(
        select(ApplicationFile).where(ApplicationFile.application_id == application.id,
                                      ApplicationFile.kind == "upload"))}
    slot_text = ""
    if application.pickup_slot_id is not None:
        slot = session.get(PickupSlot, application.pickup_slot_id)
        slot_text = date_text(slot.day, lang) if slot else ""
    rows = rules.answer_rows(fields, answers, lang, files=uploads, slot_text=slot_text,
                             slot_label=translate("applications.pickup_day", lang) if slot_text else "")
    data = documents.ReceiptData(
        reference=application.reference, service=getattr(service, f"title_{lang}", service.title_el),
        applicant=person.display_name if person is not None and person.deleted_at is None else "",
        submitted_at=as_utc(application.submitted_at), answers=tuple(rows),
        protocol_number=protocol_text("in", application.in_protocol_number, application.in_protocol_year, lang),
        target_date=as_utc(application.due_at).date(),
        department=translate(f"reports.department.{application.department}", lang))
    return documents.receipt_filename(application.reference), documents.render_receipt(data, lang)

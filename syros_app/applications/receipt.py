"""The receipt of a filed application: drawn once at submission (``documents``) and kept
in the database, so any app machine serves the same bytes."""

from __future__ import annotations

import hashlib
import json

from sqlmodel import Session, select

from syros_app.core.formatting import date_text
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc

from . import documents, rules
from .models import Application, ApplicationFile, PickupSlot, Service


def protocol_text(direction: str, number: int | None, year: int | None, lang: str = "el") -> str:
    """``Εισ. 1234/2027`` / ``In. 1234/2027`` (the catalogue's words; the number as written
    in the protocol book, without thousands separators)."""
    if number is None or year is None:
        return ""
    return translate(f"applications.protocol_{direction}", lang, number=str(number), year=str(year))


def store_receipt(session: Session, application: Application, service: Service, fields: list[dict],
                  applicant_name: str, lang: str = "el") -> ApplicationFile:
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
        applicant=applicant_name, submitted_at=as_utc(application.submitted_at), answers=tuple(rows),
        protocol_number=protocol_text("in", application.in_protocol_number, application.in_protocol_year, lang),
        target_date=as_utc(application.due_at).date(),
        department=translate(f"reports.department.{application.department}", lang))
    pdf = documents.render_receipt(data, lang)
    file = ApplicationFile(kind="receipt", application_id=application.id, person_id=application.person_id,
                           filename=documents.receipt_filename(application.reference), content_type="application/pdf",
                           size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(), data=pdf,
                           created_at=application.submitted_at)
    session.add(file)
    return file

"""What the catalogue editor (``/staff/applications/catalogue``) shows: the services this
desk may edit, one service's values, the fields of its latest form version (being
edited or published) and its upcoming pickup days, in the reader's language."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, create_model
from sqlmodel import Session, select

from syros_app.core import formatting
from syros_app.core.i18n import translate
from syros_app.core.timefmt import to_athens, utcnow

from . import catalogue_rules as cr
from .desk_views import Choice
from .models import FormVersion, PickupSlot, Service
from .permissions import MATRIX, desk_department

NS = cr.NS
SLOT_LIST_DAYS = 70  # how far ahead the editor lists pickup days
_TEXTS = ("slug", "title_el", "title_en", "purpose_el", "purpose_en", "eligibility_el", "eligibility_en",
          "documents_el", "documents_en", "fee_el", "fee_en", "department", "govgr_url")


# One service's values as the editor's inputs hold them (texts; the booleans as checkboxes).
ServiceForm = create_model("ServiceForm", id=(int, 0), **{name: (str, "") for name in _TEXTS},
                           target_days=(str, "10"), paper_pages=(str, "1"), active=(bool, True),
                           uses_pickup_slots=(bool, False))
# One field of a form as the editor shows and edits it (``label``: in the reader's language;
# ``choices``: one per line, value | Ελληνικά | English).
FieldRow = create_model("FieldRow", **{name: (str, "") for name in (
    "key", "type_label", "label_el", "label_en", "label", "help_el", "help_en", "prefill", "choices", "max_mb")},
    type=(str, "text"), required=(bool, False), types=(list[str], []))


class SlotRow(BaseModel):
    id: int
    area: str
    day: str
    booked: int
    capacity: int
    closed: bool


def service_form(service: Service) -> ServiceForm:
    return ServiceForm(id=service.id, **{k: getattr(service, k) or "" for k in _TEXTS},
                       target_days=str(service.target_days), paper_pages=str(service.paper_pages),
                       active=service.active, uses_pickup_slots=service.uses_pickup_slots)


def field_row(field: dict, lang: str) -> FieldRow:
    kind = str(field.get("type") or "text")
    max_bytes = int(field.get("max_bytes") or 0)
    return FieldRow(key=str(field.get("key") or ""), type=kind, type_label=translate(f"{NS}.type.{kind}", lang),
                    label_el=str(field.get("label_el") or ""), label_en=str(field.get("label_en") or ""),
                    label=str(field.get(f"label_{lang}") or field.get("label_el") or ""),
                    help_el=str(field.get("help_el") or ""), help_en=str(field.get("help_en") or ""),
                    required=bool(field.get("required")), prefill=str(field.get("prefill") or ""),
                    choices=cr.choices_text([c for c in field.get("choices") or [] if isinstance(c, dict)]),
                    max_mb=f"{max_bytes / (1024 * 1024):g}" if max_bytes else "",
                    types=[str(t) for t in field.get("types") or []])


def editable_services(session: Session, actor) -> list[Service]:
    """The services this actor's desk may edit (an officer: her department's)."""
    query = select(Service).order_by(Service.sort_order, Service.id)
    department = desk_department(actor)
    if department is not None:
        query = query.where(Service.department == department)
    return list(session.exec(query))


def _slots(session: Session, lang: str) -> list[SlotRow]:
    today = to_athens(utcnow()).date()
    rows = session.exec(select(PickupSlot).where(PickupSlot.day > today,
                                                 PickupSlot.day <= today + timedelta(days=SLOT_LIST_DAYS))
                        .order_by(PickupSlot.day, PickupSlot.area)).all()
    return [SlotRow(id=s.id, area=s.area, day=formatting.date_text(s.day, lang), booked=s.booked,
                    capacity=s.capacity, closed=s.booked >= s.capacity) for s in rows]


EMPTY = {"loaded": True, "allowed": False, "services": [], "service": ServiceForm(), "fields": [], "version_text": "",
         "editing": False, "slots": [], "selected_id": 0}


def page(session: Session, *, actor, selected_id: int, lang: str) -> dict[str, Any]:
    """Everything the editor assigns, in one read (nothing for those the matrix refuses)."""
    if not MATRIX.allows(actor, "edit_service"):
        return dict(EMPTY)
    services = editable_services(session, actor)
    data = {**EMPTY, "allowed": True,
            "services": [Choice(value=str(s.id), label=s.title_en if lang == "en" else s.title_el) for s in services]}
    chosen = next((s for s in services if s.id == selected_id), None)
    if chosen is None:
        return data
    latest = session.exec(select(FormVersion).where(FormVersion.service_id == chosen.id)
                          .order_by(FormVersion.version.desc())).first()
    editing = latest is not None and not latest.published
    fields = json.loads(latest.fields) if latest is not None else []
    version_text = "" if latest is None else translate(
        f"{NS}.version_{'editing' if editing else 'published'}", lang, n=formatting.number(latest.version, lang))
    return {**data, "selected_id": chosen.id, "service": service_form(chosen),
            "fields": [field_row(f, lang) for f in fields if isinstance(f, dict)], "version_text": version_text,
            "editing": editing, "slots": _slots(session, lang) if chosen.uses_pickup_slots else []}

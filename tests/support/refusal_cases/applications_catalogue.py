"""Refusal cases of the catalogue editor (``/staff/applications/catalogue``): every write
handler, on the demo catalogue (the bulky-waste pickup: a form and pickup days)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from syros_app.applications.models import FormVersion, PickupSlot, Service
from syros_app.core.timefmt import utcnow
from tests.support.refusal import StaffCase, ViewCase

STATE = "syros_app.applications.catalogue_state.ApplicationsCatalogueState"
SERVICE = {"title_el": "Άδεια στάθμευσης", "title_en": "Parking permit", "department": "technical",
           "target_days": "10", "paper_pages": "1", "active": "on"}


def _bulky(session: Session) -> int:
    return session.exec(select(Service.id).where(Service.slug == "bulky-waste-pickup")).one()


def _editing(session: Session) -> int:
    """The bulky-waste form with a version being edited (committed), for publish and discard."""
    service_id = _bulky(session)
    latest = session.exec(select(FormVersion).where(FormVersion.service_id == service_id)
                          .order_by(FormVersion.version.desc())).first()
    session.add(FormVersion(service_id=service_id, version=latest.version + 1, fields=latest.fields,
                            created_at=utcnow(), published=False))
    session.commit()
    return service_id


def _slot(session: Session) -> int:
    return session.exec(select(PickupSlot.id).order_by(PickupSlot.day.desc())).first()


def _later(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


CASES = [
    StaffCase(STATE, "save_service", lambda s: [{"service_id": "0", "slug": "parking-permit", **SERVICE}],
              ("application_service",)),
    StaffCase(STATE, "save_field", lambda s: [{"service_id": str(_bulky(s)), "replace_key": "", "key": "floor",
                                               "type": "text", "label_el": "Όροφος", "label_en": "Floor"}],
              ("application_form_version",)),
    StaffCase(STATE, "remove_field", lambda s: [_bulky(s), "phone"], ("application_form_version",)),
    StaffCase(STATE, "move_field", lambda s: [_bulky(s), "phone", -1], ("application_form_version",)),
    # publish and discard only ask (the confirmation dialog); "confirm" acts
    StaffCase(STATE, "confirm", lambda s: [{"step": "publish", "target": str(_editing(s))}],
              ("application_form_version",)),
    StaffCase(STATE, "confirm", lambda s: [{"step": "discard", "target": str(_editing(s))}],
              ("application_form_version",)),
    StaffCase(STATE, "add_days", lambda s: [{"service_id": str(_bulky(s)), "area": "Ερμούπολη",
                                             "first_day": _later(80), "last_day": _later(95), "wd-0": "on",
                                             "wd-3": "on", "capacity": "9"}], ("application_pickup_slot",)),
    StaffCase(STATE, "set_capacity", lambda s: [{"service_id": str(_bulky(s)), "slot_id": str(_slot(s)),
                                                 "capacity": "30"}], ("application_pickup_slot",)),
    StaffCase(STATE, "close_day", lambda s: [_bulky(s), _slot(s)], ("application_pickup_slot",)),
]

READ_ONLY = {STATE: {"load", "choose_service", "new_service", "edit_field", "new_field", "choose_type", "publish",
                    "discard"}}

VIEW_CASES = [ViewCase(STATE), ViewCase(STATE, "choose_service", lambda s: [str(_bulky(s))])]

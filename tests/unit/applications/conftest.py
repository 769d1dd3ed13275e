"""Fixtures of the e-applications tests: the demo catalogue and named people."""

from datetime import datetime, timezone

import pytest

from syros_app.applications import demo
from tests.support import personas

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)  # a Tuesday


@pytest.fixture
def catalogue(session):
    demo.load_services(session, NOW)
    demo.load_slots(session, NOW)
    session.commit()


@pytest.fixture
def people(session):
    return {
        "eleni": personas.resident(session, "eleni"),
        "nikos": personas.resident(session, "nikos"),
        "cleaning": personas.officer(session, "cleaning", key="officer_cleaning"),
        "lighting": personas.officer(session, "lighting", key="officer_lighting"),
        "admin": personas.administrator(session),
    }


def bulky_answers(session, area="Ερμούπολη"):
    from sqlmodel import select

    from syros_app.applications.models import PickupSlot

    slot = session.exec(select(PickupSlot).where(PickupSlot.area == area).order_by(PickupSlot.day)).first()
    return {"full_name": "Ελένη Π.", "father_name": "Γεώργιος", "phone": "6900000000", "area": area,
            "address": {"text": "Οδός Ερμού 10", "lat": None, "lon": None}, "items": "Ένας καναπές",
            "pickup_slot": slot.id}

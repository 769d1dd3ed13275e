"""The demo loader: the catalogue, pickup days, and stella's answered application with a
signed answer she (and only she, or the desk) can fetch; loading twice adds nothing."""

from sqlmodel import select

from syros_app.applications import demo, queries, signing
from syros_app.applications.models import Application, PickupSlot, Service
from syros_app.identity import demo as identity_demo

from .conftest import NOW


def test_demo_is_complete_and_idempotent(session):
    identity_demo.load(session)
    added = demo.load(session)
    session.commit()
    assert added > 0 and demo.load(session) == 0
    services = session.exec(select(Service)).all()
    assert len([s for s in services if s.govgr_url]) == 2 and len([s for s in services if not s.govgr_url]) == 4
    assert session.exec(select(PickupSlot)).first() is not None
    [answered] = session.exec(select(Application)).all()
    assert answered.status == "answered" and answered.out_protocol_number == 1 and answered.in_protocol_number == 1
    answer = queries.document(session, _stella(session), answered.reference, "answer")
    check = signing.validate(answer.data)
    assert check.intact and check.valid and check.covers_whole_file


def _stella(session):
    from syros_app.identity.sessions import actor_for

    return actor_for(session, demo._stella(session))


def test_slots_cover_the_next_weeks_on_tuesdays_and_thursdays(session):
    demo.load_slots(session, NOW)
    days = {s.day for s in session.exec(select(PickupSlot))}
    assert {d.weekday() for d in days} == {1, 3} and len(days) == 2 * demo.SLOT_WEEKS

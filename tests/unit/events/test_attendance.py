"""Attendance per registration: staff mark each seat at the door (came or not), from shortly
before the start; the waitlist and cancelled places cannot be marked; residents are refused
and nothing changes; the person sees "you attended"; the export carries the mark; the open
data carries counts only."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, NotFound, PermissionDenied
from syros_app.core.timefmt import utcnow
from syros_app.opengov.events import actions, gdpr, queries, rules, views
from syros_app.opengov.events.models import EventRegistration
from tests.support import personas
from tests.support.refusal import snapshot
from tests.unit.events.helpers import make_event, residents


@pytest.fixture
def world(session):
    staff = personas.moderator(session)
    start = utcnow() + timedelta(hours=2)  # inside the check-in window
    event = make_event(session, staff, capacity=2, starts=start)
    a, b, c = residents(session, 3)
    regs = [actions.register(session, actor=p, event_id=event.id) for p in (a, b, c)]  # c waits
    session.commit()
    return {"staff": staff, "event": event, "people": (a, b, c), "regs": regs, "start": start}


def test_staff_mark_seats_and_correct_a_mark_with_audit(session, world):
    staff, (ra, rb, rc) = world["staff"], world["regs"]
    assert rc.status == rules.WAITLISTED
    actions.record_attendance(session, actor=staff, registration_id=ra.id, attended=True)
    actions.record_attendance(session, actor=staff, registration_id=rb.id, attended=True)
    actions.record_attendance(session, actor=staff, registration_id=rb.id, attended=False)  # corrected
    session.commit()
    assert queries.attendance_counts(session, [world["event"].id]) == {world["event"].id: (1, 1)}
    entries = session.exec(select(AuditEntry).where(AuditEntry.action == "events.record_attendance")).all()
    assert len(entries) == 3 and entries[-1].target == f"event:{world['event'].id}"
    assert json.loads(entries[-1].details) == {"registration_id": rb.id, "attended": False, "before": True}
    with pytest.raises(AgoraError) as waiting:
        actions.record_attendance(session, actor=staff, registration_id=rc.id, attended=True)
    assert waiting.value.key == "events.errors.checkin_no_seat"
    with pytest.raises(NotFound):
        actions.record_attendance(session, actor=staff, registration_id=999_999, attended=True)


def test_the_list_at_the_door_opens_shortly_before_the_start(session, world):
    staff, ra = world["staff"], world["regs"][0]
    early = world["start"] - rules.CHECKIN_BEFORE - timedelta(minutes=1)
    with pytest.raises(AgoraError) as closed:
        actions.record_attendance(session, actor=staff, registration_id=ra.id, attended=True, now=early)
    assert closed.value.key == "events.errors.checkin_closed"
    assert not views.checkin_page(session, world["event"].id, early)["view"].open
    page = views.checkin_page(session, world["event"].id, world["start"])
    view = page["view"]
    assert view.open and [r.name for r in view.rows] == ["Κάτοικος 0", "Κάτοικος 1"]  # seats only, by name
    assert view.summary.en == "Came: 0 · Did not come: 0 · Not marked: 2"
    actions.cancel_event(session, actor=staff, event_id=world["event"].id)
    with pytest.raises(AgoraError):
        actions.record_attendance(session, actor=staff, registration_id=ra.id, attended=True)


@pytest.mark.parametrize("who", ["visitor", "resident"])
def test_residents_cannot_mark_anyone(engine, session, world, who):
    actor = None if who == "visitor" else world["people"][0]
    before = snapshot(engine)
    with pytest.raises(PermissionDenied):
        actions.record_attendance(session, actor=actor, registration_id=world["regs"][0].id, attended=True)
    session.rollback()
    assert snapshot(engine) == before


def test_the_person_sees_you_attended_and_the_export_has_the_mark(session, world):
    (a, b, _c), (ra, rb, _rc) = world["people"], world["regs"]
    actions.record_attendance(session, actor=world["staff"], registration_id=ra.id, attended=True)
    actions.record_attendance(session, actor=world["staff"], registration_id=rb.id, attended=False)
    session.commit()
    later = world["start"] + timedelta(hours=3)
    assert views.event_page(session, world["event"].id, a, later)["view"].my_attended == "yes"
    assert views.event_page(session, world["event"].id, b, later)["view"].my_attended == "no"
    assert views.event_page(session, world["event"].id, world["people"][2], later)["view"].my_attended == ""
    [exported] = gdpr.export_section(session, a.person_id)["registrations"]
    assert exported["attended"] is True
    rows = {r["id"]: r for r in queries.open_data(session, later)}
    assert (rows[world["event"].id]["attended"], rows[world["event"].id]["no_shows"]) == (1, 1)
    assert "Κάτοικος" not in str(rows)
    assert session.get(EventRegistration, ra.id).attendance_marked_at is not None


def test_the_rate_counts_only_marked_seats():
    assert rules.attendance_rate(3, 1) == 0.75
    assert rules.attendance_rate(0, 0) is None

"""Events on SQLite and PostgreSQL: seats, the waitlist and its promotion, reminders and
notices in the outbox, the organisers' steps with their audit rows, refusals."""

from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, PermissionDenied
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.notices.models import Delivery, OutboundMessage
from syros_app.opengov.events import actions, queries, rules
from syros_app.opengov.events.models import EventRegistration
from tests.support import personas

from .helpers import make_event, residents, soon, subscribe


@pytest.fixture
def staff(session):
    return personas.moderator(session)


def _messages(session, prefix: str) -> list[OutboundMessage]:
    return list(session.exec(select(OutboundMessage).where(OutboundMessage.source.like(f"{prefix}%"))
                             .order_by(OutboundMessage.id)))


def _deliveries(session, message: OutboundMessage) -> list[Delivery]:
    return list(session.exec(select(Delivery).where(Delivery.message_id == message.id)))


def test_seats_then_waitlist_in_order_and_promotion_on_cancel(session, staff):
    event = make_event(session, staff, capacity=2)
    a, b, c, d = residents(session, 4)
    for person in (a, b, c, d):
        subscribe(session, person.person_id)
    got = [actions.register(session, actor=p, event_id=event.id).status for p in (a, b, c, d)]
    session.commit()
    assert got == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [queries.waitlist_position(session, queries.registration(session, event.id, p.person_id))
            for p in (c, d)] == [1, 2]
    with pytest.raises(AgoraError) as twice:
        actions.register(session, actor=c, event_id=event.id)
    assert twice.value.key == "events.errors.already_registered"

    actions.cancel_registration(session, actor=a, event_id=event.id)
    session.commit()
    assert queries.registration(session, event.id, c.person_id).status == "registered"
    assert queries.registration(session, event.id, c.person_id).promoted_at is not None
    assert queries.waitlist_position(session, queries.registration(session, event.id, d.person_id)) == 1
    assert queries.seats_taken(session, event.id) == 2
    promoted = _messages(session, "event.promoted:")
    assert len(promoted) == 1 and event.title in promoted[0].title
    assert [x.address for x in _deliveries(session, promoted[0])] == [f"https://push.example/{c.person_id}"]

    # a waitlisted person leaving promotes nobody
    actions.cancel_registration(session, actor=d, event_id=event.id)
    session.commit()
    assert len(_messages(session, "event.promoted:")) == 1
    with pytest.raises(AgoraError) as none:
        actions.cancel_registration(session, actor=d, event_id=event.id)
    assert none.value.key == "events.errors.not_registered"
    # registering again goes to the back of the queue (the row is reused)
    assert actions.register(session, actor=a, event_id=event.id).status == "waitlisted"


def test_reminder_waits_in_the_outbox_until_a_day_before_and_follows_changes(session, staff):
    starts = soon(5)
    event = make_event(session, staff, capacity=1, starts=starts)
    eleni, nikos = residents(session, 2)
    subscribe(session, eleni.person_id)
    subscribe(session, nikos.person_id)
    actions.register(session, actor=eleni, event_id=event.id)
    actions.register(session, actor=nikos, event_id=event.id)
    session.commit()
    [reminder] = _messages(session, "event.reminder:")
    [delivery] = _deliveries(session, reminder)
    assert as_utc(delivery.next_attempt_at) == as_utc(starts) - rules.REMINDER_BEFORE
    assert delivery.status == "pending" and "Υπενθύμιση" in reminder.title
    assert queries.registration(session, event.id, eleni.person_id).reminder_source == reminder.source

    # the event moves a day later: the reminder is written again for the new time
    later = starts + timedelta(days=1)
    actions.update_event(session, actor=staff, event_id=event.id, kind="workshop", title=event.title,
                         description=event.description, place=event.place, starts_at=later,
                         ends_at=later + timedelta(hours=2), capacity=1)
    session.commit()
    pending = session.exec(select(Delivery).where(Delivery.status == "pending",
                                                  Delivery.message_id.in_(
                                                      select(OutboundMessage.id).where(
                                                          OutboundMessage.source.like("event.reminder:%"))))).all()
    assert [as_utc(d.next_attempt_at) for d in pending] == [as_utc(later) - rules.REMINDER_BEFORE]

    # cancelling the seat withdraws the reminder and schedules one for the promoted person
    actions.cancel_registration(session, actor=eleni, event_id=event.id)
    session.commit()
    pending = session.exec(select(Delivery.address).where(Delivery.status == "pending",
                                                          Delivery.next_attempt_at > utcnow())).all()
    assert pending == [f"https://push.example/{nikos.person_id}"]


def test_no_reminder_when_the_event_starts_within_a_day(session, staff):
    event = make_event(session, staff, starts=soon(0.5))
    [eleni] = residents(session, 1)
    subscribe(session, eleni.person_id)
    actions.register(session, actor=eleni, event_id=event.id)
    session.commit()
    assert _messages(session, "event.reminder:") == []


def test_larger_capacity_seats_the_waitlist(session, staff):
    event = make_event(session, staff, capacity=1)
    people = residents(session, 3)
    for p in people:
        actions.register(session, actor=p, event_id=event.id)
    session.commit()
    actions.update_event(session, actor=staff, event_id=event.id, kind="workshop", title=event.title,
                         description=event.description, place=event.place, starts_at=event.starts_at,
                         ends_at=event.ends_at, capacity=2)
    session.commit()
    assert queries.seats_taken(session, event.id) == 2
    assert queries.registration(session, event.id, people[1].person_id).status == "registered"
    assert queries.registration(session, event.id, people[2].person_id).status == "waitlisted"


def test_cancel_event_tells_everyone_and_audits(session, staff):
    event = make_event(session, staff, capacity=1)
    people = residents(session, 2)
    for p in people:
        subscribe(session, p.person_id)
        actions.register(session, actor=p, event_id=event.id)
    session.commit()
    actions.cancel_event(session, actor=staff, event_id=event.id)
    session.commit()
    assert len(_messages(session, "event.cancelled:")) == 2
    assert session.exec(select(Delivery).where(Delivery.status == "pending",
                                               Delivery.next_attempt_at > utcnow())).all() == []
    with pytest.raises(AgoraError):
        actions.register(session, actor=personas.resident(session, "maria"), event_id=event.id)
    actions_logged = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions_logged == ["events.create_event", "events.cancel_event"]


def test_minutes_only_after_the_start_and_only_https(session, staff):
    starts = utcnow() + timedelta(hours=1)
    event = make_event(session, staff, starts=starts)
    with pytest.raises(AgoraError):
        actions.publish_minutes(session, actor=staff, event_id=event.id, minutes="Αποφασίστηκαν πολλά.")
    later = starts + timedelta(hours=3)
    with pytest.raises(InvalidInput):
        actions.publish_minutes(session, actor=staff, event_id=event.id, minutes="Αποφασίστηκαν πολλά.",
                                recording_url="javascript:alert(1)", now=later)
    actions.publish_minutes(session, actor=staff, event_id=event.id, minutes="Αποφασίστηκαν πολλά.",
                            recording_url="https://video.example/syros", now=later)
    session.commit()
    assert queries.get_event(session, event.id).recording_url == "https://video.example/syros"


def test_validation_keeps_nothing(session, staff):
    with pytest.raises(InvalidInput):
        make_event(session, staff, capacity=0)
    with pytest.raises(InvalidInput):
        make_event(session, staff, lat=38.5, lon=23.7)  # Athens, not Syros
    with pytest.raises(InvalidInput):
        make_event(session, staff, starts=utcnow() - timedelta(days=1))
    with pytest.raises(InvalidInput):
        make_event(session, staff, kind="party")
    session.rollback()
    assert queries.all_events(session) == []


def test_naive_form_times_are_athens_time(session, staff):
    from datetime import datetime

    day = (utcnow() + timedelta(days=30)).date()
    event = actions.create_event(session, actor=staff, kind="council", title="Συνεδρίαση",
                                 description="Ημερήσια διάταξη.", place="Δημαρχείο",
                                 starts_at=f"{day.isoformat()}T19:00", ends_at=f"{day.isoformat()}T21:00")
    local = datetime(day.year, day.month, day.day, 19, 0, tzinfo=rules.ATHENS)
    assert as_utc(event.starts_at) == as_utc(local)


def test_refusals(session, staff):
    event = make_event(session, staff)
    [eleni] = residents(session, 1)
    with pytest.raises(PermissionDenied):
        actions.register(session, actor=None, event_id=event.id)
    for step in (lambda: actions.cancel_event(session, actor=eleni, event_id=event.id),
                 lambda: make_event(session, eleni),
                 lambda: actions.publish_minutes(session, actor=eleni, event_id=event.id, minutes="x" * 20)):
        with pytest.raises(PermissionDenied):
            step()
    officer = personas.officer(session)
    with pytest.raises(PermissionDenied):
        actions.cancel_event(session, actor=officer, event_id=event.id)
    assert session.exec(select(EventRegistration)).all() == []

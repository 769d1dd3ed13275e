"""What the event pages show: seats in both languages, this person's place and position,
why registering is closed; the staff desk's counts and form values in Athens time."""

from datetime import timedelta

from syros_app.core.timefmt import utcnow
from syros_app.opengov.events import actions, views
from tests.support import personas

from .helpers import make_event, residents


def test_event_page_for_visitor_seated_and_waiting(session):
    staff = personas.moderator(session)
    event = make_event(session, staff, capacity=1)
    seated, waiting = residents(session, 2)
    anonymous = views.event_page(session, event.id, None)["view"]
    assert anonymous.can_register is False and anonymous.closed_reason == ""
    assert anonymous.seats.el == "Ελεύθερες θέσεις: 1" and anonymous.seats.en == "Seats left: 1"
    actions.register(session, actor=seated, event_id=event.id)
    actions.register(session, actor=waiting, event_id=event.id)
    session.commit()
    mine = views.event_page(session, event.id, waiting)["view"]
    assert (mine.my_status, mine.my_position.el, mine.full, mine.can_register) == (
        "waitlisted", "Θέση στη σειρά: 1", True, False)
    other = views.event_page(session, event.id, personas.resident(session, "maria"))["view"]
    assert other.can_register is True and other.seats.en.startswith("Full")
    assert views.event_page(session, 0, None) == {"found": False, "loaded": True}


def test_closed_reasons_and_staff_rows(session):
    staff = personas.moderator(session)
    event = make_event(session, staff, registration_open=False)
    assert views.event_page(session, event.id, None)["view"].closed_reason == "events.errors.registration_closed"
    later = utcnow() + timedelta(days=30)
    assert views.event_page(session, event.id, None, now=later)["view"].closed_reason == "events.errors.started"
    [row] = views.staff_rows(session)
    assert (row.registered, row.waitlisted, row.capacity, row.past) == ("0", "0", "2", False)
    assert row.form["starts_at"] == views._local_input(event.starts_at) and row.form["registration_open"] == ""
    assert views.row_id("12") == 12 and views.row_id("-3") == 0 and views.row_id("x") == 0
    assert views.row_id(str(2**70)) == 0


def test_form_input_keeps_the_typed_values_for_the_action():
    data = views.form_input({"kind": "council", "title": "Συνεδρίαση", "capacity": " 30 ", "lat": "37,44",
                             "lon": "24.94", "registration_open": "on", "starts_at": "2031-01-01T10:00"})
    assert data["capacity"] == "30" and data["lat"] == 37.44 and data["registration_open"] is True
    assert data["ends_at"] is None


def test_today_shows_organisers_what_waits(session):
    from syros_app.opengov.events.today import today

    staff = personas.moderator(session)
    now = utcnow()
    soon = make_event(session, staff, starts=now + timedelta(hours=5), title="Συνεδρίαση σε λίγες ώρες")
    make_event(session, staff, starts=now - timedelta(days=3), now=now - timedelta(days=5))
    got = [(i.text_key, i.count, i.url, i.title) for i in today(session, staff, now)]
    assert got == [("events.today.soon", 0, f"/events/{soon.id}", soon.title),
                   ("events.today.minutes_due", 1, "/staff/events", "")]
    assert today(session, personas.resident(session, "maria"), now) == []


def test_figure_rows_show_the_attendance_rate_in_both_languages(session):
    staff = personas.moderator(session)
    start = utcnow() - timedelta(days=2)
    event = make_event(session, staff, starts=start, now=start - timedelta(days=3), capacity=None)
    regs = [actions.register(session, actor=person, event_id=event.id, now=start - timedelta(days=1))
            for person in residents(session, 5)]
    actions.publish_minutes(session, actor=staff, event_id=event.id, minutes="Συζητήθηκαν τα σχέδια.", attendance=9)
    for reg, came in zip(regs, (True, True, True, False)):  # the fifth seat is left unmarked
        actions.record_attendance(session, actor=staff, registration_id=reg.id, attended=came, now=start)
    session.commit()
    [row] = views.figure_rows(session)  # 3 came of the 4 marked (the headcount of 9 is not the rate)
    assert [(c.el, c.en) for c in row.cells] == [("1", "1"), ("5", "5"), ("1", "1"), ("75,0\u00a0%", "75.0%")]


def test_a_cancelled_event_shows_no_place_to_keep(session):
    staff = personas.moderator(session)
    event = make_event(session, staff)
    [eleni] = residents(session, 1)
    actions.register(session, actor=eleni, event_id=event.id)
    actions.cancel_event(session, actor=staff, event_id=event.id)
    session.commit()
    view = views.event_page(session, event.id, eleni)["view"]
    assert (view.my_status, view.cancelled, view.can_register, view.closed_reason) == (
        "", True, False, "events.errors.cancelled")

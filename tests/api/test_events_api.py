"""Events over HTTP: the iCalendar feeds parsed back with the ``icalendar`` library
(stable UIDs, Europe/Athens times with their VTIMEZONE, content type), the open data
(JSON and CSV), and the /measurement figures recomputed from the open data."""

import csv
import io
from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.opengov.events import actions, queries, rules
from tests.support import personas
from tests.unit.events.helpers import make_event, residents, soon


@pytest.fixture
def client(engine):
    return TestClient(create_api())


@pytest.fixture
def world(session):
    staff = personas.moderator(session)
    upcoming = make_event(session, staff, capacity=1, title="Εργαστήριο: η πλατεία Μιαούλη",
                          lat=37.4449, lon=24.9430)
    other = make_event(session, staff, capacity=None, starts=soon(10), kind="open_day",
                       title="Ανοιχτές πόρτες στο θέατρο Απόλλων")
    cancelled = make_event(session, staff, starts=soon(4), title="Συνεδρίαση που ακυρώθηκε")
    actions.cancel_event(session, actor=staff, event_id=cancelled.id)
    a, b = residents(session, 2)
    actions.register(session, actor=a, event_id=upcoming.id)
    actions.register(session, actor=b, event_id=upcoming.id)
    # two held council meetings (created in the past, then they happened), one with minutes
    held = []
    for days_ago, title in ((40, "Τακτική συνεδρίαση Οκτωβρίου"), (100, "Τακτική συνεδρίαση Αυγούστου")):
        start = utcnow() - timedelta(days=days_ago)
        event = make_event(session, staff, starts=start, kind="council", title=title, capacity=None,
                           now=start - timedelta(days=10))
        actions.register(session, actor=a, event_id=event.id, now=start - timedelta(days=2))
        actions.register(session, actor=b, event_id=event.id, now=start - timedelta(days=2))
        held.append(event)
    actions.publish_minutes(session, actor=staff, event_id=held[0].id, minutes="Εγκρίθηκε ο προϋπολογισμός.",
                            attendance=25)
    # at the door of the first: a came, b did not; the second's seats were never marked
    for person, came in ((a, True), (b, False)):
        reg = queries.registration(session, held[0].id, person.person_id)
        actions.record_attendance(session, actor=staff, registration_id=reg.id, attended=came)
    session.commit()
    return {"upcoming": upcoming, "other": other, "cancelled": cancelled, "held": held}


def test_feed_parses_back_with_stable_uids_and_athens_times(client, world):
    response = client.get("/api/v1/events.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {world["upcoming"].title, world["other"].title}  # upcoming and not cancelled only
    first = events[world["upcoming"].title]
    assert first["dtstart"].params["TZID"] == "Europe/Athens"
    assert as_utc(first.start) == as_utc(world["upcoming"].starts_at)
    assert as_utc(first.end) == as_utc(world["upcoming"].ends_at)
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Athens"]
    assert str(first["uid"]).startswith(f"event-{world['upcoming'].id}@")
    assert str(first["url"]).endswith(f"/events/{world['upcoming'].id}")
    assert first["geo"].latitude == pytest.approx(37.4449)
    # the same UID again, and on the event's own file
    again = Calendar.from_ical(client.get("/api/v1/events.ics").content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in cal.walk("VEVENT")}
    one = Calendar.from_ical(client.get(f"/api/v1/events/{world['upcoming'].id}.ics").content)
    [single] = one.walk("VEVENT")
    assert str(single["uid"]) == str(first["uid"]) and str(single["status"]) == "CONFIRMED"


def test_a_cancelled_event_says_so_and_unknown_is_404(client, world):
    cal = Calendar.from_ical(client.get(f"/api/v1/events/{world['cancelled'].id}.ics").content)
    assert str(cal.walk("VEVENT")[0]["status"]) == "CANCELLED"
    assert client.get("/api/v1/events/999999.ics").status_code == 404


def test_open_data_has_counts_and_no_personal_data(client, world):
    rows = {r["id"]: r for r in client.get("/api/v1/events").json()["events"]}
    up = rows[world["upcoming"].id]
    assert (up["registered"], up["waitlisted"], up["capacity"], up["held"]) == (1, 1, 1, False)
    assert rows[world["cancelled"].id]["status"] == "cancelled"
    assert "person_id" not in str(rows) and "Κάτοικος" not in str(rows)
    first = rows[world["held"][0].id]
    assert (first["registered"], first["attended"], first["no_shows"], first["attendance"]) == (2, 1, 1, 25)
    assert (rows[world["held"][1].id]["attended"], rows[world["held"][1].id]["no_shows"]) == (0, 0)
    text = client.get("/api/v1/events?format=csv").content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == len(rows)


def test_figures_recomputed_from_the_open_data(client, world):
    rows = client.get("/api/v1/events").json()["events"]
    expected = defaultdict(lambda: [0, 0, 0, 0, 0])
    athens = ZoneInfo("Europe/Athens")
    from datetime import datetime

    now = utcnow()
    for row in rows:
        ends = datetime.fromisoformat(row["ends_at"])
        if row["status"] == "scheduled" and ends <= now:
            start = datetime.fromisoformat(row["starts_at"]).astimezone(athens)
            key = (f"{start.year}-Q{(start.month - 1) // 3 + 1}", row["kind"])
            expected[key][0] += 1
            expected[key][1] += row["registered"]
            expected[key][2] += 1 if row["minutes"] else 0
            expected[key][3] += row["attended"]
            expected[key][4] += row["no_shows"]
    text = client.get("/api/v1/events/figures.csv").content.decode("utf-8-sig")
    fields = ("held", "registrations", "with_minutes", "attended", "no_shows")
    published = {(r["quarter"], r["kind"]): [int(r[f]) for f in fields] for r in csv.DictReader(io.StringIO(text))}
    assert published == dict(expected)
    assert sum(v[0] for v in published.values()) == 2 and sum(v[2] for v in published.values()) == 1
    assert sum(v[3] for v in published.values()) == 1 and sum(v[4] for v in published.values()) == 1
    assert all(kind in rules.KINDS for _, kind in published)


def test_page_preview_escapes_and_missing_event_is_404(world):
    import re

    from syros_app.api.route_preload import PageNotFound
    from syros_app.opengov.events import preview

    (pattern, render), = preview.PREVIEWS.items()
    html = render(re.match(pattern, f"/events/{world['upcoming'].id}"), "el")
    assert world["upcoming"].title in html and "Πλατεία Μιαούλη" in html
    with pytest.raises(PageNotFound):
        render(re.match(pattern, "/events/999999"), "el")

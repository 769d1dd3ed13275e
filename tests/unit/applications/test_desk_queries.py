"""The desk's queue and file: department scope, filters, the SLA clock, internal notes."""

from __future__ import annotations

from datetime import timedelta

from syros_app.applications import desk_actions, desk_queries, desk_views
from syros_app.applications.desk_queries import QueueFilters
from tests.unit.applications.test_desk_actions import MONDAY, desk, make_application  # noqa: F401  (fixture)


def _refs(session, department, now=MONDAY, person_id=None, **filters):
    rows, _more = desk_queries.queue(session, department=department, filters=QueueFilters(**filters),
                                     person_id=person_id, now=now)
    return [r.reference for r in rows]


def test_an_officer_sees_her_department_and_the_administrator_every_one(session, desk):
    assert _refs(session, "cleanliness") == [desk["app"].reference]
    assert set(_refs(session, None)) == {desk["app"].reference, desk["finance_app"].reference}
    assert desk_queries.desk_file(session, desk["finance_app"].id, desk["people"]["officer"]) is None
    assert desk_queries.desk_file(session, desk["finance_app"].id, desk["people"]["stella"]) is None
    assert desk_queries.desk_file(session, desk["finance_app"].id, desk["people"]["admin"]) is not None


def test_filters_status_service_assignment_and_overdue(session, desk):
    people, app = desk["people"], desk["app"]
    later = make_application(session, desk["cleaning"], people["stella"].person_id, submitted=MONDAY + timedelta(days=7))
    desk_actions.assign_application(session, actor=people["officer"], application_id=later.id,
                                    officer_id=people["officer"].person_id)
    session.commit()
    assert _refs(session, "cleanliness") == [app.reference, later.reference]  # soonest due first
    assert _refs(session, "cleanliness", status="in_progress") == [later.reference]
    assert _refs(session, "cleanliness", assigned="me", person_id=people["officer"].person_id) == [later.reference]
    assert _refs(session, "cleanliness", assigned="none") == [app.reference]
    assert _refs(session, None, service_id=desk["finance"].id) == [desk["finance_app"].reference]
    # five working days after Monday 9 March is Monday 16 March: on the 17th only the first is late
    assert _refs(session, "cleanliness", now=MONDAY + timedelta(days=8), overdue_only=True) == [app.reference]
    desk_actions.request_information(session, actor=people["officer"], application_id=app.id, message="Πόσα είναι;",
                                     now=MONDAY + timedelta(days=1))
    session.commit()
    assert _refs(session, "cleanliness", now=MONDAY + timedelta(days=8), overdue_only=True) == []  # paused


def test_a_page_and_whether_there_is_a_next(session, desk):
    for _ in range(3):
        make_application(session, desk["cleaning"], desk["people"]["stella"].person_id)
    rows, more = desk_queries.queue(session, department="cleanliness", filters=QueueFilters(), person_id=None,
                                    now=MONDAY, page_size=3)
    assert len(rows) == 3 and more
    rows, more = desk_queries.queue(session, department="cleanliness", filters=QueueFilters(), person_id=None,
                                    now=MONDAY, page=1, page_size=3)
    assert len(rows) == 1 and not more


def test_the_sla_clock_in_working_days():
    due = MONDAY + timedelta(days=7)  # Monday 16 March, 9:00
    assert desk_views.sla_clock("received", due, None, MONDAY + timedelta(days=4), "el") == (
        "Απομένουν 1,0 εργάσιμες (έως 16 Μαρτίου 2026)", False)  # Friday 9:00 → Monday 9:00: one working day
    text, late = desk_views.sla_clock("in_progress", due, None, due + timedelta(days=1, hours=12), "en")
    assert late and text == "1.5 working days late (due 16 March 2026)"
    assert desk_views.sla_clock("info_requested", due, MONDAY + timedelta(days=2), MONDAY + timedelta(days=30), "el") == (
        "Σε αναμονή του/της αιτούντα/ούσας · απομένουν 3,0 εργάσιμες", False)  # frozen at Wednesday
    assert desk_views.sla_clock("answered", due, None, due + timedelta(days=30), "el")[1] is False


def test_the_file_shows_answers_notes_and_timeline(session, desk):
    people, app = desk["people"], desk["app"]
    desk_actions.add_internal_note(session, actor=people["officer"], application_id=app.id, body="Μεγάλο φορτίο.")
    desk_actions.request_information(session, actor=people["officer"], application_id=app.id, message="Πόσα είναι;")
    session.commit()
    detail = desk_views.detail(session, app.id, people["officer"], MONDAY, "el")
    assert [(a.label, a.value) for a in detail.answers] == [("Διεύθυνση", "Ερμού 12"), ("Αντικείμενα", "Ένας καναπές")]
    assert [n.body for n in detail.notes] == ["Μεγάλο φορτίο."]
    assert detail.timeline[0].label == "Ζητήθηκαν περισσότερα στοιχεία" and detail.timeline[0].message == "Πόσα είναι;"
    assert detail.applicant == "Στέλλα Βαφειάδη" and not detail.can_request and detail.can_answer
    assert ("Εισερχόμενο πρωτόκολλο", f"Εισ. {app.in_protocol_number}/2026") in [(f.label, f.value) for f in detail.facts]
    page = desk_views.desk(session, actor=people["officer"], filters=QueueFilters(),
                           selected_id=desk["finance_app"].id, page=0, lang="en")
    assert page["allowed"] and page["selected"] == [] and [q.reference for q in page["queue"]] == [app.reference]
    assert page["summary"] == "Open: 1 · late: 0 · waiting for the applicant: 1"


def test_a_resident_sees_no_desk_and_no_file(session, desk):
    page = desk_views.desk(session, actor=desk["people"]["stella"], filters=QueueFilters(),
                           selected_id=desk["app"].id, page=0, lang="el")
    assert page == desk_views.EMPTY


def test_counter_answers_follow_the_form(session, desk):
    fields = desk_views.counter_fields(session, desk["cleaning"].id, "el")
    assert [(f.key, f.kind, f.required) for f in fields] == [("address", "address", True), ("items", "textarea", True)]
    answers = desk_views.counter_answers({"field-address": " Ερμού 3 ", "field-items": "Ψυγείο", "field-x": "?"}, fields)
    assert answers == {"address": {"text": "Ερμού 3", "lat": None, "lon": None}, "items": "Ψυγείο"}

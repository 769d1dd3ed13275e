"""Open meetings at phone size: an organiser creates a workshop with one seat, a resident
takes it, another joins the waitlist (by keyboard), the first cancels, and the second is
promoted — sees her seat and is notified through the outbox; at the door, staff mark who came
on the check-in list by keyboard, and a resident sees that she attended (and the project that
links the event). axe-core on every page."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from syros_app.identity.roles import Role

from .conftest import PHONE, assert_accessible, login_as, wait_ready

pytestmark = pytest.mark.e2e

TITLE = "Εργαστήριο: παιδική χαρά στη Βάρη"


def _phone(browser):
    return browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)


def _event_id(page, app_server) -> int:
    rows = page.request.get(app_server.url("/api/v1/events")).json()["events"]
    return next(r["id"] for r in rows if r["title"] == TITLE)


def _promoted_messages(app_server) -> list[str]:
    from syros_app.core.db import make_engine
    from syros_app.notices.models import OutboundMessage

    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    with Session(engine) as session:
        found = session.exec(select(OutboundMessage.title).where(OutboundMessage.source.like("event.promoted:%"))).all()
    engine.dispose()
    return list(found)


def test_waitlist_promotion_at_phone_size(app_server, browser):
    staff_ctx, nikos_ctx, eleni_ctx = _phone(browser), _phone(browser), _phone(browser)
    try:
        # --- an organiser creates a workshop with one seat -------------------------------------
        login_as(app_server, staff_ctx, "moderator", roles=(Role.MODERATOR,), display_name="Υπάλληλος Δήμου")
        staff = staff_ctx.new_page()
        staff.goto(app_server.url("/staff/events"))
        wait_ready(staff)
        expect(staff.get_by_role("heading", name="Νέα εκδήλωση")).to_be_visible()
        assert_accessible(staff, "staff events")
        day = (datetime.now(ZoneInfo("Europe/Athens")) + timedelta(days=10)).date().isoformat()
        staff.get_by_label("Είδος").select_option("workshop")
        staff.get_by_label("Τίτλος").fill(TITLE)
        staff.get_by_label("Περιγραφή").fill("Σχεδιάζουμε μαζί με τα παιδιά τη νέα παιδική χαρά.")
        staff.get_by_label("Τόπος").fill("Βάρη, πλατεία")
        staff.get_by_label("Έναρξη (ώρα Ελλάδας)").fill(f"{day}T18:00")
        staff.get_by_label("Λήξη (ώρα Ελλάδας)").fill(f"{day}T20:00")
        staff.get_by_label("Θέσεις (κενό: χωρίς όριο)").fill("1")
        staff.get_by_role("button", name="Αποθήκευση").click()
        expect(staff.get_by_role("status")).to_contain_text("Η εκδήλωση δημιουργήθηκε.")
        event_url = app_server.url(f"/events/{_event_id(staff, app_server)}")

        # --- Nikos takes the only seat ---------------------------------------------------------
        login_as(app_server, nikos_ctx, "nikos")
        nikos = nikos_ctx.new_page()
        nikos.goto(app_server.url("/events"))
        wait_ready(nikos)
        expect(nikos.get_by_role("link", name=TITLE)).to_be_visible()
        assert_accessible(nikos, "events list")
        nikos.goto(event_url)
        wait_ready(nikos)
        nikos.get_by_role("button", name="Δήλωση συμμετοχής").click()
        expect(nikos.get_by_text("Έχετε θέση σε αυτή την εκδήλωση.")).to_be_visible()

        # --- Eleni finds it full and joins the waitlist by keyboard ----------------------------
        login_as(app_server, eleni_ctx, "e2e-events-eleni", display_name="Ελένη Συριανή")
        eleni = eleni_ctx.new_page()
        eleni.goto(event_url)
        wait_ready(eleni)
        expect(eleni.get_by_text("Πλήρης — μπορείτε να μπείτε σε λίστα αναμονής")).to_be_visible()
        assert_accessible(eleni, "full event")
        join = eleni.get_by_role("button", name="Μπείτε στη λίστα αναμονής")
        join.focus()
        expect(join).to_be_focused()
        eleni.keyboard.press("Enter")
        expect(eleni.get_by_text("Είστε στη λίστα αναμονής.")).to_be_visible()
        expect(eleni.get_by_text("Θέση στη σειρά: 1")).to_be_visible()
        expect(eleni.get_by_role("link", name="Προσθήκη στο ημερολόγιο")).to_have_attribute(
            "href", f"/api/v1/events/{_event_id(eleni, app_server)}.ics")
        assert_accessible(eleni, "waitlisted")

        # --- Nikos cancels: Eleni is promoted and told -----------------------------------------
        nikos.get_by_role("button", name="Ακύρωση της συμμετοχής μου").click()
        expect(nikos.get_by_role("status")).to_contain_text("Η συμμετοχή σας ακυρώθηκε.")
        eleni.reload()
        wait_ready(eleni)
        expect(eleni.get_by_text("Έχετε θέση σε αυτή την εκδήλωση.")).to_be_visible()
        assert any(TITLE in title for title in _promoted_messages(app_server))

        # --- the organiser sees the counts -----------------------------------------------------
        staff.reload()
        wait_ready(staff)
        card = staff.locator("li.card", has=staff.get_by_role("link", name=TITLE))
        expect(card).to_contain_text("Συμμετοχές: 1 / 1")
        expect(card).to_contain_text("Σε αναμονή: 0")
    finally:
        for ctx in (staff_ctx, nikos_ctx, eleni_ctx):
            ctx.close()


DOOR_TITLE = "Ανοιχτή συνεδρίαση για τη λαϊκή αγορά"
PROJECT_TITLE = "Νέα θέση για τη λαϊκή αγορά"


def _event_at_the_door(app_server, person_ids: list[int]) -> tuple[int, dict[int, int]]:
    """An event starting within the hour, with a seat for each person (written through the
    events' own actions, as the organiser and the residents would)."""
    from syros_app.core.db import make_engine
    from syros_app.core.timefmt import utcnow
    from syros_app.identity.models import Person
    from syros_app.identity.sessions import actor_for
    from syros_app.opengov.events import actions

    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    now = utcnow().replace(microsecond=0)
    with Session(engine) as session:
        people = [session.get(Person, pid) for pid in person_ids]
        staff = actor_for(session, people[0])
        event = actions.create_event(session, actor=staff, kind="council", title=DOOR_TITLE,
                                     description="Συζήτηση για τη μεταφορά της λαϊκής αγοράς.", place="Δημαρχείο",
                                     starts_at=now + timedelta(minutes=50), ends_at=now + timedelta(hours=3),
                                     capacity=None, now=now)
        regs = {p.id: actions.register(session, actor=actor_for(session, p), event_id=event.id, now=now).id
                for p in people[1:]}
        # and a project of the tracker links it (the event's page names the project)
        from syros_app.identity.actions import cli_actor
        from syros_app.opengov.projects import actions as projects
        from syros_app.opengov.projects.models import Project

        project = session.exec(select(Project).where(Project.title == PROJECT_TITLE)).first() or \
            projects.create_project(session, actor=cli_actor("e2e"), title=PROJECT_TITLE, department="technical",
                                    now=now)
        projects.add_link(session, actor=cli_actor("e2e"), project_id=project.id, kind="event", target=str(event.id),
                          now=now)
        session.commit()
        event_id = event.id
    engine.dispose()
    return event_id, regs


def test_staff_mark_attendance_at_the_door_by_keyboard(app_server, browser):
    staff_ctx, eleni_ctx, nikos_ctx = _phone(browser), _phone(browser), _phone(browser)
    try:
        staff_id = login_as(app_server, staff_ctx, "door-moderator", roles=(Role.MODERATOR,),
                            display_name="Γραμματεία Δημοτικού Συμβουλίου")
        eleni_id = login_as(app_server, eleni_ctx, "door-eleni", display_name="Ελένη Πόρτα")
        nikos_id = login_as(app_server, nikos_ctx, "door-nikos", display_name="Νίκος Είσοδος")
        event_id, _regs = _event_at_the_door(app_server, [staff_id, eleni_id, nikos_id])

        staff = staff_ctx.new_page()
        staff.goto(app_server.url("/staff/events"))
        wait_ready(staff)
        card = staff.locator("li.card", has=staff.get_by_role("link", name=DOOR_TITLE))
        card.get_by_role("link", name="Λίστα παρουσιών").click()
        staff.wait_for_url(f"**/staff/events/{event_id}/attendance")
        wait_ready(staff)
        expect(staff.get_by_role("heading", level=1)).to_contain_text(DOOR_TITLE)
        summary = staff.locator(".checkin-summary")
        expect(summary).to_have_text("Ήρθαν: 0 · Δεν ήρθαν: 0 · Χωρίς σημείωση: 2")
        eleni = staff.get_by_role("group", name="Ελένη Πόρτα")
        nikos = staff.get_by_role("group", name="Νίκος Είσοδος")
        expect(eleni.get_by_role("button", name="Ήρθε", exact=True)).to_have_attribute("aria-pressed", "false")
        assert staff.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
        assert_accessible(staff, "check-in list")

        # by keyboard: Eleni's "came" with Space; three Tabs on, Nikos' "did not come" with Enter
        eleni.get_by_role("button", name="Ήρθε", exact=True).focus()
        staff.keyboard.press("Space")
        expect(eleni.get_by_role("button", name="Ήρθε", exact=True)).to_have_attribute("aria-pressed", "true")
        fill = "e => getComputedStyle(e).backgroundColor"  # the mark is seen, not only announced
        assert (eleni.get_by_role("button", name="Ήρθε", exact=True).evaluate(fill)
                != eleni.get_by_role("button", name="Δεν ήρθε").evaluate(fill))
        expect(summary).to_have_text("Ήρθαν: 1 · Δεν ήρθαν: 0 · Χωρίς σημείωση: 1")
        staff.keyboard.press("Tab")
        staff.keyboard.press("Tab")
        staff.keyboard.press("Tab")
        expect(nikos.get_by_role("button", name="Δεν ήρθε")).to_be_focused()
        staff.keyboard.press("Enter")
        expect(nikos.get_by_role("button", name="Δεν ήρθε")).to_have_attribute("aria-pressed", "true")
        expect(summary).to_have_text("Ήρθαν: 1 · Δεν ήρθαν: 1 · Χωρίς σημείωση: 0")
        assert_accessible(staff, "check-in list, marked")

        # Eleni sees that she attended; the open data has counts, never names
        page = eleni_ctx.new_page()
        page.goto(app_server.url(f"/events/{event_id}"))
        wait_ready(page)
        expect(page.get_by_text("Παρευρεθήκατε σε αυτή την εκδήλωση.")).to_be_visible()
        expect(page.locator(".project-backlinks a", has_text=PROJECT_TITLE)).to_have_attribute(
            "href", re.compile(r"^/projects/\d+$"))
        assert_accessible(page, "event page, attended")
        row = next(r for r in page.request.get(app_server.url("/api/v1/events")).json()["events"] if r["id"] == event_id)
        assert (row["attended"], row["no_shows"]) == (1, 1) and "Ελένη" not in str(row)
    finally:
        for ctx in (staff_ctx, eleni_ctx, nikos_ctx):
            ctx.close()

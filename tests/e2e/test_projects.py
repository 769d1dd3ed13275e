"""Open governance at phone size: a resident reads the project tree (weights and
progress), follows a project by keyboard; staff post an update that reaches the
follower through the outbox; /decisions lists the demo decisions from Diavgeia."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from syros_app.identity.roles import Role

from .conftest import PHONE, assert_accessible, login_as, wait_ready

pytestmark = pytest.mark.e2e

ROOT = "Ανάπλαση του ιστορικού κέντρου της Ερμούπολης"
STALE = "Αποκατάσταση των κτιρίων του Νεωρίου"


def _focused_text(page) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.textContent.trim() : ''")


def _new_context(browser):
    return browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)


def test_tree_follow_update_and_decisions(app_server, browser):
    from syros_app.core.db import make_engine
    from syros_app.notices.models import OutboundMessage

    resident_ctx, staff_ctx = _new_context(browser), _new_context(browser)
    try:
        login_as(app_server, resident_ctx, "projects-resident", display_name="Μαρίνα Λ.")
        page = resident_ctx.new_page()
        page.goto(app_server.url("/projects"))
        wait_ready(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Έργα και δεσμεύσεις του Δήμου")
        root = page.locator(".card", has=page.get_by_role("link", name=ROOT, exact=True))
        expect(root).to_contain_text(re.compile(r"Πρόοδος: 66,7\s%"))
        expect(root).to_contain_text("βάρος: 1")
        part = page.locator(".card", has=page.get_by_role("link", name="Εφαρμογή του κυκλοφοριακού σχεδίου"))
        expect(part).to_contain_text("Μέρος του έργου: " + ROOT)
        expect(part).to_contain_text(re.compile(r"Πρόοδος: 80,0\s%"))
        stale = page.locator(".card", has=page.get_by_role("link", name=STALE))
        expect(stale.get_by_text("Χωρίς ενημέρωση 90 ημερών")).to_be_visible()
        expect(root.get_by_text("Χωρίς ενημέρωση 90 ημερών")).to_have_count(0)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page, "/projects (el)")

        # by keyboard: Tab to the project's link, Enter opens it, Enter on "follow" follows it
        for _ in range(60):
            page.keyboard.press("Tab")
            if _focused_text(page) == ROOT:
                break
        else:
            raise AssertionError(f"the project link was not reached by Tab; focus on {_focused_text(page)!r}")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/projects/\d+$"))
        wait_ready(page)
        project_id = int(page.url.rsplit("/", 1)[1])
        expect(page.get_by_role("heading", level=2, name=ROOT)).to_be_visible()
        expect(page.get_by_role("link", name="Κυκλοφοριακό σχέδιο του κέντρου της Ερμούπολης")).to_have_attribute(
            "href", re.compile(r"^/consultations/\d+$"))
        expect(page.get_by_text("1.850.000\u00a0€")).to_be_visible()
        page.get_by_role("button", name="Παρακολούθηση του έργου").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Θα λαμβάνετε τις ενημερώσεις του έργου")
        expect(page.get_by_role("button", name="Διακοπή παρακολούθησης")).to_be_visible()
        expect(page.get_by_role("heading", name="Διαχείριση έργου")).to_have_count(0)  # residents keep nothing
        assert_accessible(page, "project page, following (el)")

        # staff post an update: it shows, and it reaches the follower through the outbox
        login_as(app_server, staff_ctx, "projects-admin", roles=(Role.ADMINISTRATOR,))
        staff = staff_ctx.new_page()
        staff.goto(app_server.url(f"/projects/{project_id}"))
        wait_ready(staff)
        staff.get_by_text("Δημοσίευση ενημέρωσης").click()
        staff.get_by_label("Κείμενο ενημέρωσης").fill("Παραδόθηκε η βόρεια πλευρά της πλατείας Μιαούλη.")
        assert_accessible(staff, "project desk (el)")
        staff.get_by_role("button", name="Δημοσίευση", exact=True).click()
        expect(staff.get_by_role("status")).to_contain_text("Η ενημέρωση δημοσιεύτηκε")
        expect(staff.get_by_text("Παραδόθηκε η βόρεια πλευρά της πλατείας Μιαούλη.")).to_be_visible()
        engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
        with Session(engine) as session:
            sources = session.exec(select(OutboundMessage.source).where(
                OutboundMessage.source.like("project.update:%"))).all()
        engine.dispose()
        assert len(sources) == 1
        page.reload()
        wait_ready(page)
        expect(page.get_by_text("Παραδόθηκε η βόρεια πλευρά της πλατείας Μιαούλη.")).to_be_visible()

        # the decisions from Diavgeia (the demo's, through the stand-in), searchable
        page.goto(app_server.url("/decisions"))
        wait_ready(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Αποφάσεις του Δήμου (Διαύγεια)")
        expect(page.locator(".card")).to_have_count(10)
        page.get_by_label("Αναζήτηση στο θέμα").fill("πλατείας")
        page.get_by_role("button", name="Αναζήτηση", exact=True).click()
        expect(page.locator(".card")).to_have_count(2)
        assert_accessible(page, "/decisions (el)")
        page.get_by_role("link", name="Έγκριση μελέτης ανάπλασης της πλατείας Μιαούλη").click()
        wait_ready(page)
        expect(page.get_by_role("heading", level=2, name="Έγκριση μελέτης ανάπλασης της πλατείας Μιαούλη")).to_be_visible()
        expect(page.get_by_text("Ψ4Κ1ΩΗΚ-Α1Β")).to_be_visible()
        expect(page.get_by_role("link", name="Το έγγραφο στη Διαύγεια")).to_have_attribute(
            "href", "https://diavgeia.gov.gr/doc/Ψ4Κ1ΩΗΚ-Α1Β")
        assert_accessible(page, "a decision (el)")

        # the tracker's figures on /measurement, with definitions and CSV
        page.goto(app_server.url("/measurement"))
        wait_ready(page)
        section = page.locator("section", has=page.get_by_role("heading", name="Έργα: τήρηση χρονοδιαγραμμάτων"))
        expect(section).to_contain_text(re.compile(r"\d+ από \d+"))
        expect(section.get_by_role("link", name="Δεδομένα (CSV)").first).to_have_attribute(
            "href", "/api/v1/projects/milestones?format=csv")
    finally:
        resident_ctx.close()
        staff_ctx.close()

"""The catalogue editor at phone size: an administrator adds a field to a service's form
(a new version, invisible until published), publishes it by keyboard, and a resident
sees the field on the filing page; pickup days are added and closed. axe-core on the
editor."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from syros_app.core.actors import Role

from .conftest import assert_accessible, login_as, wait_ready
from .test_applications import _context, _tab_to

pytestmark = pytest.mark.e2e

SLUG = "water-meter-change"
LABEL = "Όροφος του διαμερίσματος"


def _service_id(app_server, slug: str) -> int:
    from sqlmodel import Session, select

    from syros_app.applications.models import Service
    from syros_app.core.db import make_engine

    with Session(make_engine(app_server.env["SYROS_DATABASE_URL"])) as session:
        return session.exec(select(Service.id).where(Service.slug == slug)).one()


def test_administrator_adds_a_field_and_a_resident_sees_it(app_server, browser):
    admin_ctx, resident_ctx = _context(browser), _context(browser)
    try:
        login_as(app_server, admin_ctx, "catalogue_admin", roles=(Role.ADMINISTRATOR,), display_name="Διαχ. Καταλόγου")
        login_as(app_server, resident_ctx, "catalogue_resident", display_name="Πέτρος Αιτών")
        resident = resident_ctx.new_page()
        resident.goto(app_server.url(f"/applications/{SLUG}"))
        wait_ready(resident)
        expect(resident.get_by_label("Τηλέφωνο επικοινωνίας")).to_be_visible()
        expect(resident.get_by_label(LABEL)).to_have_count(0)

        editor = admin_ctx.new_page()
        editor.goto(app_server.url("/staff/applications/catalogue"))
        wait_ready(editor)
        expect(editor.get_by_role("heading", name="Επεξεργασία καταλόγου υπηρεσιών", level=1)).to_be_visible()
        editor.locator("#cat-service").select_option(str(_service_id(app_server, SLUG)))
        expect(editor.locator("#form-version")).to_have_text("Δημοσιευμένη έκδοση 1")
        assert_accessible(editor, "catalogue editor")

        # a field, typed with its labels in both languages (markup stays text)
        editor.get_by_label("Κλειδί πεδίου").fill("floor")
        editor.get_by_label("Ετικέτα (ελληνικά)").fill(LABEL)
        editor.get_by_label("Ετικέτα (αγγλικά)").fill("Floor of the flat")
        editor.get_by_label("Βοήθεια (ελληνικά)").fill("<b>π.χ.</b> 2ος")
        editor.get_by_role("button", name="Αποθήκευση πεδίου").click()
        expect(editor.get_by_role("status").filter(has_text="Το πεδίο αποθηκεύτηκε")).to_be_visible()
        expect(editor.locator("#form-version")).to_contain_text("Έκδοση 2 υπό επεξεργασία")
        expect(editor.locator(".form-field-item").last).to_contain_text(LABEL)

        # not published yet: the resident's (fresh) page still has the old form
        resident.reload()
        wait_ready(resident)
        expect(resident.get_by_label("Τηλέφωνο επικοινωνίας")).to_be_visible()
        expect(resident.get_by_label(LABEL)).to_have_count(0)

        # a bad key is refused beside its input, nothing saved
        editor.get_by_label("Κλειδί πεδίου").fill("Bad Key")
        editor.get_by_label("Ετικέτα (ελληνικά)").fill("Κάτι")
        editor.get_by_label("Ετικέτα (αγγλικά)").fill("Something")
        editor.get_by_role("button", name="Αποθήκευση πεδίου").click()
        expect(editor.locator("#fld-key-error")).to_be_visible()
        expect(editor.get_by_label("Κλειδί πεδίου")).to_have_attribute("aria-invalid", "true")
        expect(editor.locator(".form-field-item")).to_have_count(8)

        # publish by keyboard
        editor.locator("#form-heading").scroll_into_view_if_needed()
        editor.locator("#form-version").click()
        _tab_to(editor, lambda f: f.split("|", 1)[1] == "Δημοσίευση έκδοσης", 80)
        editor.keyboard.press("Enter")
        dialog = editor.get_by_role("dialog", name="Δημοσίευση της νέας έκδοσης;")
        expect(dialog).to_be_visible()  # public step: asked first, focus inside the dialog
        expect(dialog.get_by_role("button", name="Ακύρωση")).to_be_focused()
        editor.keyboard.press("Tab")
        expect(dialog.get_by_role("button", name="Ναι, δημοσίευση")).to_be_focused()
        editor.keyboard.press("Enter")
        expect(editor.get_by_role("status").filter(has_text="δημοσιεύθηκε")).to_be_visible()
        expect(editor.locator("#form-version")).to_have_text("Δημοσιευμένη έκδοση 2")

        resident.reload()
        wait_ready(resident)
        expect(resident.get_by_label(LABEL)).to_be_visible()
        expect(resident.locator("#f-floor-hint")).to_have_text("<b>π.χ.</b> 2ος")
    finally:
        admin_ctx.close()
        resident_ctx.close()


def test_pickup_days_added_and_closed(app_server, browser):
    ctx = _context(browser)
    try:
        login_as(app_server, ctx, "catalogue_admin", roles=(Role.ADMINISTRATOR,), display_name="Διαχ. Καταλόγου")
        editor = ctx.new_page()
        editor.goto(app_server.url("/staff/applications/catalogue"))
        wait_ready(editor)
        editor.locator("#cat-service").select_option(str(_service_id(app_server, "bulky-waste-pickup")))
        expect(editor.get_by_role("heading", name="Ημέρες παραλαβής")).to_be_visible()
        rows_before = editor.locator(".figures-table tbody tr").count()
        editor.locator("#slot-area").select_option("Ποσειδωνία")
        from datetime import date, timedelta

        day = date.today() + timedelta(days=9)
        while day.weekday() != 5:  # a Saturday: the demo has Tuesdays and Thursdays only
            day += timedelta(days=1)
        editor.get_by_label("Από", exact=True).fill(day.isoformat())
        editor.get_by_label("Σάββατο").check()
        editor.get_by_label("Χωρητικότητα", exact=True).fill("5")
        editor.get_by_role("button", name="Προσθήκη ημερών", exact=True).click()
        expect(editor.get_by_role("status").filter(has_text="Προστέθηκαν 1 ημέρες")).to_be_visible()
        expect(editor.locator(".figures-table tbody tr")).to_have_count(rows_before + 1)
        assert_accessible(editor, "pickup days")
        row = editor.locator(".figures-table tbody tr", has_text="Ποσειδωνία").filter(has_text="0 / 5")
        expect(row).to_have_count(1)
        row.get_by_role("button", name=re.compile("Κλείσιμο ημέρας")).click()
        expect(editor.get_by_role("status").filter(has_text="έκλεισε")).to_be_visible()
        expect(editor.locator(".figures-table tbody tr", has_text="Ποσειδωνία").filter(has_text="0 / 0")).to_have_count(1)
    finally:
        ctx.close()


def _fill_counter(desk, values: dict) -> None:
    for key, value in values.items():
        field = desk.locator(f"#counter-f-{key}")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def _counter_filed(app_server, slug: str):
    from sqlmodel import Session, select

    from syros_app.applications.models import Application, ApplicationFile, Service
    from syros_app.core.db import make_engine

    with Session(make_engine(app_server.env["SYROS_DATABASE_URL"])) as session:
        application = session.exec(select(Application).join(Service, Service.id == Application.service_id)
                                   .where(Service.slug == slug, Application.channel == "counter")
                                   .order_by(Application.id.desc())).first()
        files = session.exec(select(ApplicationFile.filename).where(ApplicationFile.application_id == application.id,
                                                                   ApplicationFile.kind == "upload")).all()
        return application, list(files)


def test_counter_files_with_a_scanned_document_and_a_pickup_day(app_server, browser):
    from syros_app.identity.hashing import with_check_digit

    ctx = _context(browser)
    try:
        login_as(app_server, ctx, "catalogue_admin", roles=(Role.ADMINISTRATOR,), display_name="Διαχ. Καταλόγου")
        desk = ctx.new_page()
        desk.goto(app_server.url("/staff/applications"))
        wait_ready(desk)
        desk.locator("#counter-service").select_option(str(_service_id(app_server, SLUG)))
        expect(desk.locator("#counter-f-full_name")).to_be_visible()
        expect(desk.locator("#counter-upload-field")).to_have_value("bill")
        desk.locator("#counter_files input[type=file]").set_input_files(
            files=[{"name": "λογαριασμός.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 bill"}])
        expect(desk.locator(".file-list li")).to_contain_text("λογαριασμός.pdf")
        desk.get_by_label("ΑΦΜ του/της αιτούντα/ούσας").fill(with_check_digit("40000015"))
        desk.get_by_label("Όνομα του/της αιτούντα/ούσας").fill("Σοφία Γκισέ")
        _fill_counter(desk, {"full_name": "Σοφία Γκισέ", "father_name": "Ιωάννης", "phone": "2281083333",
                             "address": "Οδός Ερμού 5", "meter_number": "ΥΔ-1234", "reason": "broken"})
        assert_accessible(desk, "counter form with a scanned document")
        desk.get_by_role("button", name="Καταχώριση αίτησης").click()
        expect(desk.get_by_role("status").filter(has_text="Η αίτηση καταχωρίστηκε")).to_be_visible()
        application, files = _counter_filed(app_server, SLUG)
        assert files == ["λογαριασμός.pdf"] and application.started_at is None
        expect(desk.locator(".file-list li")).to_have_count(0)  # used up by the filing

        # a pickup day among those of the unit chosen
        desk.locator("#counter-service").select_option(str(_service_id(app_server, "bulky-waste-pickup")))
        expect(desk.locator("#counter-f-area")).to_be_visible()
        desk.get_by_label("ΑΦΜ του/της αιτούντα/ούσας").fill(with_check_digit("40000015"))
        _fill_counter(desk, {"full_name": "Σοφία Γκισέ", "father_name": "Ιωάννης", "phone": "2281083333",
                             "area": "Άνω Σύρος", "address": "Άνω Σύρος, πλατεία", "items": "Ένα ψυγείο"})
        expect(desk.locator("#counter-f-pickup_slot option")).not_to_have_count(1)
        day = desk.locator("#counter-f-pickup_slot option").nth(1).get_attribute("value")
        desk.locator("#counter-f-pickup_slot").select_option(day)
        desk.get_by_role("button", name="Καταχώριση αίτησης").click()
        expect(desk.get_by_role("status").filter(has_text="Η αίτηση καταχωρίστηκε")).not_to_contain_text(
            application.reference)
        expect(desk.locator(".alert.error")).to_have_count(0)
        application, _files = _counter_filed(app_server, "bulky-waste-pickup")
        assert application.pickup_slot_id == int(day)
    finally:
        ctx.close()


def test_address_spot_from_the_map_by_keyboard(app_server, browser):
    ctx = _context(browser)
    try:
        login_as(app_server, ctx, "map_resident", display_name="Άννα Χάρτη")
        page = ctx.new_page()
        page.goto(app_server.url("/applications/sidewalk-table-permit"))
        wait_ready(page)
        page.get_by_label("Διεύθυνση", exact=False).first.fill("Πλατεία Μιαούλη 1")
        expect(page.get_by_role("application", name="Χάρτης της Σύρου για προαιρετικό σημείο")).to_be_visible()
        assert_accessible(page, "filing form with its map")
        page.get_by_role("button", name=re.compile("κέντρο", re.I)).first.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#f-address-point")).to_contain_text("37.4")
        expect(page.locator("#draft-status")).to_have_text("Το πρόχειρο αποθηκεύτηκε.")
        page.reload()
        wait_ready(page)
        expect(page.locator("#f-address-point")).to_contain_text("37.4")  # kept in the server-side draft
        page.get_by_role("button", name="Αφαίρεση σημείου").click()
        expect(page.locator("#f-address-point")).to_have_count(0)
    finally:
        ctx.close()

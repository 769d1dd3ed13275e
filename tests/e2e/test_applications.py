"""E-applications at phone size: a resident files a bulky-waste pickup, leaves mid-form,
comes back in another browser (context) and finishes from the server-side draft, gets a
reference, a protocol number and a receipt; her applications and their timeline; the
demo resident's signed answer; axe-core and keyboard-only on the resident's pages."""

import re

import pytest
from playwright.sync_api import expect

from syros_app.identity.hashing import with_check_digit

from .conftest import PHONE, assert_accessible, login_as, wait_ready

pytestmark = pytest.mark.e2e

SERVICE = "Αποκομιδή ογκωδών αντικειμένων"
RESIDENT = dict(key="apps_resident", display_name="Ελένη Αιτούσα")


def _context(browser):
    return browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)


_FOCUSED = "() => (document.activeElement.id || '') + '|' + document.activeElement.textContent.trim()"


def _tab_to(page, predicate, limit: int = 40) -> str:
    """Press Tab until ``predicate("<id>|<text>")`` holds for the focused element (the desk's
    e2e uses it too)."""
    seen: list[str] = []
    while len(seen) < limit:
        page.keyboard.press("Tab")
        seen.append(page.evaluate(_FOCUSED))
        if predicate(seen[-1]):
            return seen[-1]
    raise AssertionError(f"not reached with {limit} Tab presses; the last stops: {seen[-5:]}")


def _text_is(text: str):
    return lambda focused: focused.split("|", 1)[1] == text


def _logged_in_page(app_server, context, path: str, **person):
    login_as(app_server, context, **person)
    page = context.new_page()
    page.goto(app_server.url(path))
    wait_ready(page)
    return page


def test_file_leave_resume_elsewhere_and_follow(app_server, browser):
    first = _context(browser)
    try:
        page = _logged_in_page(app_server, first, "/applications", **RESIDENT)
        expect(page.get_by_role("heading", name="Αιτήσεις προς τον Δήμο")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Βεβαίωση μόνιμης κατοικίας"))).to_have_attribute(
            "href", re.compile(r"^https://www\.gov\.gr/"))
        assert_accessible(page, "catalogue")
        page.get_by_label("Αναζήτηση υπηρεσίας").fill("ΟΓΚΩΔ")  # any case, no accents
        expect(page.locator(".service-card")).to_have_count(1)
        page.get_by_role("link", name=SERVICE).click()
        page.wait_for_url(re.compile(r"/applications/bulky-waste-pickup$"))
        wait_ready(page)
        expect(page.get_by_role("heading", name=SERVICE, level=1)).to_be_visible()
        expect(page.get_by_label("Ονοματεπώνυμο")).to_have_value("Ελένη Αιτούσα")  # from gov.gr
        hint = page.get_by_label("Ονοματεπώνυμο").get_attribute("aria-describedby")
        assert "f-full_name-hint" in hint and page.locator("#f-full_name-hint").is_visible()
        page.get_by_label("Τηλέφωνο επικοινωνίας").fill("6944123456")
        page.get_by_label("Πατρώνυμο").fill("Γεώργιος")
        page.get_by_label("Δημοτική ενότητα").select_option("Ερμούπολη")
        # the days of the unit come with the save of the whole form (the last change carries every field)
        expect(page.locator("#f-pickup_slot option")).not_to_have_count(1)
        expect(page.locator("#draft-status")).to_have_text("Το πρόχειρο αποθηκεύτηκε.")
        assert_accessible(page, "filing form")
    finally:
        first.close()  # she leaves mid-form

    second = _context(browser)
    try:
        page = _logged_in_page(app_server, second, "/applications/bulky-waste-pickup", **RESIDENT)
        expect(page.get_by_text("Συνεχίζετε από το πρόχειρο που αποθηκεύσατε.")).to_be_visible()
        expect(page.get_by_label("Τηλέφωνο επικοινωνίας")).to_have_value("6944123456")
        expect(page.get_by_label("Πατρώνυμο")).to_have_value("Γεώργιος")
        expect(page.get_by_label("Δημοτική ενότητα")).to_have_value("Ερμούπολη")
        # the review refuses what is missing, beside each field
        page.get_by_role("button", name="Έλεγχος πριν την υποβολή").click()
        expect(page.locator("#f-items-error")).to_have_text("Αυτό το πεδίο είναι υποχρεωτικό.")
        expect(page.get_by_label("Τι θα παραληφθεί")).to_have_attribute("aria-invalid", "true")
        page.get_by_label("Διεύθυνση").fill("Οδός Ερμού 12, Ερμούπολη")
        page.get_by_label("Τι θα παραληφθεί").fill("Ένας καναπές και δύο καρέκλες")
        day = page.locator("#f-pickup_slot option").nth(1).get_attribute("value")
        page.locator("#f-pickup_slot").select_option(day)
        # keyboard only from here: Tab to the review button, Enter; then to "file", Enter
        page.get_by_label("Τι θα παραληφθεί").focus()
        _tab_to(page, _text_is("Έλεγχος πριν την υποβολή"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Έλεγχος στοιχείων")).to_be_focused()
        expect(page.locator(".facts").last).to_contain_text("Ένας καναπές και δύο καρέκλες")
        assert_accessible(page, "review")
        _tab_to(page, _text_is("Υποβολή αίτησης"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Η αίτηση υποβλήθηκε")).to_be_focused()
        reference = page.locator("#done-reference").inner_text()
        assert re.fullmatch(r"ΑΙΤ-\d{4}-\d{6}", reference)
        expect(page.locator("#done-protocol")).to_have_text(re.compile(r"^Εισ\. \d+/\d{4}$"))
        assert_accessible(page, "filed")
        receipt = page.request.get(app_server.url(page.locator("#receipt-link").get_attribute("href")))
        assert receipt.status == 200 and receipt.body().startswith(b"%PDF")

        page.goto(app_server.url("/applications/mine"))
        wait_ready(page)
        expect(page.get_by_role("link", name=re.compile(reference))).to_be_visible()
        assert_accessible(page, "my applications")
        page.get_by_role("link", name=re.compile(reference)).click()
        wait_ready(page)
        expect(page.get_by_role("heading", name=reference, level=1)).to_be_visible()
        expect(page.locator(".timeline")).to_contain_text("Πρωτοκολλήθηκε")
        expect(page.locator(".timeline")).to_contain_text("Παραλήφθηκε")
        assert_accessible(page, "one application")
        mine = page.request.get(app_server.url("/api/v1/me/applications")).json()["applications"]
        assert [a["reference"] for a in mine] == [reference]
    finally:
        second.close()

    anonymous = _context(browser)
    try:
        got = anonymous.request.get(app_server.url(f"/api/v1/applications/{reference}/receipt.pdf"))
        assert got.status == 401
    finally:
        anonymous.close()


def test_catalogue_by_keyboard_and_the_demo_signed_answer(app_server, browser):
    context = _context(browser)
    try:
        page = _logged_in_page(app_server, context, "/applications", key="stella", display_name="Στέλλα Μαραγκού",
                               taxid=with_check_digit("70000005"))
        _tab_to(page, _text_is("Βεβαίωση ταφής"), limit=60)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/applications/cemetery-certificate$"))
        wait_ready(page)
        expect(page.get_by_role("heading", name="Βεβαίωση ταφής", level=1)).to_be_visible()
        page.goto(app_server.url("/applications/mine"))
        wait_ready(page)
        page.locator(".card-list a").first.click()
        wait_ready(page)
        expect(page.locator(".status-badge").first).to_have_text("Απαντήθηκε")
        answer = page.request.get(app_server.url(page.locator("#answer-link").get_attribute("href")))
        body = answer.body()
        assert answer.status == 200 and body.startswith(b"%PDF") and b"/ByteRange" in body  # a PAdES signature
        expect(page.get_by_role("group", name="Πόσο ικανοποιημένοι είστε από την εξυπηρέτηση;")).to_be_visible()
        assert_accessible(page, "answered application")
        page.get_by_label("4 — Πολύ").check()
        page.get_by_role("button", name="Αποστολή αξιολόγησης").click()
        expect(page.get_by_text("Ευχαριστούμε για την αξιολόγηση.")).to_be_visible()
    finally:
        context.close()

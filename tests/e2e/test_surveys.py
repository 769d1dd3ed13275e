"""Surveys at phone size: staff build and open a survey, residents answer it (by keyboard),
staff close it and publish the results, and the results show a chart and a table for
every question; axe-core on every page."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from syros_app.identity.roles import Role

from .conftest import PHONE, assert_accessible, login_as, wait_ready

pytestmark = pytest.mark.e2e

TITLE = "Ωράριο της Δημοτικής Βιβλιοθήκης"
SINGLE = "Ποιο ωράριο σας βολεύει;"
SCALE = "Πόσο συχνά πηγαίνετε στη βιβλιοθήκη;"
UP_SCALE = re.compile(rf"^Πάνω\s+«{re.escape(SCALE)}»$")  # "Up «question»" (the question is for screen readers)


def _phone(browser):
    return browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)


def _add_question(page, kind: str, prompt: str, **fields) -> None:
    page.get_by_label("Είδος ερώτησης").select_option(kind)
    page.get_by_label("Ερώτηση", exact=True).fill(prompt)
    for label, value in fields.items():
        page.locator(f"#sv-{label}").fill(value)
    page.get_by_role("button", name="Προσθήκη ερώτησης").click()
    expect(page.get_by_role("status").filter(has_text="Η ερώτηση προστέθηκε.")).to_be_visible()
    expect(page.locator(".survey-detail").get_by_text(prompt, exact=True)).to_be_visible()


def _confirm(page, open_button: str, confirm_button: str, done: str) -> None:
    page.get_by_role("button", name=open_button).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=confirm_button, exact=True).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text=done)).to_be_visible()


def _answer_by_keyboard(page, single_steps: int, scale_steps: int) -> None:
    """Questions in page order: the scale (moved up by staff), then the single choice."""
    page.locator("fieldset").nth(0).locator("input").first.focus()
    page.keyboard.press("Space")  # the scale's first point
    for _ in range(scale_steps):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")  # into the single-choice group
    page.keyboard.press("Space")
    for _ in range(single_steps):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # the submit button
    expect(page.get_by_role("button", name="Υποβολή απαντήσεων")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Οι απαντήσεις σας καταχωρίστηκαν")).to_be_visible()


def test_build_answer_close_publish_and_read_the_results(app_server, browser):
    staff_ctx, resident_ctx, other_ctx = _phone(browser), _phone(browser), _phone(browser)
    try:
        login_as(app_server, staff_ctx, "survey-admin", roles=(Role.ADMINISTRATOR,), display_name="Διαχείριση Ερευνών")
        staff = staff_ctx.new_page()
        staff.goto(app_server.url("/staff/surveys"))
        wait_ready(staff)
        expect(staff.get_by_role("heading", name="Έρευνες: σχεδιασμός και αποτελέσματα")).to_be_visible()

        # --- build a draft: two questions, the second moved up -------------------------------------
        staff.get_by_label("Τίτλος", exact=True).fill(TITLE)
        staff.get_by_label("Ποιος απαντά").select_option("person")
        staff.get_by_role("button", name="Δημιουργία πρόχειρου").click()
        expect(staff.get_by_role("heading", name=TITLE)).to_be_visible()
        _add_question(staff, "single", SINGLE, choices="Πρωί\nΑπόγευμα\nΣαββατοκύριακο")
        _add_question(staff, "scale", SCALE, **{"label-low": "Ποτέ", "label-high": "Κάθε μέρα"})
        staff.get_by_role("button", name=UP_SCALE).click()
        prompts = staff.locator(".survey-detail ol > li strong")
        expect(prompts).to_have_text([SCALE, SINGLE])
        # a wrong question is refused with a clear message, and nothing is added
        _kind, _prompt = staff.get_by_label("Είδος ερώτησης"), staff.get_by_label("Ερώτηση", exact=True)
        _kind.select_option("single")
        _prompt.fill("Μία μόνο επιλογή;")
        staff.locator("#sv-choices").fill("Μόνη")
        staff.get_by_role("button", name="Προσθήκη ερώτησης").click()
        expect(staff.get_by_role("alert").filter(has_text="Δώστε 2 έως 12 διαφορετικές επιλογές")).to_be_visible()
        expect(prompts).to_have_count(2)
        assert_accessible(staff, "staff survey builder")

        # --- open it, behind the confirmation ----------------------------------------------------
        staff.get_by_label("Κλείνει στο τέλος της ημέρας").fill((date.today() + timedelta(days=14)).isoformat())
        _confirm(staff, "Άνοιγμα έρευνας…", "Άνοιγμα", "Η έρευνα άνοιξε.")
        expect(staff.get_by_role("button", name=UP_SCALE)).to_have_count(0)  # the questions are fixed now
        href = staff.get_by_role("link", name="Η δημόσια σελίδα της έρευνας").get_attribute("href")
        survey_id = int(re.search(r"/surveys/(\d+)", href).group(1))

        # --- a visitor is asked to log in; residents answer by keyboard ---------------------------
        visitor = other_ctx.new_page()
        visitor.goto(app_server.url(f"/surveys/{survey_id}"))
        wait_ready(visitor)
        expect(visitor.get_by_text("συνδεθείτε πρώτα")).to_be_visible()
        assert_accessible(visitor, "survey page, visitor")

        login_as(app_server, resident_ctx, "survey-eleni", display_name="Ελένη Ερωτώμενη")
        page = resident_ctx.new_page()
        page.goto(app_server.url("/surveys"))
        wait_ready(page)
        expect(page.get_by_role("link", name=TITLE)).to_be_visible()
        assert_accessible(page, "surveys list")
        page.get_by_role("link", name=TITLE).click()
        page.wait_for_url(re.compile(rf"/surveys/{survey_id}$"))
        wait_ready(page)
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        # nothing chosen: each required question says so beside itself
        page.get_by_role("button", name="Υποβολή απαντήσεων").click()
        expect(page.get_by_role("alert").filter(has_text="Ελέγξτε τις απαντήσεις")).to_be_visible()
        expect(page.locator(".field-error").first).to_have_text("Αυτή η ερώτηση χρειάζεται απάντηση.")
        assert_accessible(page, "survey form with an error")
        _answer_by_keyboard(page, single_steps=1, scale_steps=3)  # Απόγευμα, 4
        expect(page.get_by_text("Έχετε ήδη απαντήσει σε αυτή την έρευνα")).to_be_visible()
        page.reload()
        wait_ready(page)
        expect(page.get_by_text("Έχετε ήδη απαντήσει σε αυτή την έρευνα")).to_be_visible()
        expect(page.locator("#survey-form")).to_have_count(0)

        login_as(app_server, other_ctx, "survey-nikos", display_name="Νίκος Ερωτώμενος")
        visitor.goto(app_server.url(f"/surveys/{survey_id}"))
        wait_ready(visitor)
        _answer_by_keyboard(visitor, single_steps=0, scale_steps=1)  # Πρωί, 2

        # --- close (Escape first: nothing happens), then publish ----------------------------------
        staff.goto(app_server.url(f"/staff/surveys?survey={survey_id}"))
        wait_ready(staff)
        staff.get_by_role("button", name="Κλείσιμο τώρα…").click()
        expect(staff.get_by_role("dialog")).to_be_visible()
        staff.keyboard.press("Escape")
        expect(staff.get_by_role("dialog")).to_be_hidden()
        expect(staff.get_by_role("button", name="Κλείσιμο τώρα…")).to_be_focused()
        _confirm(staff, "Κλείσιμο τώρα…", "Κλείσιμο", "Η έρευνα έκλεισε.")
        _confirm(staff, "Δημοσίευση αποτελεσμάτων…", "Δημοσίευση", "Τα αποτελέσματα δημοσιεύτηκαν.")

        # --- the results: a chart and a table beside it, for each question ------------------------
        page.goto(app_server.url(f"/surveys/{survey_id}"))
        wait_ready(page)
        expect(page.get_by_role("heading", name="Αποτελέσματα", exact=True)).to_be_visible()
        expect(page.locator(".survey-result")).to_have_count(2)
        expect(page.locator(".survey-result .survey-chart")).to_have_count(2)
        single = page.get_by_role("table", name=SINGLE)
        expect(single.get_by_role("row", name=re.compile("Απόγευμα"))).to_contain_text("50,0\u00a0%")
        expect(single.get_by_role("row", name=re.compile("Σαββατοκύριακο"))).to_contain_text("0")
        expect(page.get_by_role("table", name=SCALE).get_by_role("row", name=re.compile("^4"))).to_contain_text("1")
        expect(page.get_by_text("Μέσος όρος: 3,0")).to_be_visible()
        bar = page.locator(".survey-result").nth(1).locator(".survey-bar-fill").nth(1)  # Απόγευμα: half the track
        ratio = bar.evaluate("e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width")
        assert 0.45 < ratio <= 0.5, ratio
        assert_accessible(page, "published results")
        csv = page.request.get(app_server.url(f"/api/v1/surveys/{survey_id}/answers.csv")).text()
        assert "Απόγευμα" in csv and "Ελένη" not in csv and "Νίκος" not in csv

        # --- the list now shows the published results (axe on the list in this state too) ----------
        page.goto(app_server.url("/surveys"))
        wait_ready(page)
        expect(page.get_by_role("link", name=TITLE)).to_be_visible()
        assert_accessible(page, "surveys list with published results")

        # --- and on /measurement -------------------------------------------------------------------
        page.goto(app_server.url("/measurement"))
        wait_ready(page)
        section = page.locator("section", has=page.get_by_role("heading", name="Έρευνες", exact=True))
        expect(section.get_by_role("link", name=TITLE)).to_be_visible()
        expect(section.get_by_role("link", name="Ανά τρίμηνο (CSV)")).to_have_attribute(
            "href", "/api/v1/surveys/figures.csv")
    finally:
        for ctx in (staff_ctx, resident_ctx, other_ctx):
            ctx.close()

"""Identity at phone size: the gov.gr round trip through the stand-in, staff roles, voter rolls."""

import re

import pytest
from playwright.sync_api import expect

from syros_app.identity.hashing import with_check_digit
from tests.support.personas import TAXIDS
from tests.support.stand_in_login import login_with_stand_in

from .conftest import assert_accessible, login_as, set_language, wait_ready

pytestmark = pytest.mark.e2e


def test_a_resident_logs_in_through_the_stand_in_and_out_through_gsis(app_server, page):
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url) if request.is_navigation_request() else None)
    page.goto(app_server.url("/"))
    wait_ready(page)
    expect(page.locator("#test-login-banner")).to_contain_text("Δοκιμαστική σύνδεση")
    assert page.locator("#test-login-banner").get_attribute("role") == "note"
    login = page.get_by_role("link", name="Σύνδεση με gov.gr")
    expect(login).to_be_visible()
    login.click()

    # the stand-in's authorize page (a separate, server-rendered test service)
    page.wait_for_url("**/govgr-stand-in/oauth2server/oauth/authorize?**")
    expect(page.locator("h1")).to_have_text("Σύνδεση με κωδικούς TAXISnet")
    expect(page.get_by_text("ΔΟΚΙΜΑΣΤΙΚΗ ΥΠΗΡΕΣΙΑ")).to_be_visible()
    for label in ("ΑΦΜ", "Όνομα", "Επώνυμο", "Πατρώνυμο", "Έτος γέννησης"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    assert_accessible(page, "stand-in authorize page")
    bad = with_check_digit("12345678")
    page.get_by_label("ΑΦΜ", exact=True).fill(bad[:8] + str((int(bad[8]) + 1) % 10))
    page.get_by_label("Όνομα", exact=True).fill("Άννα")
    page.get_by_label("Επώνυμο", exact=True).fill("Λαδοπούλου")
    page.get_by_label("Έτος γέννησης", exact=True).fill("1977")
    page.get_by_role("button", name="Σύνδεση", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("ψηφίο ελέγχου")
    assert_accessible(page, "stand-in authorize page with an error")

    page.get_by_role("button", name="Νίκος Δελαγραμμάτικας").click()
    page.wait_for_url(app_server.url("/"))
    wait_ready(page)
    expect(page.locator(".account-name")).to_have_text("Νίκος Δ.")
    assert_accessible(page, "home, logged in")

    page.locator(".account-link").click()
    page.wait_for_url(re.compile(r".*/account/?$"))
    wait_ready(page)
    expect(page.locator("#account-display-name")).to_have_text("Νίκος Δ.")
    expect(page.locator(".roll-list")).to_contain_text("Άνω Σύρος")
    assert_accessible(page, "account (el)")
    set_language(page, "en")
    expect(page.locator("h1")).to_have_text("My account")
    assert_accessible(page, "account (en)")
    set_language(page, "el")

    page.get_by_role("link", name="Αποσύνδεση").click()
    page.wait_for_url(app_server.url("/"))
    wait_ready(page)
    expect(page.get_by_role("link", name="Σύνδεση με gov.gr")).to_be_visible()
    assert any("/auth/logout" in url for url in visited)
    assert any("/govgr-stand-in/oauth2server/logout/" in url and "url=" in url for url in visited)
    page.goto(app_server.url("/account"))
    wait_ready(page)
    expect(page.get_by_text("Συνδεθείτε με τους κωδικούς TAXISnet")).to_be_visible()


def test_a_forged_callback_shows_a_clear_error(app_server, page):
    page.goto(app_server.url("/auth/callback?code=forged&state=forged"))
    page.wait_for_url(re.compile(r".*/login-error/?\?reason=state$"))
    wait_ready(page)
    expect(page.locator("#login-error-message")).to_contain_text("Για την ασφάλειά σας δεν σας συνδέσαμε")
    assert_accessible(page, "login error")


def test_an_administrator_grants_the_moderator_role(app_server, browser, page):
    other = browser.new_context()
    login_as(app_server, other, "eleni", display_name="Ελένη Π.")  # has logged in once
    other.close()
    login_with_stand_in(page, app_server.base_url, "giorgos", "/staff/roles")  # the demo administrator
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Ρόλοι προσωπικού")
    expect(page.locator("#staff-table")).to_contain_text("Γιώργος Ρ.")
    assert_accessible(page, "staff roles")
    page.get_by_label("ΑΦΜ").fill(TAXIDS["eleni"])
    page.get_by_label("Ρόλος").select_option("moderator")
    page.get_by_role("button", name="Ανάθεση").click()
    expect(page.get_by_role("status")).to_contain_text("Ελένη Π.")
    row = page.locator("#staff-table tr", has_text="Ελένη Π.")
    expect(row).to_contain_text("Συντονιστής")
    expect(page.locator(".history-list")).to_contain_text("ανάθεση ρόλου «Συντονιστής» σε Ελένη Π.")
    assert_accessible(page, "staff roles after a grant")


def test_a_roll_upload_with_a_bad_line_shows_the_line_number(app_server, context, page):
    login_as(app_server, context, "admin", roles=("administrator",), display_name="Διαχειριστής Δ.")
    page.goto(app_server.url("/staff/rolls"))
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Εκλογικοί κατάλογοι")
    assert_accessible(page, "voter rolls")
    good = [with_check_digit(p) for p in ("51000001", "51000002", "51000003")]
    bad = good[1][:8] + str((int(good[1][8]) + 1) % 10)
    page.get_by_label("Όνομα καταλόγου").fill("Δημοψήφισμα για τη Νεώριο 2027")
    page.set_input_files("#roll-file", files=[{
        "name": "roll.csv", "mimeType": "text/csv",
        "buffer": f"ΑΦΜ,Δημοτική ενότητα\n{good[0]},Ερμούπολη\n{bad},Ποσειδωνία\n{good[2]},Άνω Σύρος\n".encode(),
    }])
    page.wait_for_function("() => document.getElementById('roll-csv').value.includes('Ποσειδωνία')")
    page.get_by_role("button", name="Εισαγωγή καταλόγου").click()
    report = page.locator("#roll-report")
    expect(report).to_contain_text("Γραμμή 3")
    expect(report).to_contain_text("ψηφίο ελέγχου")
    expect(page.locator("#rolls-table")).not_to_contain_text("Νεώριο")
    assert_accessible(page, "voter rolls with a report")
    page.locator("#roll-csv").fill(f"{good[0]},Ερμούπολη\n{good[1]},Ποσειδωνία\n{good[2]}\n")
    page.get_by_role("button", name="Εισαγωγή καταλόγου").click()
    expect(page.get_by_role("status")).to_contain_text("3")
    expect(page.locator("#rolls-table tr", has_text="Νεώριο")).to_contain_text("3")

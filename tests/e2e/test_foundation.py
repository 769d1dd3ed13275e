"""The shell as a resident meets it: Greek first, accessible, installable, offline."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, set_language, wait_ready

pytestmark = pytest.mark.e2e


def test_home_is_greek_and_accessible_in_both_languages(app_server, page):
    page.goto(app_server.url("/"))
    wait_ready(page)
    assert page.evaluate("document.documentElement.lang") == "el"
    expect(page.locator("h1")).to_have_text("Καλώς ήρθατε στην Αγορά Σύρου")
    expect(page.get_by_role("heading", name="Τι είναι ανοιχτό τώρα")).to_be_visible()
    assert_accessible(page, "home (el)")
    set_language(page, "en")
    expect(page.locator("h1")).to_have_text("Welcome to Syros Agora")
    assert_accessible(page, "home (en)")
    # the choice persists for this browser
    page.reload()
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Welcome to Syros Agora")
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.mark.parametrize("path, heading", [("/accessibility", "Δήλωση προσβασιμότητας"),
                                           ("/privacy", "Προστασία προσωπικών δεδομένων")])
def test_information_pages(app_server, page, path, heading):
    page.goto(app_server.url(path))
    wait_ready(page)
    expect(page.locator("h1")).to_have_text(heading)
    assert_accessible(page, path)
    set_language(page, "en")
    expect(page.locator("h1")).not_to_have_text(heading)
    assert_accessible(page, path + " (en)")


def test_skip_link_moves_focus_to_main(app_server, page):
    page.goto(app_server.url("/"))
    wait_ready(page)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#main'")


def test_chromium_reports_the_app_installable(app_server, profile_page):
    page = profile_page
    page.goto(app_server.url("/"))
    wait_ready(page)
    cdp = page.context.new_cdp_session(page)
    errors = []
    for _ in range(20):  # the manifest and icons are fetched asynchronously
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest = cdp.send("Page.getAppManifest")
        if not errors and manifest.get("url"):
            break
        page.wait_for_timeout(500)
    assert errors == [], errors
    assert manifest["url"].endswith("/manifest.webmanifest")


def test_offline_reload_shows_the_offline_page(app_server, context):
    page = context.new_page()
    page.goto(app_server.url("/"))
    wait_ready(page)
    page.wait_for_function("async () => !!(await navigator.serviceWorker.ready).active", timeout=20000)
    page.reload()  # now controlled by the service worker
    wait_ready(page)
    context.set_offline(True)
    try:
        page.goto(app_server.url("/privacy"))  # never visited: pages seen before are kept (test_resident_launch)
        expect(page.locator("#offline-page h1")).to_have_text("Είστε εκτός σύνδεσης")
        assert_accessible(page, "offline page")
    finally:
        context.set_offline(False)


def test_service_worker_never_intercepts_api_and_events(app_server, page):
    page.goto(app_server.url("/"))
    wait_ready(page)
    page.wait_for_function("async () => !!(await navigator.serviceWorker.ready).active", timeout=20000)
    script = page.request.get(app_server.url("/sw.js")).text()
    for prefix in ("/_event", "/_upload", "/api/", "/auth/"):
        assert f'"{prefix}"' in script
    assert 'request.method !== "GET"' in script


def test_staff_hub_tells_a_visitor_it_is_for_staff(app_server, page):
    page.goto(app_server.url("/staff"))
    wait_ready(page)
    expect(page.locator(".no-access")).to_contain_text("μόνο για το προσωπικό")
    expect(page.locator(".no-access").get_by_role("link", name="Σύνδεση με gov.gr")).to_be_visible()
    assert_accessible(page, "staff hub (visitor)")


def test_dynamic_pages_answer_200_with_their_code_preloaded(app_server, page):
    """A link to /consultations/1 is a real page (not a 404) whose code loads with the HTML."""
    response = page.request.get(app_server.url("/consultations/1"))
    assert response.status == 200
    html = response.text()
    assert 'rel="modulepreload"' in html and "consultation_id" in html
    assert page.request.get(app_server.url("/no/such/page")).status == 404


def test_state_lives_in_redis_when_configured(app_server, page):
    """The e2e server runs with the Redis state manager, as production does with several processes."""
    if not app_server.redis_url:
        pytest.skip("no local Redis: the e2e server uses the disk state manager")
    import redis

    client = redis.Redis.from_url(app_server.redis_url)
    before = set(client.keys("*"))
    page.goto(app_server.url("/"))
    wait_ready(page)
    set_language(page, "en")  # an event that changes state
    expect(page.locator("h1")).to_have_text("Welcome to Syros Agora")
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token, "the client has a state token"
    new_keys = [k.decode() for k in set(client.keys("*")) - before]
    assert any(token in key for key in new_keys), new_keys[:10]

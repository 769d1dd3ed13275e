"""The Content-Security-Policy allows what the app needs and nothing breaks under it.

Every page a resident or an administrator opens is loaded with a listener for
``securitypolicyviolation``; a single violation (an inline script without its hash, a
foreign connection) fails the test, since the browser silently drops what it blocks.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_accessible, login_as, wait_ready

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
"""
PUBLIC = ("/", "/consultations", "/consultations/1", "/votes", "/notices", "/notices/subscribe", "/reports",
          "/reports/new", "/measurement", "/accessibility", "/privacy", "/developers")
STAFF = ("/account", "/staff", "/staff/roles", "/staff/rolls", "/staff/consultations", "/staff/votes",
         "/staff/notices", "/staff/reports")


def _violations(page, path: str, app_server) -> list[str]:
    page.goto(app_server.url(path))
    wait_ready(page)
    page.wait_for_timeout(200)
    return [f"{path}: {v}" for v in page.evaluate("window.__csp")]


def test_no_page_violates_the_content_security_policy(app_server, browser):
    context = browser.new_context(viewport=PHONE, locale="el-GR")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    found = [v for path in PUBLIC for v in _violations(page, path, app_server)]
    expect(page.locator("#open311-keys")).to_be_visible()  # /developers, where Open311 discovery sends
    expect(page.locator("section[aria-labelledby=api-voting]")).to_contain_text("GET /api/v1/votes")  # the reference from the OpenAPI operations
    assert_accessible(page, "developers")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r)"), "the service worker never registered"
    login_as(app_server, context, "csp-admin", roles=("administrator",), display_name="Διαχειριστής CSP")
    found += [v for path in STAFF for v in _violations(page, path, app_server)]
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)
    context.close()

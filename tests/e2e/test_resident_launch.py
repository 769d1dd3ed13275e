"""Launch finish for residents, as a resident meets it at 360 × 740 in Chromium.

- every public page in Greek reads Greek: no "13.1%", "2026-01", raw status codes or English 404;
- keyboard only: every focus stop of every public and resident page is visible — the
  element at its centre is the focused element (or inside it, or its label), so nothing
  fixed (the bottom bar) covers it; focus moves to the page's heading after a change of
  page; the bottom bar fits 360 px and reaches every destination;
- results say what happened; the 404 page is ours, in both languages;
- text typed in a comment is kept on the device, restored after a reload, kept when sent
  offline, and cleared once the server confirms.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, assert_accessible, login_as, set_language, wait_ready

pytestmark = pytest.mark.e2e


def _ids(app_server) -> dict[str, int]:
    """Ids of the demo data the pages show (read from the server's own database)."""
    from sqlmodel import Session, select

    from syros_app.consultations.models import Consultation
    from syros_app.core.db import make_engine
    from syros_app.notices.models import Notice
    from syros_app.reports.models import Report
    from syros_app.voting.models import Vote

    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    with Session(engine) as session:
        open_consultation = session.exec(select(Consultation).where(Consultation.status == "open")).first()
        published = session.exec(select(Vote).where(Vote.status == "published")).first()
        open_vote = session.exec(select(Vote).where(Vote.status != "draft", Vote.status != "published")).first()
        notice = session.exec(select(Notice).where(Notice.published_at.is_not(None))).first()
        report = session.exec(select(Report)).first()
        ids = {"consultation": open_consultation.id, "results": published.id,
               "vote": (open_vote or published).id, "notice": notice.id, "report": report.id}
    engine.dispose()
    return ids


def public_paths(ids: dict[str, int]) -> list[str]:
    return ["/", "/consultations", f"/consultations/{ids['consultation']}", "/votes", f"/votes/{ids['vote']}",
            f"/votes/{ids['results']}/results", f"/votes/{ids['results']}/check", "/notices",
            f"/notices/{ids['notice']}", "/notices/subscribe", "/reports", f"/reports/{ids['report']}", "/reports/new",
            "/measurement", "/accessibility", "/privacy", "/no-such-page"]


RESIDENT_PATHS = ["/account", "/my-votes", "/reports/new"]

ENGLISH_STYLE = [
    (re.compile(r"\d\.\d+\s?%"), "a decimal point in a percentage"),
    (re.compile(r"\b(19|20)\d\d-\d\d\b"), "a month or date written 2026-01"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d"), "an ISO timestamp"),
    (re.compile(r"\b(in_progress|submitted|acknowledged|report_published|yes_no|not_on_roll|budget|"
                r"multiple|single|draft|pending|published|open|closed|resolved|rejected|forwarded)\b"),
     "a raw status or kind code"),
    (re.compile(r"Page not found|404:"), "Reflex's English 404"),
    (re.compile(r"\b(NaN|undefined|None|null)\b"), "a missing value"),
]


def _settled(page: Page, path: str, app_server) -> None:
    page.goto(app_server.url(path))
    wait_ready(page)
    page.wait_for_function("() => !document.querySelector('#main .muted[aria-live]')", timeout=15_000)


def test_every_public_page_in_greek_reads_greek(app_server, page):
    ids = _ids(app_server)
    problems = []
    for path in public_paths(ids):
        _settled(page, path, app_server)
        shown = page.locator("body").inner_text()
        for pattern, what in ENGLISH_STYLE:
            for match in pattern.finditer(shown):
                problems.append(f"{path}: {what}: …{shown[max(0, match.start() - 40):match.end() + 20]!r}…")
    assert not problems, "English-style text on Greek pages:\n" + "\n".join(problems)


def test_results_bars_are_proportional_with_figures_and_a_sentence(app_server, page):
    ids = _ids(app_server)
    _settled(page, f"/votes/{ids['results']}/results", app_server)
    expect(page.locator("#outcome")).to_contain_text(re.compile(r"(Έργα που χρηματοδοτούνται|Εγκρίθηκε|Απορρίφθηκε|"
                                                                r"Επικράτησε|Ισοψηφία|Τις περισσότερες)"))
    rows = page.locator(".bars .bar-row")
    assert rows.count() >= 2
    for i in range(rows.count()):
        row = rows.nth(i)
        figures = row.locator(".bar-figures").inner_text()
        share = float(re.search(r"(\d+(?:,\d)?)\s%", figures).group(1).replace(",", "."))
        fill = row.locator(".bar-fill").bounding_box()["width"]
        track = row.locator(".bar-track").bounding_box()["width"]
        assert abs(100 * fill / track - share) < 1.5, (figures, fill, track)
    assert_accessible(page, "results (el)")


_FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {body: true};
  const r = el.getBoundingClientRect();
  const name = (el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.getAttribute('aria-label') || el.textContent || '')
               ).trim().slice(0, 60);
  const key = el.outerHTML.slice(0, 120) + Math.round(r.top + scrollY);
  // a link that wraps onto two lines has one box per line: the centre of its box is between them
  const boxes = el.getClientRects().length > 1 ? Array.from(el.getClientRects()) : [r];
  let why = '';
  for (const b of boxes) {
    const x = b.left + b.width / 2, y = b.top + b.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) { why = 'off screen'; continue; }
    const hit = document.elementFromPoint(x, y);
    const labelled = el.labels && Array.from(el.labels).some(l => l.contains(hit));
    if (hit && (hit === el || el.contains(hit) || labelled)) return {ok: true, name, key};
    why = 'covered by ' + (hit ? hit.tagName + '.' + hit.className : 'nothing');
  }
  return {ok: false, name, why, key};
}"""


def _tab_through(page: Page, label: str, limit: int = 90) -> list[str]:
    problems, seen = [], set()
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)  # the bar-clearing scroll runs on the next frame
        probe = page.evaluate(_FOCUS_PROBE)
        if probe.get("body"):
            continue
        if probe["key"] in seen:  # wrapped round to the first stop
            break
        seen.add(probe["key"])
        if not probe["ok"]:
            problems.append(f"{label}: {probe['name']!r} {probe['why']}")
    assert len(seen) > 3, f"{label}: hardly any focus stops"
    return problems


def test_keyboard_focus_is_never_hidden_on_public_and_resident_pages(app_server, browser):
    ids = _ids(app_server)
    problems: list[str] = []
    for logged_in, paths in ((False, public_paths(ids)), (True, [*RESIDENT_PATHS, f"/consultations/{ids['consultation']}"])):
        context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
        try:
            if logged_in:
                login_as(app_server, context, "keyboard-resident", display_name="Κάτοικος Πληκτρολογίου")
            page = context.new_page()
            for path in paths:
                _settled(page, path, app_server)
                problems += _tab_through(page, path + (" (resident)" if logged_in else ""))
        finally:
            context.close()
    assert not problems, "focus stops hidden or covered at 360 × 740:\n" + "\n".join(problems)


def test_bottom_bar_fits_and_focus_goes_to_the_heading_after_a_page_change(app_server, page):
    _settled(page, "/", app_server)
    bar = page.locator(".main-nav")
    width = page.evaluate("() => document.documentElement.clientWidth")
    for link in bar.locator("a:visible, summary:visible").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, link.inner_text()
        assert box["height"] >= 24 and box["width"] >= 24
    assert page.evaluate("() => document.querySelector('.nav-list').scrollWidth <= document.documentElement.clientWidth")
    # every destination: in the bar or under "More"
    page.locator(".nav-more summary").click()
    for route in ("/", "/consultations", "/votes", "/notices", "/reports", "/measurement"):
        expect(bar.locator(f"a[href='{route}']:visible")).to_have_count(1)
    bar.locator("a[href='/reports']:visible").click()
    page.wait_for_url(re.compile(r"/reports$"))
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
    expect(page.locator("#main h1")).to_be_focused()


def test_not_found_page_is_ours_in_both_languages(app_server, page):
    _settled(page, "/no-such-page", app_server)
    expect(page.locator("#main h1")).to_have_text("Η σελίδα δεν βρέθηκε")
    expect(page.locator(".main-nav")).to_have_count(1)
    expect(page.locator("#main a[href='/consultations']")).to_be_visible()
    assert_accessible(page, "404 (el)")
    set_language(page, "en")
    expect(page.locator("#main h1")).to_have_text("Page not found")
    expect(page.locator("footer address")).to_contain_text("Ermoupoli")
    set_language(page, "el")


def test_home_cards_are_links_and_the_footer_says_how_to_reach_the_municipality(app_server, page):
    _settled(page, "/", app_server)
    cards = page.locator(".pillar .card-link")
    assert [cards.nth(i).get_attribute("href") for i in range(cards.count())] == \
        ["/consultations", "/votes", "/notices", "/reports"]
    page.locator(".pillar").nth(1).scroll_into_view_if_needed()
    card = page.locator(".pillar").nth(1).bounding_box()
    page.mouse.click(card["x"] + card["width"] / 2, card["y"] + card["height"] - 8)  # the card's text, not its title
    page.wait_for_url(re.compile(r"/votes$"))
    footer = page.locator("footer address")
    expect(footer.locator("a[href^='tel:']")).to_be_visible()
    expect(footer.locator("a[href^='mailto:']")).to_be_visible()
    expect(footer).to_contain_text("Δευτέρα")


def test_reports_new_logged_out_offers_the_login_button(app_server, page):
    _settled(page, "/reports/new", app_server)
    expect(page.locator("#main a[href='/auth/login?next=/reports/new']")).to_be_visible()


def test_a_comment_is_kept_on_the_device_until_the_server_has_it(app_server, browser):
    ids = _ids(app_server)
    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    try:
        login_as(app_server, context, "drafting-resident", display_name="Κάτοικος Προσχεδίων")
        page = context.new_page()
        path = f"/consultations/{ids['consultation']}"
        _settled(page, path, app_server)
        box = page.locator("#comment-body")
        text = "Προτείνω περισσότερους κάδους ανακύκλωσης στην παραλία της Κίνι."
        box.fill(text)
        stored_key = f"agora-draft:{path}:comment-body"
        assert page.evaluate(f"() => localStorage.getItem({stored_key!r})") == text
        page.reload()
        wait_ready(page)
        expect(page.locator("#comment-body")).to_have_value(text)  # restored after the reload
        expect(page.locator("form [data-draft-status]").first).to_contain_text("επαναφέραμε")

        context.set_offline(True)
        page.wait_for_function("() => navigator.onLine === false")
        page.locator("form:has(#comment-body) button[type=submit]").click()
        expect(page.locator("form:has(#comment-body) [data-draft-status]")).to_contain_text("Δεν υπάρχει σύνδεση")
        page.wait_for_timeout(300)
        comment_sent = page.locator("#comments-heading ~ .alert.success, .alert.success").count() > 0
        if not comment_sent:  # the text stays on screen and on the device until the server answers
            expect(page.locator("#comment-body")).to_have_value(text)
            assert page.evaluate(f"() => localStorage.getItem({stored_key!r})") == text
        context.set_offline(False)
        expect(page.locator(".alert.success").first).to_be_visible(timeout=30_000)
        expect(page.locator("#comment-body")).to_have_value("")
        assert page.evaluate(f"() => localStorage.getItem({stored_key!r})") is None
        expect(page.locator(".alert.success").first).to_be_focused()  # focus went to the outcome
    finally:
        context.close()


def test_a_consultation_read_before_can_be_read_offline(app_server, context):
    ids = _ids(app_server)
    page = context.new_page()
    page.goto(app_server.url("/"))
    wait_ready(page)
    try:
        page.wait_for_function("async () => !!(await navigator.serviceWorker.ready).active", timeout=45000)
    except Exception as exc:  # noqa: BLE001
        state = page.evaluate("navigator.serviceWorker.getRegistrations().then(rs => rs.map(r => "
                              "[r.installing && r.installing.state, r.waiting && 'waiting', r.active && r.active.state]))")
        raise AssertionError(f"service worker not active: {state}") from exc
    path = f"/consultations/{ids['consultation']}"
    page.goto(app_server.url(path))  # controlled by the service worker now: the page is kept
    wait_ready(page)
    title = page.locator("#main h1").inner_text()
    context.set_offline(True)
    try:
        page.goto(app_server.url(path))
        expect(page.get_by_text(title).first).to_be_visible()
        expect(page.locator("#offline-page")).to_have_count(0)
    finally:
        context.set_offline(False)


# --- language of parts (WCAG 3.1.2) ----------------------------------------------------------------

# Every text node in <main> with Greek letters whose nearest [lang] says something other than
# Greek: what a screen reader would read with an English voice when the page is in English.
_UNMARKED_GREEK = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !/[\\u0370-\\u03ff\\u1f00-\\u1fff]/.test(text) || !parent || parent.closest('[hidden], [aria-hidden="true"], script, style, .leaflet-control-attribution')) continue;
    const style = getComputedStyle(parent);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const marked = parent.closest('[lang]');
    if (!marked || !marked.getAttribute('lang').startsWith('el')) out.push(text.slice(0, 60));
  }
  return out;
}"""


def lang_paths(ids: dict[str, int]) -> list[str]:
    return ["/", "/consultations", f"/consultations/{ids['consultation']}", "/votes", f"/votes/{ids['vote']}",
            f"/votes/{ids['results']}/results", "/notices", f"/notices/{ids['notice']}", "/reports",
            f"/reports/{ids['report']}", "/decisions", "/events", "/projects", "/proposals", "/measurement",
            "/surveys", "/applications"]


def test_greek_content_is_marked_lang_el_in_english_mode(app_server, page):
    """In English, what exists only in Greek (titles and texts people and the municipality
    wrote, place names) carries lang="el"; the page itself is lang="en"."""
    ids = _ids(app_server)
    _settled(page, "/", app_server)
    set_language(page, "en")
    unmarked = {}
    for path in lang_paths(ids):
        _settled(page, path, app_server)
        assert page.evaluate("() => document.documentElement.lang") == "en", path
        found = page.evaluate(_UNMARKED_GREEK)
        if found:
            unmarked[path] = found[:8]
    assert not unmarked, "Greek text not marked lang=\"el\" in English mode:\n" + "\n".join(
        f"{p}: {texts}" for p, texts in unmarked.items())

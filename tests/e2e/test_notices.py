"""Notices as residents and staff meet them: archive, urgent on the home page,
subscribing (push with a stand-in PushManager, e-mail with a real SMTP server,
SMS), staff publishing with delivery state, the service worker showing a push and
handling a click on a notification."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from email import message_from_bytes, policy

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from sqlmodel import Session, select

from syros_app.core.db import make_engine
from syros_app.identity.roles import Role
from tests.unit.notices.fakes import BrowserSubscription, FakeHTTPService, free_port

from .conftest import ROOT, assert_accessible, login_as, set_language, wait_ready

pytestmark = pytest.mark.e2e

WIND = "Θυελλώδεις άνεμοι έως 9 μποφόρ: οδηγίες πολιτικής προστασίας"
WATER = "Διακοπή νερού στην Άνω Σύρο την Πέμπτη 09:00–14:00"


def _db(app_server):
    return make_engine(app_server.env["SYROS_DATABASE_URL"])


def _run_worker(app_server, **env):
    result = subprocess.run([sys.executable, "-m", "syros_app", "notices", "worker", "--until-idle"], cwd=ROOT,
                            env={**app_server.env, **env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_archive_filters_notice_page_feed_and_urgent_on_home(app_server, page):
    page.goto(app_server.url("/"))
    wait_ready(page)
    first = page.locator(".open-item").first
    expect(first).to_contain_text(WIND)
    expect(first).to_contain_text("Επείγουσα ανακοίνωση")

    page.goto(app_server.url("/notices"))
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Ανακοινώσεις του Δήμου")
    expect(page.locator(".notice-list > li")).to_have_count(6)
    assert_accessible(page, "notices archive (el)")
    page.select_option("#filter-category", "water")
    expect(page.locator(".notice-list > li")).to_have_count(1)
    expect(page.locator(".notice-list")).to_contain_text(WATER)
    page.select_option("#filter-category", "")
    page.select_option("#filter-area", "Ερμούπολη")  # Ερμούπολη's notices and the whole-island ones
    expect(page.locator(".notice-list > li")).to_have_count(3)
    set_language(page, "en")
    assert_accessible(page, "notices archive (en)")
    set_language(page, "el")

    page.select_option("#filter-area", "")
    page.get_by_role("link", name=WATER).click()
    expect(page.locator("h1")).to_have_text(WATER)
    expect(page.locator(".notice-body")).to_contain_text("Σαν Τζώρτζη")
    expect(page.locator(".notice-detail")).to_contain_text("Άνω Σύρος")
    assert_accessible(page, "notice page")
    # opened straight from a push, the notice's HTML itself already carries its text
    served = page.request.get(page.url).text()
    assert '<div id="page-preview"' in served and WATER in served and "Σαν Τζώρτζη" in served
    page.goto(page.url)
    expect(page.locator("h1")).to_have_text(WATER)
    expect(page.locator("#page-preview")).to_have_count(0)

    feed = page.request.get(app_server.url("/api/v1/notices.atom"))
    assert feed.ok and WIND in feed.text() and feed.headers["content-type"].startswith("application/atom+xml")


def test_subscribe_form_rejects_bad_input_with_greek_messages_and_confirms_sms(app_server, page):
    page.goto(app_server.url("/notices/subscribe"))
    wait_ready(page)
    assert_accessible(page, "subscribe (el)")
    page.fill("#sub-email", "eleni@syros")
    page.get_by_role("button", name="Εγγραφή με e-mail").click()
    expect(page.get_by_role("alert")).to_have_text("Η διεύθυνση e-mail δεν είναι σωστή. Ελέγξτε τη, π.χ. onoma@example.gr.")
    page.fill("#sub-phone", "22810 82000")
    page.get_by_role("button", name="Αποστολή κωδικού").click()
    expect(page.get_by_role("alert")).to_have_text("Ο αριθμός δεν είναι κινητό. Τα ελληνικά κινητά αρχίζουν από 69.")
    page.fill("#sub-phone", "69 1234")
    page.get_by_role("button", name="Αποστολή κωδικού").click()
    expect(page.get_by_role("alert")).to_have_text("Ο αριθμός δεν είναι σωστός. Γράψτε 10 ψηφία, π.χ. 694 123 4567.")
    assert_accessible(page, "subscribe with an error")

    page.fill("#sub-phone", "+30 697 000 1122")
    page.get_by_role("button", name="Αποστολή κωδικού").click()
    expect(page.get_by_role("status")).to_contain_text("+306970001122")
    from syros_app.notices.models import Delivery, Subscription

    engine = _db(app_server)
    with Session(engine) as session:
        payload = session.exec(select(Delivery.payload).where(Delivery.kind == "confirm_sms",
                                                              Delivery.address == "+306970001122")).one()
    code = json.loads(payload)["code"]
    page.fill("#sub-code", code)
    page.get_by_role("button", name="Επιβεβαίωση").click()
    expect(page.get_by_role("status")).to_have_text("Η εγγραφή για SMS επιβεβαιώθηκε.")
    with Session(engine) as session:
        sub = session.exec(select(Subscription).where(Subscription.address == "+306970001122")).one()
        assert sub.confirmed_at is not None
    engine.dispose()


FAKE_PUSH_MANAGER = """
(() => {
  const sub = %s;
  const fake = {endpoint: sub.endpoint, expirationTime: null,
                toJSON() { return {endpoint: sub.endpoint, expirationTime: null, keys: sub.keys}; },
                unsubscribe() { localStorage.removeItem('fake-push'); return Promise.resolve(true); }};
  PushManager.prototype.subscribe = function () { localStorage.setItem('fake-push', '1'); return Promise.resolve(fake); };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem('fake-push') ? fake : null);
  };
})();
"""


def test_push_button_subscribes_and_a_published_notice_arrives_encrypted(app_server, context):
    with FakeHTTPService() as fake:
        device = BrowserSubscription(f"{fake.base_url}/push/device-1")
        context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(
            {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}))
        context.grant_permissions(["notifications"], origin=app_server.base_url)
        page = context.new_page()
        page.goto(app_server.url("/notices/subscribe"))
        wait_ready(page)
        page.wait_for_function("async () => !!(await navigator.serviceWorker.ready).active", timeout=20000)
        page.get_by_text("Πολιτισμός και εκδηλώσεις").click()  # one tap removes a topic
        page.locator("#push-enable").click()
        expect(page.get_by_role("status")).to_have_text("Οι ειδοποιήσεις είναι ενεργές σε αυτή τη συσκευή.")
        expect(page.locator("#push-disable")).to_be_visible()
        assert_accessible(page, "subscribe with push on")
        from syros_app.notices.models import Subscription

        engine = _db(app_server)
        with Session(engine) as session:
            sub = session.exec(select(Subscription).where(Subscription.address == device.endpoint)).one()
            assert "culture_events" not in sub.categories and "civil_protection" in sub.categories

        staff = context.browser.new_context(viewport={"width": 360, "height": 740})
        try:
            login_as(app_server, staff, "admin", roles=(Role.ADMINISTRATOR,))
            spage = staff.new_page()
            spage.goto(app_server.url("/staff/notices"))
            wait_ready(spage)
            expect(spage.locator("h1")).to_have_text("Διαχείριση ανακοινώσεων")
            assert_accessible(spage, "staff notices")
            spage.fill("#n-title", "Κλειστό το λιμάνι λόγω ανέμων")
            spage.fill("#n-body", "Δεν εκτελούνται δρομολόγια μέχρι νεωτέρας.")
            spage.select_option("#n-category", "civil_protection")
            spage.check("#n-urgent")
            spage.get_by_role("button", name="Δημοσίευση και αποστολή").click()
            spage.get_by_role("dialog").get_by_role("button", name="Ναι, αποστολή τώρα").click()
            expect(spage.get_by_role("status")).to_contain_text("Κλειστό το λιμάνι λόγω ανέμων")
            row = spage.locator("#staff-notices-table tbody tr").first
            expect(row).to_contain_text("Κλειστό το λιμάνι λόγω ανέμων")
            with Session(engine) as session:  # urgent: every deliverable subscription, whatever topics
                expected = len([s for s in session.exec(select(Subscription))
                                if s.channel == "push" or s.confirmed_at])
            assert expected >= 1
            expect(row.locator("td").nth(5)).to_have_text(str(expected))  # pending
            _run_worker(app_server)
            spage.get_by_role("button", name="Ανανέωση").click()
            expect(row.locator("td").nth(3)).to_have_text(str(expected))  # sent
            expect(row.locator("td").nth(5)).to_have_text("0")
            assert_accessible(spage, "staff notices after sending")
        finally:
            staff.close()
        assert len(fake.accepted) == 1
        data = json.loads(device.decrypt(fake.accepted[0].body))
        assert data["title"] == "Κλειστό το λιμάνι λόγω ανέμων" and data["urgent"] is True
        assert fake.accepted[0].headers["Urgency"] == "high"

        page.locator("#push-disable").click()  # one tap turns it off
        expect(page.get_by_role("status")).to_have_text("Οι ειδοποιήσεις απενεργοποιήθηκαν σε αυτή τη συσκευή.")
        with Session(engine) as session:
            assert session.exec(select(Subscription).where(Subscription.address == device.endpoint)).first() is None
        engine.dispose()


def test_email_confirmation_and_unsubscribe_links_through_a_real_smtp_server(app_server, page):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    smtp = {"SYROS_SMTP_HOST": "127.0.0.1", "SYROS_SMTP_PORT": str(port), "SYROS_SMTP_TLS": "none"}
    try:
        page.goto(app_server.url("/notices/subscribe"))
        wait_ready(page)
        page.fill("#sub-email", "maria@example.gr")
        page.get_by_role("button", name="Εγγραφή με e-mail").click()
        expect(page.get_by_role("status")).to_contain_text("σύνδεσμο επιβεβαίωσης")
        _run_worker(app_server, **smtp)
        confirm = next(m for m in received if m["To"] == "maria@example.gr")
        link = next(w for w in confirm.get_content().split() if "/notices/confirm?token=" in w)
        page.goto(link)
        wait_ready(page)
        expect(page.get_by_role("status")).to_contain_text("maria@example.gr")
        assert_accessible(page, "e-mail confirmed")

        from syros_app.notices.models import Subscription
        from tests.support.personas import administrator

        engine = _db(app_server)
        with Session(engine, expire_on_commit=False) as session:
            staff = administrator(session, "staff-mail")
        # publish through the running app's database (its secret signs the links)
        script = ("from syros_app.core.db import session_scope\n"
                  "from syros_app.identity.roles import Actor, Role\n"
                  "from syros_app.notices import actions\n"
                  f"actor = Actor(person_id={staff.person_id}, display_name='x', taxid_hmac='x', roles=frozenset({{Role.ADMINISTRATOR}}))\n"
                  "with session_scope() as s:\n"
                  "    actions.publish_notice(s, actor=actor, title='Διακοπή ρεύματος στη Βάρη', body='Τρίτη 08:00–12:00', category='general')\n")
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=app_server.env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        _run_worker(app_server, **smtp)
        mail = next(m for m in received if m["Subject"] == "Διακοπή ρεύματος στη Βάρη")
        unsubscribe = next(w for w in mail.get_content().split() if "/notices/unsubscribe?token=" in w)
        page.goto(unsubscribe)
        wait_ready(page)
        expect(page.locator(".card")).to_contain_text("ma…@example.gr")
        assert_accessible(page, "unsubscribe")
        page.locator("#unsubscribe-button").click()
        expect(page.get_by_role("status")).to_have_text("Η εγγραφή σας διαγράφηκε. Δεν θα λάβετε άλλα μηνύματα.")
        with Session(engine) as session:
            assert session.exec(select(Subscription).where(Subscription.address == "maria@example.gr")).first() is None
        engine.dispose()
    finally:
        controller.stop()


SHOWN_NOTIFICATIONS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
    .map(n => ({title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url, sticky: n.requireInteraction}))"""


def _live_registration(page, registrations: list, base_url: str, timeout_s: float = 20) -> str:
    """The id of the page's service worker registration, from the CDP events (which
    only arrive while Playwright pumps its loop, hence the short page waits)."""
    deadline = time.monotonic() + timeout_s
    while True:
        live = [r for r in registrations if not r.get("isDeleted") and r.get("scopeURL", "").startswith(base_url)]
        if live:
            return live[-1]["registrationId"]
        assert time.monotonic() < deadline, f"no live service worker registration seen: {registrations!r}"
        page.wait_for_timeout(100)


# page.wait_for_function does not await a promise its predicate returns (a pending
# promise is truthy), so the predicate starts the asynchronous read and looks at the
# result of the previous one.
NOTIFICATIONS_SEEN = """() => {
    const probe = window.__agoraNotifications || (window.__agoraNotifications = {busy: false, count: 0});
    if (!probe.busy) {
        probe.busy = true;
        navigator.serviceWorker.ready.then((r) => r.getNotifications())
            .then((shown) => { probe.count = shown.length; }, () => {})
            .finally(() => { probe.busy = false; });
    }
    return probe.count > 0;
}"""


def _shown_notifications(page, timeout_ms: int = 20000) -> list:
    """The notifications the service worker shows, once there is at least one (or [] after the wait)."""
    try:
        page.wait_for_function(NOTIFICATIONS_SEEN, polling=100, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        pass  # the assertion below shows what there is
    return page.evaluate(SHOWN_NOTIFICATIONS)


def test_service_worker_shows_a_pushed_notification(app_server, context):
    context.grant_permissions(["notifications"], origin=app_server.base_url)
    page = context.new_page()
    page.goto(app_server.url("/notices"))
    wait_ready(page)
    page.wait_for_function("async () => !!(await navigator.serviceWorker.ready).active", timeout=20000)
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    registration_id = _live_registration(page, registrations, app_server.base_url)
    from syros_app.notices.models import Notice

    engine = _db(app_server)
    with Session(engine) as session:
        wind_id = session.exec(select(Notice.id).where(Notice.title == WIND)).one()
    engine.dispose()
    payload = {"title": "Θυελλώδεις άνεμοι", "body": "Έως 9 μποφόρ", "url": f"/notices/{wind_id}", "tag": "m99",
               "urgent": True}
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": app_server.base_url + "/",
                                                  "registrationId": registration_id, "data": json.dumps(payload)})
    shown = _shown_notifications(page)
    assert shown == [{"title": "Θυελλώδεις άνεμοι", "body": "Έως 9 μποφόρ", "tag": "m99",
                      "url": f"{app_server.base_url}/notices/{wind_id}", "sticky": True}]
    page.goto(shown[0]["url"])  # the page the click opens
    wait_ready(page)
    expect(page.locator("h1")).to_have_text(WIND)


# --- the service worker's notificationclick handler, run for real -----------------------------------
#
# Headless Chromium cannot click a notification, so the test does in the worker what a
# click does: it takes the shown notification from registration.getNotifications() and
# dispatches a NotificationEvent('notificationclick') to the worker's own listener.
# clients.openWindow and WindowClient.focus/navigate are wrapped to record each call and
# still call through: navigate really moves the page; focus and openWindow need the user
# activation only a real click grants, so the browser may refuse them (InvalidAccessError),
# which is recorded as the call's outcome.

OBSERVE_WINDOW_CALLS = """() => {
    if (self.__agoraWindowCalls) { self.__agoraWindowCalls.length = 0; return; }
    const log = self.__agoraWindowCalls = [];
    const wrap = (proto, name, describe) => {
        const real = proto[name];
        proto[name] = function (...args) {
            const entry = {call: name, ...describe(this, args), outcome: 'pending'};
            log.push(entry);
            return real.apply(this, args).then(
                (result) => { entry.outcome = 'done'; return result; },
                (error) => { entry.outcome = error.name; throw error; });
        };
    };
    wrap(Clients.prototype, 'openWindow', (clients, [url]) => ({url: String(url)}));
    wrap(WindowClient.prototype, 'focus', (client) => ({client: client.url}));
    wrap(WindowClient.prototype, 'navigate', (client, [url]) => ({client: client.url, url: String(url)}));
}"""

SHOW_NOTIFICATION = """([tag, url]) => self.registration.showNotification('Αγορά Σύρου',
    {body: 'δοκιμή', tag, data: {url}})"""

# A script-made ExtendableEvent refuses waitUntil(), so the promise the handler hands to it
# is kept and awaited instead; then the notification must be gone (closed by the handler).
CLICK_NOTIFICATION = """async (tag) => {
    const shown = await self.registration.getNotifications({tag});
    if (shown.length !== 1) throw new Error(`expected one notification tagged ${tag}, found ${shown.length}`);
    const log = self.__agoraWindowCalls;
    log.length = 0;
    const event = new NotificationEvent('notificationclick', {notification: shown[0]});
    const handed = [];
    Object.defineProperty(event, 'waitUntil', {value: (promise) => { handed.push(promise); }});
    self.dispatchEvent(event);
    await Promise.allSettled(handed);
    let left = -1;
    for (let i = 0; i < 40; i++) {
        left = (await self.registration.getNotifications({tag})).length;
        if (left === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {url: shown[0].data.url, waited: handed.length, left, calls: log.map((entry) => ({...entry}))};
}"""


def _worker(context, base_url: str):
    for worker in context.service_workers:
        if worker.url == base_url + "/sw.js":
            return worker
    return context.wait_for_event("serviceworker", predicate=lambda w: w.url == base_url + "/sw.js", timeout=20000)


def _click(worker, tag: str) -> dict:
    result = worker.evaluate(CLICK_NOTIFICATION, tag)
    assert result["waited"] == 1 and result["left"] == 0, result  # the handler waited on its work and closed it
    return result


def _calls(result: dict) -> list[tuple]:
    return [(c["call"], c.get("client"), c.get("url")) for c in result["calls"]]


def _assert_attempted(result: dict) -> None:
    """Every call ran; only the user-activation refusal of a script-made click is accepted."""
    for call in result["calls"]:
        allowed = {"done"} if call["call"] == "navigate" else {"done", "InvalidAccessError"}
        assert call["outcome"] in allowed, result


def test_notification_click_focuses_navigates_or_opens_and_follows_only_our_own_pages(app_server, context):
    from syros_app.notices.models import Notice

    engine = _db(app_server)
    with Session(engine) as session:
        wind_id = session.exec(select(Notice.id).where(Notice.title == WIND)).one()
    engine.dispose()
    base, home, notice = app_server.base_url, app_server.base_url + "/", f"{app_server.base_url}/notices/{wind_id}"
    context.grant_permissions(["notifications"], origin=base)
    page = context.new_page()
    page.goto(app_server.url("/notices"))
    wait_ready(page)
    page.wait_for_function("async () => !!(await navigator.serviceWorker.ready).active", timeout=20000)
    page.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=20000)
    worker = _worker(context, base)
    worker.evaluate(OBSERVE_WINDOW_CALLS)

    # --- an app window is open elsewhere: it is navigated to the notice and focused -----------------------
    opened_on = page.url
    worker.evaluate(SHOW_NOTIFICATION, ["c1", f"/notices/{wind_id}"])
    result = _click(worker, "c1")
    page.wait_for_url(re.compile(rf"/notices/{wind_id}/?$"))
    assert _calls(result) == [("navigate", opened_on, notice), ("focus", page.url, None)]
    _assert_attempted(result)
    wait_ready(page)
    expect(page.locator("h1")).to_have_text(WIND)
    assert_accessible(page, "notice opened from a notification")

    # --- the window already shows the notice: focused, not reloaded -------------------------------------
    worker.evaluate(SHOW_NOTIFICATION, ["c2", notice])
    result = _click(worker, "c2")
    assert _calls(result) == [("focus", notice, None)]
    _assert_attempted(result)

    # --- another app page is open and the payload pointed elsewhere: the app's home, in that window ------
    page.goto(app_server.url("/notices"))
    wait_ready(page)
    opened_on = page.url
    worker.evaluate(SHOW_NOTIFICATION, ["c3", "https://evil.example/phish"])
    result = _click(worker, "c3")
    assert _calls(result) == [("navigate", opened_on, home), ("focus", home, None)]
    _assert_attempted(result)
    page.wait_for_url(home)

    # --- no app window: openWindow with the notice's address ---------------------------------------------
    page.goto("about:blank")
    worker.evaluate(SHOW_NOTIFICATION, ["c4", f"/notices/{wind_id}"])
    result = _click(worker, "c4")
    assert _calls(result) == [("openWindow", None, notice)]
    _assert_attempted(result)

    # --- foreign, protocol-relative, script and malformed addresses open the home page ---------------------
    for i, url in enumerate(("https://evil.example/phish", "//evil.example/x", "javascript:alert(1)", "http://[bad")):
        worker.evaluate(SHOW_NOTIFICATION, [f"bad{i}", url])
        result = _click(worker, f"bad{i}")
        assert _calls(result) == [("openWindow", None, home)], url
        _assert_attempted(result)

    # --- the same through a real push: the shown notification already carries the home page ----------------
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    registration_id = _live_registration(page, registrations, base)
    for i, url in enumerate(("https://evil.example/phish", "http://[bad")):
        payload = {"title": "Ψεύτικη ειδοποίηση", "body": "…", "url": url, "tag": f"push{i}"}
        cdp.send("ServiceWorker.deliverPushMessage", {"origin": home, "registrationId": registration_id,
                                                      "data": json.dumps(payload)})
        deadline = time.monotonic() + 20
        while not worker.evaluate("async (tag) => (await self.registration.getNotifications({tag})).length", f"push{i}"):
            assert time.monotonic() < deadline, f"the pushed notification {payload!r} was not shown"
            page.wait_for_timeout(100)
        result = _click(worker, f"push{i}")
        assert result["url"] == home, url
        assert _calls(result) == [("openWindow", None, home)], url
        _assert_attempted(result)

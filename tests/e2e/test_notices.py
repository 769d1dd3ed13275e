"""Notices as residents and staff meet them: archive, urgent on the home page,
subscribing (push with a stand-in PushManager, e-mail with a real SMTP server,
SMS), staff publishing with delivery state, the service worker showing a push."""

from __future__ import annotations

import json
import os
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
            login_as(app_server, staff, "moderator", roles=(Role.MODERATOR,))
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
            expect(spage.get_by_role("status")).to_contain_text("Κλειστό το λιμάνι λόγω ανέμων")
            row = spage.locator("#staff-notices-table tbody tr").first
            expect(row).to_contain_text("Κλειστό το λιμάνι λόγω ανέμων")
            with Session(engine) as session:  # this device, plus earlier tests' SMS subscriber
                expected = len([s for s in session.exec(select(Subscription))
                                if "civil_protection" in s.categories and (s.channel == "push" or s.confirmed_at)])
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

        from syros_app.notices import actions
        from syros_app.notices.models import Subscription
        from tests.support.personas import moderator

        engine = _db(app_server)
        with Session(engine, expire_on_commit=False) as session:
            staff = moderator(session, "staff-mail")
        # publish through the running app's database (its secret signs the links)
        script = ("from syros_app.core.db import session_scope\n"
                  "from syros_app.identity.roles import Actor, Role\n"
                  "from syros_app.notices import actions\n"
                  f"actor = Actor(person_id={staff.person_id}, display_name='x', taxid_hmac='x', roles=frozenset({{Role.MODERATOR}}))\n"
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

"""The staff workspace, per role, at phone and desktop size (issue 15).

- a moderator sees only her work (navigation, the hub's sections) and a page she may
  not use says so in her language, without a login link;
- a moderator hides a comment from the consultation page itself, through the
  confirmation dialog (focus inside, Escape cancels and returns focus, a reason is
  required and said beside its field);
- a department officer sees only her department's reports and works one by keyboard,
  with an internal note that never reaches the public page or open data;
- an administrator cannot send a notice without confirming.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import Session, select

from syros_app.core.db import make_engine
from syros_app.identity.stand_in import demo_resident

from .conftest import PHONE, assert_accessible, login_as, set_language, wait_ready

DESKTOP = {"width": 1280, "height": 900}


def _engine(app_server):
    return make_engine(app_server.env["SYROS_DATABASE_URL"])


def _active(page) -> str:
    return page.evaluate("() => { const a = document.activeElement;"
                         " return (a.id ? '#' + a.id + ' ' : '') + (a.textContent || '').trim(); }")


def test_a_moderator_sees_only_her_work_and_a_refusal_in_her_language(app_server, browser):
    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    try:
        login_as(app_server, context, "moderator", roles=("moderator",), display_name="Μαρία Β.")
        page = context.new_page()
        page.goto(app_server.url("/staff"))
        wait_ready(page)
        expect(page.get_by_role("heading", name="Σήμερα")).to_be_visible()
        hub = page.locator("ul.staff-hub")
        expect(hub.locator("a[href='/staff/moderation']")).to_have_count(1)
        expect(hub.locator("a[href='/staff/reports']")).to_have_count(1)
        for route in ("/staff/votes", "/staff/notices", "/staff/consultations", "/staff/roles", "/staff/rolls"):
            expect(hub.locator(f"a[href='{route}']")).to_have_count(0)
        assert_accessible(page, "staff hub (moderator)")

        page.goto(app_server.url("/staff/votes"))
        wait_ready(page)
        main = page.locator("main")
        expect(main).to_contain_text("Μόνο οι διαχειριστές του Δήμου διαχειρίζονται ψηφοφορίες.")
        expect(main).to_contain_text("Είστε συνδεδεμένοι")
        expect(main.get_by_role("link", name=re.compile("Σύνδεση"))).to_have_count(0)
        assert_accessible(page, "votes refused (moderator)")
        set_language(page, "en")
        expect(main).to_contain_text("Only municipal administrators manage votes.")
        expect(main).to_contain_text("You are logged in")
    finally:
        context.close()


def test_a_moderator_hides_a_comment_from_the_consultation_page(app_server, browser):
    from syros_app.consultations.models import Comment, Consultation

    engine = _engine(app_server)
    with Session(engine) as session:
        row = session.exec(select(Comment.id, Comment.consultation_id)
                           .join(Consultation, Consultation.id == Comment.consultation_id)
                           .where(Consultation.status == "open", Comment.status == "visible",
                                  Comment.parent_id.is_(None)).order_by(Comment.id)).first()
    engine.dispose()
    assert row is not None, "the demo has no visible comment on an open consultation"
    comment_id, cid = row
    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    try:
        login_as(app_server, context, "moderator", roles=("moderator",), display_name="Μαρία Β.")
        page = context.new_page()
        page.goto(app_server.url(f"/consultations/{cid}"))
        wait_ready(page)
        page.select_option("#comment-sort", "oldest")
        hide = page.locator(f"#comment-{comment_id}").get_by_role("button", name=re.compile("^Απόκρυψη")).first
        hide.click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Όλοι οι αναγνώστες της διαβούλευσης")
        assert _active(page).startswith("#confirm-step-reason"), _active(page)  # a reason is needed: it starts there
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('dialog')"), "focus left the dialog"
        assert_accessible(page, "confirm hide (dialog open)")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        assert "Απόκρυψη" in _active(page), f"focus did not return to the button: {_active(page)}"

        hide.click()
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="Ναι, απόκρυψη").click()
        expect(page.locator("#confirm-step-reason-error")).to_contain_text("τουλάχιστον")
        expect(page.locator("#confirm-step-reason")).to_have_attribute("aria-invalid", "true")
        page.locator("#confirm-step-reason").fill("Εκτός θέματος της διαβούλευσης")
        dialog.get_by_role("button", name="Ναι, απόκρυψη").click()
        expect(dialog).to_be_hidden()
        expect(page.get_by_role("status")).to_have_text("Το σχόλιο κρύφτηκε.")
        expect(page.locator("main")).to_contain_text("Κρύφτηκε από τον συντονιστή: Εκτός θέματος της διαβούλευσης")
        with Session(engine) as session:
            assert session.get(Comment, comment_id).status == "hidden"
        engine.dispose()
    finally:
        context.close()


def test_a_department_officer_works_her_reports_by_keyboard_with_an_internal_note(app_server, browser):
    from syros_app.reports.models import Report, ReportInternalNote

    katerina = demo_resident("katerina")
    context = browser.new_context(viewport=DESKTOP, locale="el-GR")
    try:
        login_as(app_server, context, "katerina", taxid=katerina.taxid)
        page = context.new_page()
        page.goto(app_server.url("/staff/reports"))
        wait_ready(page)
        rows = page.locator("table.queue tbody tr")
        expect(rows.first).to_be_visible()
        departments = rows.locator("td:nth-child(6)").all_inner_texts()
        assert departments and set(departments) == {"Συνεργείο Ηλεκτροφωτισμού"}, departments
        assert_accessible(page, "triage desk (officer)")
        first = rows.first.get_by_role("button")
        first.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#selected-heading")).to_be_focused()
        report_id = int(re.search(r"#(\d+)", page.locator("#selected-heading").inner_text()).group(1))
        expect(page.locator(".sla-clock")).to_contain_text("εργάσιμες")
        note = "Εσωτερικό: ο εργολάβος έρχεται Πέμπτη"
        page.locator("#st-internal").focus()
        page.keyboard.type(note)
        page.get_by_role("button", name="Προσθήκη σημείωσης").press("Enter")
        expect(page.locator(".internal-note")).to_contain_text(note)
        assert_accessible(page, "triage desk detail with a note")

        public = context.new_page()
        public.goto(app_server.url(f"/reports/{report_id}"))
        wait_ready(public)
        expect(public.locator("main")).not_to_contain_text("εργολάβος")
        for url in (f"/open311/v2/requests.json?service_request_id={report_id}", "/api/v1/service-levels"):
            response = public.request.get(app_server.url(url))
            assert "εργολάβος" not in response.text(), url
        engine = _engine(app_server)
        with Session(engine) as session:
            assert session.get(Report, report_id).department == "lighting"
            assert session.exec(select(ReportInternalNote).where(ReportInternalNote.report_id == report_id)).first()
        engine.dispose()
    finally:
        context.close()


def test_an_administrator_cannot_send_a_notice_without_confirming(app_server, browser):
    from syros_app.notices.models import Notice

    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    title = "Δοκιμαστική ανακοίνωση που δεν στάλθηκε"
    try:
        login_as(app_server, context, "admin", roles=("administrator",), display_name="Γιώργος Ρ.")
        page = context.new_page()
        page.goto(app_server.url("/staff/notices"))
        wait_ready(page)
        send = page.get_by_role("button", name="Δημοσίευση και αποστολή")
        send.click()
        expect(page.locator("#n-title-error")).to_have_text("Γράψτε τίτλο.")
        expect(page.locator("#n-body-error")).to_have_text("Γράψτε το κείμενο της ανακοίνωσης.")
        page.fill("#n-title", title)
        page.fill("#n-body", "Κείμενο που δεν πρέπει να φύγει χωρίς επιβεβαίωση.")
        send.click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        assert _active(page).endswith("Ακύρωση"), _active(page)  # no reason asked: the safe choice first
        expect(dialog).to_contain_text(title)
        expect(dialog).to_contain_text("e-mail")
        assert_accessible(page, "confirm notice (dialog open)")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        assert "Δημοσίευση και αποστολή" in _active(page), _active(page)
        engine = _engine(app_server)
        with Session(engine) as session:
            assert session.exec(select(Notice).where(Notice.title == title)).first() is None
        send.click()
        dialog.get_by_role("button", name="Ναι, αποστολή τώρα").click()
        expect(page.get_by_role("status")).to_contain_text(title)
        with Session(engine) as session:
            assert session.exec(select(Notice).where(Notice.title == title)).first() is not None
        engine.dispose()
    finally:
        context.close()


def _report_with_neighbours(app_server) -> tuple[int, int]:
    """An open report with a point, preferring one with open reports of its category nearby."""
    from syros_app.reports import queries, rules
    from syros_app.reports.models import Report

    engine = _engine(app_server)
    with Session(engine) as session:
        found = list(session.exec(select(Report).where(Report.status.in_(rules.OPEN_STATUSES),
                                                       Report.lat.is_not(None)).order_by(Report.id)))
        best = max(found, key=lambda r: len([n for n, _d in queries.nearby_open(
            session, category=r.category, lat=r.lat, lon=r.lon, limit=6) if n.id != r.id]))
        near = len([n for n, _d in queries.nearby_open(session, category=best.category, lat=best.lat, lon=best.lon,
                                                        limit=6) if n.id != best.id])
    engine.dispose()
    return best.id, min(near, 5)


def test_the_triage_detail_shows_the_report_on_the_map_with_its_neighbours_at_360px(app_server, browser):
    report_id, near = _report_with_neighbours(app_server)
    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    context.route(lambda url: not url.startswith(app_server.base_url), lambda route: route.abort())  # no tiles
    try:
        login_as(app_server, context, "moderator", roles=("moderator",), display_name="Μαρία Β.")
        page = context.new_page()
        page.goto(app_server.url("/staff/reports"))
        wait_ready(page)
        page.locator(f"#open-{report_id}").click()
        expect(page.locator("#selected-heading")).to_be_focused()
        where = page.locator("section[aria-labelledby='where-heading']")
        expect(where.locator(".desk-place")).not_to_have_text(re.compile(r":\s*$"))  # the address, as text
        desk_map = page.get_by_role("application",
                                    name="Χάρτης με το σημείο της αναφοράς και τις ανοιχτές αναφορές κοντά της")
        expect(desk_map).to_be_visible()
        expect(desk_map).to_have_attribute("aria-describedby", "desk-map-hint")
        box = desk_map.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box  # fits the phone
        markers = where.locator(".leaflet-marker-icon")
        expect(markers.first).to_be_attached()
        # the report's own marker only shows where (not a button); its neighbours are buttons and a list
        expect(where.locator(".leaflet-marker-icon:not([tabindex])")).to_have_count(1)
        if near:
            expect(where.locator(".desk-nearby li")).to_have_count(near)
            expect(where.locator(".leaflet-marker-icon[tabindex]").first).to_be_attached()
        else:
            expect(where).to_contain_text("Καμία ανοιχτή αναφορά της ίδιας κατηγορίας κοντά.")
        assert_accessible(page, "triage detail with its map (phone)")
        # the keyboard passes through the map: the map, its markers, its zoom buttons and
        # attribution links, then onwards
        desk_map.focus()
        for _ in range(near + 8):
            page.keyboard.press("Tab")
            if not page.evaluate("() => !!document.activeElement.closest('.desk-map')"):
                break
        assert not page.evaluate("() => !!document.activeElement.closest('.desk-map')"), "focus stayed in the map"
        assert page.evaluate("() => !!document.activeElement.closest('.desk-detail')"), _active(page)
    finally:
        context.close()


def test_a_staff_person_turns_a_kind_of_work_alert_off_and_a_resident_cannot(app_server, browser):
    from syros_app.notices.models import StaffAlertOff

    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    try:
        person_id = login_as(app_server, context, "alerts-mod", roles=("moderator",), display_name="Σοφία Α.")
        page = context.new_page()
        page.goto(app_server.url("/staff"))
        wait_ready(page)
        page.locator("ul.staff-hub a[href='/staff/alerts']").click()
        wait_ready(page)
        expect(page.get_by_role("heading", name="Ειδοποιήσεις για νέα δουλειά")).to_be_visible()
        expect(page.locator("main")).to_contain_text("το πολύ ένα ανά 30 λεπτά")
        expect(page.locator("main")).to_contain_text("Δεν έχετε ακόμη τρόπο ειδοποίησης")  # no subscription yet
        boxes = page.locator("#staff-alerts-form input[type=checkbox]")
        expect(boxes).to_have_count(3)
        for i in range(3):
            expect(boxes.nth(i)).to_be_checked()
        assert_accessible(page, "staff alerts (phone)")
        page.get_by_label("ένα σχόλιο περιμένει συντονισμό", exact=False).uncheck()
        page.get_by_role("button", name="Αποθήκευση επιλογών").click()
        expect(page.get_by_role("status")).to_have_text("Οι επιλογές σας αποθηκεύτηκαν.")
        engine = _engine(app_server)
        with Session(engine) as session:
            assert session.exec(select(StaffAlertOff.kind).where(StaffAlertOff.person_id == person_id)).all() \
                == ["moderation"]
        engine.dispose()
        page.reload()
        wait_ready(page)
        expect(page.locator("#alert-moderation")).not_to_be_checked()
        expect(page.locator("#alert-reports")).to_be_checked()
    finally:
        context.close()
    context = browser.new_context(viewport=PHONE, locale="el-GR")
    try:
        login_as(app_server, context, "alerts-resident", display_name="Γιάννης Κ.")
        page = context.new_page()
        page.goto(app_server.url("/staff/alerts"))
        wait_ready(page)
        expect(page.locator("main")).to_contain_text("Μόνο το προσωπικό του Δήμου επιλέγει αυτές τις ειδοποιήσεις.")
        expect(page.locator("#staff-alerts-form")).to_have_count(0)
    finally:
        context.close()

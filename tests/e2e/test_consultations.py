"""Consultations end to end, at phone size: the whole loop, the public pages, and XSS."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from syros_app.identity.roles import Role

from .conftest import assert_accessible, login_as, set_language, wait_ready

pytestmark = pytest.mark.e2e

PAYLOADS = [line for line in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128


def _comment_id(page, text: str) -> int:
    li = page.locator("li.comment", has=page.locator(".comment-body", has_text=text)).first
    expect(li).to_be_visible()
    return int(li.get_attribute("id").split("-")[1])


def test_staff_residents_moderator_and_report_loop(app_server, browser, tmp_path):
    phone = {"viewport": {"width": 360, "height": 740}, "locale": "el-GR", "is_mobile": True, "has_touch": True}
    staff_ctx, eleni_ctx, nikos_ctx, visitor_ctx = (browser.new_context(**phone) for _ in range(4))
    try:
        login_as(app_server, staff_ctx, "admin", roles=(Role.ADMINISTRATOR,), display_name="Διαχειρίστρια")
        login_as(app_server, eleni_ctx, "eleni", display_name="Ελένη Π.")
        login_as(app_server, nikos_ctx, "nikos", display_name="Νίκος Κ.")

        # --- staff create and open a consultation -------------------------------------------------
        staff = staff_ctx.new_page()
        staff.goto(app_server.url("/staff/consultations"))
        wait_ready(staff)
        expect(staff.get_by_role("heading", name="Νέα διαβούλευση")).to_be_visible()
        assert_accessible(staff, "staff consultations")
        staff.fill("#c-title", "Ανάπλαση της πλατείας Μιαούλη")
        staff.fill("#c-summary", "Πρόταση για σκιά, πράσινο και καθιστικά στην πλατεία.")
        staff.select_option("#c-category", "urban_planning")
        staff.select_option("#c-area", "Ερμούπολη")
        staff.get_by_role("button", name="Δημιουργία (ως πρόχειρο)").click()
        staff.wait_for_url(re.compile(r"/staff/consultations/\d+$"))
        cid = int(staff.url.rstrip("/").split("/")[-1])
        wait_ready(staff)
        staff.fill("#new-s-title", "Δέντρα και σκιά")
        staff.fill("#new-s-body", "Φυτεύονται δώδεκα νέα δέντρα στη δυτική πλευρά της πλατείας.")
        staff.get_by_role("button", name="Προσθήκη άρθρου").click()
        expect(staff.get_by_role("status")).to_have_text("Το άρθρο προστέθηκε.")
        staff.set_input_files("#attachment-file", files=[{"name": "σχέδιο.png", "mimeType": "image/png", "buffer": PNG}])
        staff.get_by_role("button", name="Ανέβασμα συνημμένου").click()
        expect(staff.get_by_role("status")).to_have_text("Το συνημμένο ανέβηκε.")
        expect(staff.get_by_role("link", name="σχέδιο.png")).to_be_visible()
        staff.get_by_role("button", name="Άνοιγμα διαβούλευσης").click()
        staff.get_by_role("dialog").get_by_role("button", name="Ναι, άνοιγμα τώρα").click()
        expect(staff.get_by_role("status")).to_have_text("Η διαβούλευση άνοιξε.")
        assert_accessible(staff, "staff consultation (open)")

        # --- two residents comment and reply; one supports, one flags --------------------------------
        eleni = eleni_ctx.new_page()
        eleni.goto(app_server.url(f"/consultations/{cid}"))
        wait_ready(eleni)
        expect(eleni.locator("h1")).to_have_text("Ανάπλαση της πλατείας Μιαούλη")
        assert_accessible(eleni, "consultation as resident")
        section_value = eleni.locator("#comment-section option", has_text="Δέντρα και σκιά").get_attribute("value")
        eleni.select_option("#comment-section", section_value)
        eleni.fill("#comment-body", "Να προτιμηθούν ντόπια είδη, όπως αλμυρίκια και χαρουπιές.")
        eleni.get_by_role("button", name="Αποστολή σχολίου").click()
        expect(eleni.get_by_role("status")).to_have_text("Το σχόλιό σας δημοσιεύθηκε.")
        eleni_comment = _comment_id(eleni, "ντόπια είδη")

        nikos = nikos_ctx.new_page()
        nikos.goto(app_server.url(f"/consultations/{cid}"))
        wait_ready(nikos)
        item = nikos.locator(f"#comment-{eleni_comment}")
        item.get_by_role("button", name="Συμφωνώ").click()
        expect(item.get_by_role("button", name="Συμφωνώ")).to_have_attribute("aria-pressed", "true")
        item.get_by_role("button", name="Απάντηση").click()
        nikos.fill("#reply-body", "Συμφωνώ, και με ποτιστικό σταγόνας.")
        nikos.get_by_role("button", name="Αποστολή απάντησης").click()
        expect(nikos.get_by_role("status")).to_have_text("Η απάντησή σας δημοσιεύθηκε.")
        expect(nikos.locator("li.comment.depth-1 .comment-body")).to_have_text("Συμφωνώ, και με ποτιστικό σταγόνας.")
        nikos.fill("#comment-body", "Όλοι όσοι το υποστηρίζουν είναι ηλίθιοι.")
        nikos.get_by_role("button", name="Αποστολή σχολίου").click()
        expect(nikos.get_by_role("status")).to_have_text("Το σχόλιό σας δημοσιεύθηκε.")
        rude = _comment_id(nikos, "ηλίθιοι")

        eleni.reload()
        wait_ready(eleni)
        expect(eleni.locator(f"#comment-{eleni_comment} .comment-body")).to_be_visible()
        eleni.locator(f"#comment-{rude}").get_by_role("button", name="Αναφορά").click()
        eleni.fill("#flag-reason", "Προσβλητικό προς άλλους κατοίκους")
        eleni.get_by_role("button", name="Αποστολή αναφοράς").click()
        expect(eleni.get_by_role("status")).to_have_text("Ευχαριστούμε, η αναφορά σας στάλθηκε στους συντονιστές.")

        # --- the moderator hides it with a reason -------------------------------------------------
        staff.goto(app_server.url("/staff/moderation"))
        wait_ready(staff)
        queue_item = staff.locator(f"#queue-{rude}")
        expect(queue_item).to_contain_text("Προσβλητικό προς άλλους κατοίκους")
        assert int(staff.locator(".staff-nav .badge.count").inner_text()) >= 1
        assert_accessible(staff, "moderation queue")
        queue_item.get_by_role("button", name="Απόκρυψη").click()
        staff.locator("#confirm-step-reason").fill("Προσβλητική γλώσσα")
        staff.get_by_role("dialog").get_by_role("button", name="Ναι, απόκρυψη").click()
        expect(staff.get_by_role("status")).to_have_text("Το σχόλιο κρύφτηκε.")

        visitor = visitor_ctx.new_page()
        visitor.goto(app_server.url(f"/consultations/{cid}"))
        wait_ready(visitor)
        expect(visitor.locator(f"#comment-{rude}")).to_contain_text("Κρύφτηκε από τον συντονιστή: Προσβλητική γλώσσα")
        expect(visitor.locator(f"#comment-{rude}")).not_to_contain_text("ηλίθιοι")
        expect(visitor.get_by_role("link", name="Συνδεθείτε με gov.gr για να σχολιάσετε")).to_have_attribute(
            "href", f"/auth/login?next=/consultations/{cid}")
        assert_accessible(visitor, "consultation as visitor")

        # --- after closing, staff answer and publish the report ----------------------------------------
        staff.goto(app_server.url(f"/staff/consultations/{cid}"))
        wait_ready(staff)
        staff.get_by_role("button", name="Κλείσιμο τώρα").click()
        staff.locator("#confirm-step-reason").fill("Ολοκληρώθηκε νωρίτερα η μελέτη του δήμου.")
        staff.get_by_role("dialog").get_by_role("button", name="Ναι, κλείσιμο τώρα").click()
        expect(staff.get_by_role("status")).to_have_text("Η διαβούλευση έκλεισε.")
        staff.locator(f"#c-{eleni_comment}").check()
        staff.select_option("#r-outcome", "accepted")
        staff.fill("#r-reason", "Θα φυτευτούν αλμυρίκια και χαρουπιές.")
        staff.get_by_role("button", name="Αποθήκευση απάντησης").click()
        expect(staff.get_by_role("status")).to_have_text("Η απάντηση αποθηκεύτηκε.")
        staff.locator("li.staff-section textarea").first.fill("Ορίστηκαν ντόπια είδη δέντρων.")
        staff.get_by_role("button", name="Αποθήκευση αλλαγών άρθρου").click()
        expect(staff.get_by_role("status")).to_have_text("Οι αλλαγές αποθηκεύτηκαν.")
        staff.fill("#report-summary", "Ευχαριστούμε όσους συμμετείχαν· οι προτάσεις για ντόπια είδη έγιναν δεκτές.")
        staff.get_by_role("button", name="Δημοσίευση έκθεσης").click()
        staff.get_by_role("dialog").get_by_role("button", name="Ναι, δημοσίευση").click()
        expect(staff.get_by_role("status")).to_have_text("Η έκθεση δημοσιεύθηκε.")
        assert_accessible(staff, "staff consultation (report published)")

        # --- the resident sees the answer on their comment ------------------------------------------
        eleni.goto(app_server.url(f"/consultations/{cid}"))
        wait_ready(eleni)
        answer = eleni.locator(f"#comment-{eleni_comment} .response")
        expect(answer).to_contain_text("Έγινε δεκτό")
        expect(answer).to_contain_text("Θα φυτευτούν αλμυρίκια και χαρουπιές.")
        assert_accessible(eleni, "consultation with answers")
        eleni.get_by_role("link", name="Διαβάστε την έκθεση «Είπατε, κάναμε»").first.click()
        eleni.wait_for_url(re.compile(rf"/consultations/{cid}/report$"))
        wait_ready(eleni)
        expect(eleni.locator(".report-page")).to_contain_text("Ορίστηκαν ντόπια είδη δέντρων.")
        assert_accessible(eleni, "report (el)")
        pdf_link = eleni.get_by_role("link", name="Λήψη PDF")
        expect(pdf_link).to_have_attribute("href", f"/api/v1/consultations/{cid}/report.pdf?lang=el")
        eleni.get_by_role("button", name="Εκτύπωση").focus()
        eleni.keyboard.press("Tab")  # the next stop after the print action
        expect(pdf_link).to_be_focused()
        pdf = eleni.request.get(app_server.url(pdf_link.get_attribute("href")))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")

        # --- the CSV downloads with the right rows -----------------------------------------------------
        with eleni.expect_download() as download_info:
            eleni.get_by_role("link", name="Σχόλια (CSV)").click()
        path = download_info.value.path()
        rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
        assert [(r["comment_id"], r["author"], r["status"]) for r in rows] == [
            (str(eleni_comment), "Ελένη Π.", "visible"),
            (rows[1]["comment_id"], "Νίκος Κ.", "visible"),
            (str(rude), "Νίκος Κ.", "hidden"),
        ]
        assert rows[0]["agree"] == "1" and rows[0]["response_outcome"] == "accepted"
        assert rows[1]["parent_id"] == str(eleni_comment)
        assert rows[2]["text"] == "Κρύφτηκε από τον συντονιστή: Προσβλητική γλώσσα"
    finally:
        for ctx in (staff_ctx, eleni_ctx, nikos_ctx, visitor_ctx):
            ctx.close()


def test_public_pages_in_both_languages(app_server, page):
    listing = page.request.get(app_server.url("/api/v1/consultations")).json()["consultations"]
    by_title = {c["title"]: c for c in listing}
    beaches = by_title["Κανονισμός χρήσης των δημοτικών παραλιών"]
    traffic = by_title["Κυκλοφοριακό σχέδιο του κέντρου της Ερμούπολης"]
    page.goto(app_server.url("/consultations"))
    wait_ready(page)
    expect(page.get_by_role("link", name=beaches["title"])).to_be_visible()
    assert_accessible(page, "list (el)")
    page.select_option("#filter-phase", "report_published")
    expect(page.get_by_role("link", name=beaches["title"])).to_have_count(0)
    expect(page.get_by_role("link", name=traffic["title"])).to_be_visible()
    set_language(page, "en")
    expect(page.locator("h1")).to_have_text("Consultations")
    assert_accessible(page, "list (en)")

    # The page's HTML already carries its text (first paint on slow networks), in the reader's
    # language, and the app removes that preview once it has drawn the page itself.
    served = page.request.get(app_server.url(f"/consultations/{beaches['id']}")).text()
    assert '<div id="page-preview"' in served and beaches["title"] in served and "Article 1." in served
    page.goto(app_server.url(f"/consultations/{beaches['id']}"))
    wait_ready(page)
    expect(page.get_by_role("heading", name=re.compile("Comments"))).to_be_visible()
    expect(page.locator("#page-preview")).to_have_count(0)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page, "consultation (en)")
    page.select_option("#comment-sort", "supported")
    expect(page.locator("li.comment").first).to_contain_text("50%")
    page.goto(app_server.url(f"/consultations/{traffic['id']}/report"))
    wait_ready(page)
    expect(page.locator(".report-page")).to_contain_text("What changed")
    expect(page.get_by_role("link", name="Download PDF")).to_have_attribute("href", re.compile(r"/report\.pdf\?lang=en$"))
    assert_accessible(page, "report (en)")
    set_language(page, "el")
    page.goto(app_server.url(f"/consultations/{traffic['id']}"))
    wait_ready(page)
    expect(page.locator("details.history summary").first).to_have_text("Προηγούμενες εκδόσεις και αλλαγές")
    page.locator("details.history summary").first.click()
    expect(page.locator("ins.diff-line").first).to_contain_text("11:00")
    assert_accessible(page, "consultation with versions (el)")


def test_xss_corpus_never_executes(app_server, browser, monkeypatch):
    """Every payload is posted as a comment (through the service, into the app's database)
    and rendered by the real app in Chromium: no dialog, no flag, no injected element."""
    from syros_app.consultations import actions, queries
    from syros_app.core.db import make_engine
    from syros_app.core.timefmt import utcnow
    from syros_app.identity.models import Person, RoleGrant
    from syros_app.identity.roles import Actor

    assert len(PAYLOADS) >= 50
    monkeypatch.setenv("SYROS_COMMENTS_PER_10_MIN", "1000")
    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        people = []
        for i, name in enumerate(["<img src=x onerror=window.__xss=1>", "Αθώος Χρήστης"]):
            person = Person(taxid_hmac=f"xss-person-{i}-{now.timestamp()}", display_name=name, first_login_at=now,
                            last_login_at=now)
            session.add(person)
            session.flush()
            people.append(person)
        session.add(RoleGrant(person_id=people[1].id, role="moderator", granted_at=now))
        session.flush()
        writer = Actor(person_id=people[0].id, display_name=people[0].display_name, taxid_hmac=people[0].taxid_hmac,
                       roles=frozenset({Role.RESIDENT}))
        staff = Actor(person_id=people[1].id, display_name=people[1].display_name, taxid_hmac=people[1].taxid_hmac,
                      roles=frozenset({Role.RESIDENT, Role.MODERATOR, Role.ADMINISTRATOR}))
        c = actions.create_consultation(session, actor=staff, title="<script>window.__xss=1</script> XSS",
                                        summary="<img src=x onerror=window.__xss=1>", category="other",
                                        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
                                        sections=[("<svg onload=window.__xss=1>", "<b onmouseover=window.__xss=1>b</b>")])
        actions.open_consultation(session, actor=staff, consultation_id=c.id)
        section = queries.sections_of(session, c.id)[0]
        posted = []
        for i, payload in enumerate(PAYLOADS):
            comment = actions.post_comment(session, actor=writer, consultation_id=c.id, body=payload,
                                           section_id=section.id if i % 2 else None,
                                           now=now - timedelta(hours=2) + timedelta(seconds=i))
            posted.append(comment)
        for comment in posted:  # approved links become real anchors: they must still be safe
            if "http" in comment.body:
                actions.approve_comment(session, actor=staff, comment_id=comment.id)
        session.commit()
        cid = c.id
    engine.dispose()

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="el-GR", is_mobile=True)
    dialogs: list[str] = []
    try:
        login_as(app_server, context, "xss-moderator", roles=(Role.MODERATOR,))
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        def check(label: str) -> None:
            page.wait_for_timeout(300)
            result = page.evaluate("""() => ({
                flag: window.__xss,
                foreign: [...document.querySelectorAll('.comment-body *, .section-body *, .consultation-summary *, h1 *')]
                    .filter(el => !['SPAN', 'A'].includes(el.tagName)).map(el => el.tagName),
                badLinks: [...document.querySelectorAll('.comment-body a')]
                    .filter(a => !/^https?:/.test(a.getAttribute('href')) || !/nofollow/.test(a.rel) || !/ugc/.test(a.rel))
                    .map(a => a.outerHTML),
                handlers: [...document.querySelectorAll('main *')].filter(el =>
                    [...el.attributes].some(a => a.name.startsWith('on'))).map(el => el.outerHTML.slice(0, 80)),
                injected: document.querySelectorAll('main script, main iframe, main object, main embed, main img[src="x"], main svg[onload], main video, main audio, main marquee, main form[action^="javascript"]').length,
            })""")
            assert result["flag"] is None, f"{label}: a payload ran"
            assert result["foreign"] == [], f"{label}: foreign elements {result['foreign']}"
            assert result["badLinks"] == [], f"{label}: unsafe links {result['badLinks']}"
            assert result["handlers"] == [], f"{label}: inline handlers {result['handlers']}"
            assert result["injected"] == 0, label
            assert dialogs == [], f"{label}: dialogs {dialogs}"

        page.goto(app_server.url(f"/consultations/{cid}"))
        wait_ready(page)
        page.select_option("#comment-sort", "oldest")
        seen = anchors = 0
        for page_no in range(1, 5):
            expect(page.locator(".pagination")).to_contain_text(f"{page_no} / 4")
            bodies = page.locator("li.comment .comment-body")
            seen += bodies.count()
            anchors += page.locator(".comment-body a").count()
            for li in page.locator("li.comment").all()[:3]:
                li.hover()
            check(f"comments page {page_no}")
            if page_no < 4:
                page.get_by_role("button", name="Επόμενη").click()
        assert seen == len(PAYLOADS)
        assert page.get_by_text(PAYLOADS[-1], exact=True).count() == 1  # shown as text, verbatim
        assert anchors > 0  # the approved links were rendered as anchors (and checked above)

        page.goto(app_server.url("/staff/moderation"))
        wait_ready(page)
        check("moderation queue")
        with Session(make_engine(app_server.env["SYROS_DATABASE_URL"])) as session:
            actions.close_consultation(session, actor=staff, consultation_id=cid, reason="Κλείνει νωρίτερα για τη δοκιμή.")
            actions.record_response(session, actor=staff, consultation_id=cid, comment_ids=[posted[0].id],
                                    outcome="out_of_scope", reason="<img src=x onerror=window.__xss=1>")
            actions.publish_report(session, actor=staff, consultation_id=cid, summary="<script>window.__xss=1</script>!!")
            session.commit()
        page.goto(app_server.url(f"/consultations/{cid}/report"))
        wait_ready(page)
        expect(page.locator(".report-page")).to_contain_text(PAYLOADS[1])
        check("report")
    finally:
        context.close()

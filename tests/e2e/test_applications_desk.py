"""The applications desk at phone size: a department officer asks for more information,
the resident answers in the app, the officer answers with a digitally signed PDF; the
resident sees the answer, downloads the PDF, and pyHanko's validator accepts its
signature against the installation's demo root. axe-core and keyboard on the desk."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from syros_app.core.actors import Role

from .conftest import assert_accessible, login_as, wait_ready
from .test_applications import _context
from .test_reports import _tab_until

pytestmark = pytest.mark.e2e

DEPARTMENT = "citizen_service"
QUESTION = "Χρειαζόμαστε τον αριθμό του τάφου."
REPLY = "Τάφος 87, τμήμα Γ."
DECISION = "Βεβαιώνεται ότι ο Γεώργιος Ρούσσος ετάφη στο Κοιμητήριο Ποσειδωνίας (τάφος 87, τμήμα Γ)."


def _engine(app_server):
    from syros_app.core.db import make_engine

    return make_engine(app_server.env["SYROS_DATABASE_URL"])


def _officer_of(app_server, person_id: int) -> None:
    """The grant login_as wrote, held to one department (an officer of citizen service)."""
    from sqlmodel import Session, select

    from syros_app.identity.models import RoleGrant

    with Session(_engine(app_server)) as session:
        grant = session.exec(select(RoleGrant).where(RoleGrant.person_id == person_id)).one()
        grant.department = DEPARTMENT
        session.add(grant)
        session.commit()


def _filed(app_server, person_id: int) -> tuple[int, str]:
    """A cemetery certificate filed by the resident (the filing itself is the apps e2e's)."""
    from sqlmodel import Session, select

    from syros_app.applications.actions import file_application, latest_form
    from syros_app.applications.models import Service
    from syros_app.core.timefmt import utcnow
    from tests.support.refusal_cases.applications_desk import ANSWERS

    with Session(_engine(app_server), expire_on_commit=False) as session:
        service = session.exec(select(Service).where(Service.slug == "cemetery-certificate")).one()
        application = file_application(session, service=service, form=latest_form(session, service.id),
                                       person_id=person_id, answers=ANSWERS, channel="online", filed_by=None,
                                       draft=None, now=utcnow(), applicant_name="Μαρία Ρούσσου")
        session.commit()
        return application.id, application.reference


def _validate(pdf: bytes, root_pem: bytes):
    """pyHanko's own validator, trusting only this installation's demo root."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _kind, _headers, der = pem.unarmor(root_pem)
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)], allow_fetching=False)
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1]
    # pyHanko runs its own event loop; Playwright's sync API holds one in this thread
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(validate_pdf_signature, signature, context).result()


def _file_at_counter(desk, app_server) -> None:
    from sqlmodel import Session, select

    from syros_app.applications.models import Application, Service
    from syros_app.identity.hashing import with_check_digit
    from tests.support.refusal_cases.applications_desk import ANSWERS

    with Session(_engine(app_server)) as session:
        service_id = session.exec(select(Service.id).where(Service.slug == "cemetery-certificate")).one()
    desk.locator("#counter-service").select_option(str(service_id))
    expect(desk.locator("#counter-f-full_name")).to_be_visible()
    desk.get_by_label("ΑΦΜ του/της αιτούντα/ούσας").fill(with_check_digit("40000007"))
    desk.get_by_label("Όνομα του/της αιτούντα/ούσας").fill("Ειρήνη Γκισέ")
    for key, value in ANSWERS.items():
        field = desk.locator(f"#counter-f-{key}")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    assert_accessible(desk, "desk with the counter form")

    def at_counter() -> list:  # other e2e tests of the same server file at the counter too
        with Session(_engine(app_server)) as session:
            return session.exec(select(Application).where(Application.channel == "counter")
                                .order_by(Application.id)).all()

    before = len(at_counter())
    desk.get_by_role("button", name="Καταχώριση αίτησης").click()
    expect(desk.get_by_role("status").filter(has_text="Η αίτηση καταχωρίστηκε")).to_be_visible()
    filed = at_counter()
    assert len(filed) == before + 1 and filed[-1].filed_by is not None


def _open_file(desk, app_server, app_id: int) -> None:
    desk.goto(app_server.url("/staff/applications"))
    wait_ready(desk)
    desk.locator(f"#open-{app_id}").click()
    expect(desk.locator("#selected-heading")).to_be_focused()


def test_ask_answer_sign_and_validate(app_server, browser):
    resident_ctx, officer_ctx = _context(browser), _context(browser)
    try:
        resident_id = login_as(app_server, resident_ctx, "desk_resident", display_name="Μαρία Ρούσσου")
        officer_id = login_as(app_server, officer_ctx, "desk_officer", roles=(Role.DEPARTMENT_OFFICER,),
                              display_name="Άννα Υπαλλήλου")
        _officer_of(app_server, officer_id)
        app_id, reference = _filed(app_server, resident_id)

        # the officer's desk: her department's queue, by keyboard, accessible
        desk = officer_ctx.new_page()
        desk.goto(app_server.url("/staff/applications"))
        wait_ready(desk)
        expect(desk.get_by_role("heading", name="Γραφείο αιτήσεων", level=1)).to_be_visible()
        row = desk.locator("tr", has=desk.locator(f"#open-{app_id}"))
        expect(row).to_contain_text(reference)
        expect(row.locator(".sla-clock")).to_contain_text("εργάσιμες")
        assert_accessible(desk, "desk queue")
        _tab_until(desk, lambda f: f["role"] == "button" and reference in f["text"], 60)
        desk.keyboard.press("Enter")
        expect(desk.locator("#selected-heading")).to_be_focused()
        expect(desk.locator("#selected-heading")).to_contain_text(reference)
        assert_accessible(desk, "desk file")

        # ask for more information: the clock pauses
        desk.get_by_label("Τι χρειάζεστε").fill(QUESTION)
        desk.get_by_role("button", name="Αποστολή αιτήματος").click()
        expect(desk.get_by_role("status").filter(has_text="Το αίτημα στάλθηκε")).to_be_visible()
        expect(desk.locator(".staff-panel .sla-clock")).to_contain_text("Σε αναμονή")

        # the resident answers in the app
        mine = resident_ctx.new_page()
        mine.goto(app_server.url(f"/applications/mine/{app_id}"))
        wait_ready(mine)
        expect(mine.locator("blockquote")).to_contain_text(QUESTION)
        mine.locator("#info-message").fill(REPLY)
        mine.get_by_role("button", name="Αποστολή στοιχείων").click()
        expect(mine.locator("#info-message")).to_have_count(0)

        # the officer answers: outgoing protocol number and a signed PDF, after confirming
        _open_file(desk, app_server, app_id)
        expect(desk.locator(".staff-panel .timeline")).to_contain_text(REPLY)
        desk.get_by_label("Απόφαση").fill(DECISION)
        desk.get_by_role("button", name="Υπογραφή και αποστολή απάντησης").click()
        dialog = desk.locator("dialog#confirm-step")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text(reference)
        dialog.get_by_role("button", name="Υπογραφή και αποστολή").click()
        expect(desk.get_by_role("status").filter(has_text="υπογράφηκε ψηφιακά")).to_be_visible()
        expect(desk.locator(".staff-panel dl.facts").first).to_contain_text("Εξ. ")

        # the resident sees the answer and downloads the signed PDF
        mine.goto(app_server.url(f"/applications/mine/{app_id}"))
        wait_ready(mine)
        expect(mine.get_by_text(DECISION).first).to_be_visible()
        href = mine.locator("#answer-link").get_attribute("href")
        response = resident_ctx.request.get(app_server.url(href))
        assert response.status == 200 and response.headers["content-type"].startswith("application/pdf")
        status = _validate(response.body(), (app_server.data_dir / "signing" / "demo-root.pem").read_bytes())
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert "demo seal" in status.signing_cert.subject.human_friendly
        # a resident at the counter: the officer files for her (recorded as the counter's)
        _file_at_counter(desk, app_server)

        # the public figures carry the applications' section with its paper formula
        desk.goto(app_server.url("/measurement"))
        wait_ready(desk)
        section = desk.locator("section", has=desk.get_by_role("heading", name="Ηλεκτρονικές αιτήσεις"))
        expect(section).to_contain_text("Χαρτί που γλιτώσαμε:")
        expect(section.locator("table")).to_contain_text("Σύνολο")

        # a visitor gets no answer PDF
        visitor = browser.new_context()
        try:
            assert visitor.request.get(app_server.url(href)).status in (401, 403, 404)
        finally:
            visitor.close()
    finally:
        resident_ctx.close()
        officer_ctx.close()

"""Residents' proposals at phone size: a verified resident proposes (by keyboard), other
residents support it past its computed threshold, staff answer by opening a consultation,
and the proposal and the consultation link to each other. axe-core on every page."""

import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from syros_app.identity.roles import Role

from .conftest import PHONE, assert_accessible, login_as, wait_ready

pytestmark = pytest.mark.e2e

TITLE = "Παγκάκια και σκιά στην παραλία του Αγκαθωπού"
BODY = ("Στην παραλία του Αγκαθωπού δεν υπάρχει ούτε ένα παγκάκι ούτε σκιά. Προτείνω τέσσερα παγκάκια "
        "και δύο σκίαστρα κοντά στη στάση του λεωφορείου.")
BEACHES = "Κανονισμός χρήσης των δημοτικών παραλιών"  # the demo consultation
UNIT = "Ποσειδωνία"


def _on_roll(app_server, person_id: int) -> None:
    """Put a logged-in test person on a voter roll of Ποσειδωνία (a verified resident)."""
    from sqlmodel import Session, select

    from syros_app.core.db import make_engine
    from syros_app.identity.models import Person, VoterRoll, VoterRollEntry

    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    with Session(engine) as session:
        roll = session.exec(select(VoterRoll).where(VoterRoll.name == "e2e proposals")).first()
        if roll is None:
            roll = VoterRoll(name="e2e proposals", created_at=datetime.now(timezone.utc))
            session.add(roll)
            session.flush()
        digest = session.get(Person, person_id).taxid_hmac
        session.add(VoterRollEntry(roll_id=roll.id, taxid_hmac=digest, municipal_unit=UNIT))
        session.commit()
    engine.dispose()


def _resident(browser, app_server, key: str, birth_year: int = 1985):
    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    _on_roll(app_server, login_as(app_server, context, key, birth_year=birth_year))
    return context


def _open_data(page, app_server, proposal_id: int) -> dict:
    data = page.request.get(app_server.url("/api/v1/proposals")).json()
    return next(p for p in data["proposals"] if p["id"] == proposal_id)


def test_propose_support_past_threshold_answer_with_consultation(app_server, browser):
    contexts = []
    try:
        # --- a verified resident proposes, by keyboard -------------------------------------------
        author = _resident(browser, app_server, "prop-author", 1990)
        contexts.append(author)
        page = author.new_page()
        page.goto(app_server.url("/proposals/new"))
        wait_ready(page)
        expect(page.get_by_role("heading", name="Νέα πρόταση")).to_be_visible()
        page.get_by_label("Τίτλος").focus()
        page.keyboard.type(TITLE)
        page.keyboard.press("Tab")
        expect(page.get_by_label("Η πρότασή σας")).to_be_focused()
        page.keyboard.type(BODY)
        page.keyboard.press("Tab")
        expect(page.get_by_label("Περιοχή που αφορά")).to_be_focused()
        page.get_by_label("Περιοχή που αφορά").select_option(UNIT)
        assert_accessible(page, "new proposal")
        page.get_by_role("button", name="Υποβολή πρότασης").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/proposals/\d+\?new=1"))
        wait_ready(page)
        proposal_id = int(re.search(r"/proposals/(\d+)", page.url).group(1))
        expect(page.locator("#main h1")).to_have_text(TITLE)
        expect(page.get_by_text("Η πρότασή σας δημοσιεύτηκε", exact=False)).to_be_visible()
        expect(page.locator(".status-badge")).to_have_text("Συλλέγει υποστηρίξεις")
        data = _open_data(page, app_server, proposal_id)
        threshold = data["threshold"]
        assert data["area"] == UNIT and data["supports"] == 0 and data["status"] == "collecting"
        assert threshold == -(-int(float(data["share"]) * 1000) * data["residents"] // 1000)  # ceil(p × residents)
        expect(page.get_by_text(f"0 από {threshold} υποστηρίξεις")).to_be_visible()
        expect(page.locator("progress")).to_have_attribute("max", str(threshold))
        # one's own proposal offers no support button
        expect(page.get_by_role("button", name="Υποστηρίζω την πρόταση")).to_have_count(0)
        assert_accessible(page, "proposal page (author)")

        # --- other verified residents support it past the threshold ------------------------------
        for n in range(threshold):
            context = _resident(browser, app_server, f"prop-supporter-{n}", 1950 + 10 * n)
            contexts.append(context)
            p = context.new_page()
            p.goto(app_server.url(f"/proposals/{proposal_id}"))
            wait_ready(p)
            button = p.get_by_role("button", name="Υποστηρίζω την πρόταση")
            button.focus()
            p.keyboard.press("Enter")
            expect(p.get_by_text("η υποστήριξή σας καταγράφηκε", exact=False)).to_be_visible()
            expect(p.get_by_text("Υποστηρίζετε αυτή την πρόταση.")).to_be_visible()
            expect(p.get_by_text(f"{n + 1} από {threshold} υποστηρίξεις")).to_be_visible()
            if n == 0:
                assert_accessible(p, "proposal page (supporter)")
        expect(p.locator(".status-badge")).to_have_text("Έφτασε το όριο · αναμένει απάντηση")
        expect(p.get_by_text("Ο Δήμος οφείλει να απαντήσει έως", exact=False)).to_be_visible()
        data = _open_data(p, app_server, proposal_id)
        assert data["status"] == "reached" and data["supports"] == threshold and data["answer_due_at"]

        # --- the list, filtered by area ---------------------------------------------------------
        p.goto(app_server.url("/proposals"))
        wait_ready(p)
        p.get_by_label("Περιοχή").select_option(UNIT)
        card = p.locator(".proposal-card", has_text=TITLE)
        expect(card).to_be_visible()
        expect(card.get_by_text(f"{threshold} από {threshold} υποστηρίξεις")).to_be_visible()
        assert_accessible(p, "proposals list")

        # --- staff answer by opening the demo consultation ---------------------------------------
        staff = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
        contexts.append(staff)
        login_as(app_server, staff, "prop-admin", roles=(Role.ADMINISTRATOR,))
        s = staff.new_page()
        consultations = s.request.get(app_server.url("/api/v1/consultations")).json()["consultations"]
        beaches = next(c["id"] for c in consultations if c["title"] == BEACHES)
        s.goto(app_server.url(f"/proposals/{proposal_id}"))
        wait_ready(s)
        expect(s.get_by_role("heading", name="Διαχείριση πρότασης")).to_be_visible()
        s.get_by_label("Κείμενο απάντησης").fill("Η πρόταση μπαίνει στο άρθρο «Προσβασιμότητα» του κανονισμού "
                                                 "των παραλιών: σχολιάστε τη διατύπωση στη διαβούλευση.")
        s.get_by_label("Η απάντηση ανοίγει").select_option(f"consultation:{beaches}")
        assert_accessible(s, "proposal page (staff)")
        s.get_by_role("button", name="Δημοσίευση απάντησης").click()
        expect(s.get_by_text("Η απάντηση δημοσιεύτηκε.")).to_be_visible()
        expect(s.locator(".status-badge")).to_have_text("Απαντήθηκε")

        # --- the proposal links to the consultation, and back ------------------------------------
        page.goto(app_server.url(f"/proposals/{proposal_id}"))
        wait_ready(page)
        expect(page.get_by_role("heading", name="Η απάντηση του Δήμου")).to_be_visible()
        answer_link = page.locator("#answer-link")
        expect(answer_link).to_have_text(BEACHES)
        expect(answer_link).to_have_attribute("href", f"/consultations/{beaches}")
        answer_link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/consultations/{beaches}$"))
        wait_ready(page)
        back = page.locator(".proposal-backlinks a", has_text=TITLE)
        expect(back).to_have_attribute("href", f"/proposals/{proposal_id}")
        assert_accessible(page, "consultation with its proposal")
        data = _open_data(page, app_server, proposal_id)
        assert data["status"] == "answered" and data["link_url"] == f"/consultations/{beaches}"
        assert data["answered_on_time"] is True

        # --- the measurement section ----------------------------------------------------------
        page.goto(app_server.url("/measurement"))
        wait_ready(page)
        section = page.locator("#proposals-figures")
        expect(section.get_by_role("heading", name="Απαντήσεις εντός προθεσμίας")).to_be_visible()
        expect(section.get_by_role("link", name="Λήψη συμμετοχής (CSV)")).to_have_attribute(
            "href", "/api/v1/proposals/participation?format=csv")
        expect(section.locator("tbody tr", has_text=UNIT)).to_have_count(1)
    finally:
        for context in contexts:
            context.close()


VOTE_TITLE = "Χώρος για σκύλους στη Φοίνικα"
VOTE_BODY = ("Προτείνω έναν περιφραγμένο χώρο για σκύλους στη Φοίνικα, με βρύση, σκιά και κάδους, "
             "ώστε τα ζώα να τρέχουν ελεύθερα χωρίς να ενοχλούν τους λουόμενους.")


def _proposal_by(app_server, person_id: int) -> int:
    """A proposal written through the proposals' own action, by a verified resident."""
    from sqlmodel import Session

    from syros_app.core.db import make_engine
    from syros_app.identity.models import Person
    from syros_app.identity.sessions import actor_for
    from syros_app.opengov.proposals import actions

    _on_roll(app_server, person_id)
    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    with Session(engine) as session:
        author = actor_for(session, session.get(Person, person_id))
        proposal = actions.create_proposal(session, actor=author, title=VOTE_TITLE, body=VOTE_BODY, area=UNIT)
        session.commit()
        proposal_id = proposal.id
    engine.dispose()
    return proposal_id


def test_an_answer_prepares_a_draft_vote_linked_both_ways(app_server, browser):
    contexts = [browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True) for _ in range(3)]
    admin_ctx, moderator_ctx, visitor_ctx = contexts
    try:
        author_ctx = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
        contexts.append(author_ctx)
        proposal_id = _proposal_by(app_server, login_as(app_server, author_ctx, "vote-prop-author", birth_year=1975))

        # a moderator answers, but may not create a vote or a consultation: no such choice
        login_as(app_server, moderator_ctx, "prop-moderator", roles=(Role.MODERATOR,))
        m = moderator_ctx.new_page()
        m.goto(app_server.url(f"/proposals/{proposal_id}"))
        wait_ready(m)
        expect(m.get_by_role("heading", name="Διαχείριση πρότασης")).to_be_visible()
        options = m.get_by_label("Η απάντηση ανοίγει").locator("option")
        expect(options.filter(has_text="Νέα ψηφοφορία")).to_have_count(0)

        # an administrator answers by preparing a vote, by keyboard
        login_as(app_server, admin_ctx, "prop-admin", roles=(Role.ADMINISTRATOR,))
        s = admin_ctx.new_page()
        s.goto(app_server.url(f"/proposals/{proposal_id}"))
        wait_ready(s)
        s.get_by_label("Κείμενο απάντησης").fill("Θα ρωτήσουμε τους κατοίκους της Ποσειδωνίας με ψηφοφορία "
                                                 "πριν αποφασίσει το δημοτικό συμβούλιο.")
        s.get_by_label("Η απάντηση ανοίγει").select_option("new:vote")
        assert_accessible(s, "proposal page (administrator, new vote)")
        s.get_by_role("button", name="Δημοσίευση απάντησης").focus()
        s.keyboard.press("Enter")
        expect(s.get_by_text("δημιουργήθηκε πρόχειρη ψηφοφορία", exact=False)).to_be_visible()
        answer_link = s.locator("#answer-link")
        expect(answer_link).to_have_text(VOTE_TITLE)  # staff see the draft
        href = answer_link.get_attribute("href")
        vote_id = int(re.search(r"/votes/(\d+)$", href).group(1))

        # the draft vote's page names the proposal it came from
        answer_link.click()
        s.wait_for_url(re.compile(rf"/votes/{vote_id}$"))
        wait_ready(s)
        back = s.locator(".proposal-backlinks a", has_text=VOTE_TITLE)
        expect(back).to_have_attribute("href", f"/proposals/{proposal_id}")

        # the public sees the answer, and that the vote is being prepared (no link to a draft)
        v = visitor_ctx.new_page()
        v.goto(app_server.url(f"/proposals/{proposal_id}"))
        wait_ready(v)
        expect(v.get_by_text("σε προετοιμασία", exact=False)).to_be_visible()
        expect(v.locator("#answer-link")).to_have_count(0)
        assert_accessible(v, "answered proposal, vote in preparation")
        data = _open_data(v, app_server, proposal_id)
        assert data["status"] == "answered" and data["link_url"] == f"/votes/{vote_id}"
    finally:
        for context in contexts:
            context.close()

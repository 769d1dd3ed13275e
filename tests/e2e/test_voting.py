"""Voting end to end at phone size: staff set up two votes, residents vote and keep
their trackers, an outsider is told why not, results are published and every
tracker is found in the published list. axe-core on every page.

Every vote staff create is encrypted and cannot open before its key ceremony (checked
here on the page); to exercise the plaintext paths that stay for votes published before
encrypted ballots, the two votes are then made legacy plaintext rows (``_make_legacy_plaintext``)."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, assert_accessible, login_as, set_language, wait_ready

pytestmark = pytest.mark.e2e

TRACKER = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")
ROLL = "Α. Κατάλογος δοκιμής e2e"


def _db(app_server):
    from syros_app.core.db import make_engine

    return make_engine(app_server.env["SYROS_DATABASE_URL"])


def _make_roll(app_server, members: dict[str, str]) -> None:
    """Insert a roll straight into the app's database (identity's upload UI is not under test here)."""
    import datetime as dt

    from sqlmodel import Session, select

    from syros_app.identity.hashing import taxid_hmac
    from syros_app.identity.models import VoterRoll, VoterRollEntry
    from tests.support.personas import TAXIDS

    secret = (app_server.data_dir / "secret_key").read_text().strip()
    engine = _db(app_server)
    with Session(engine) as session:
        if session.exec(select(VoterRoll).where(VoterRoll.name == ROLL)).first() is None:
            roll = VoterRoll(name=ROLL, created_at=dt.datetime.now(dt.timezone.utc), entry_count=len(members))
            session.add(roll)
            session.flush()
            for key, unit in members.items():
                session.add(VoterRollEntry(roll_id=roll.id, taxid_hmac=taxid_hmac(TAXIDS[key], secret=secret), municipal_unit=unit))
            session.commit()
    engine.dispose()


def _make_legacy_plaintext(app_server, title: str) -> int:
    """LEGACY DATA: make the vote titled ``title`` a plaintext vote, as votes were before encrypted
    ballots (no production path does this any more); its id."""
    from sqlmodel import Session, select

    from syros_app.voting.models import Vote

    engine = _db(app_server)
    with Session(engine) as session:
        vote = session.exec(select(Vote).where(Vote.title == title)).one()
        vote.encrypted = False
        session.add(vote)
        session.commit()
        vote_id = vote.id
    engine.dispose()
    return vote_id


def _vote_id(app_server, title: str) -> int:
    from sqlmodel import Session, select

    from syros_app.voting.models import Vote

    engine = _db(app_server)
    with Session(engine) as session:
        vote_id = session.exec(select(Vote.id).where(Vote.title == title)).one()
    engine.dispose()
    return vote_id


def _goto(page, url: str, label: str) -> None:
    page.goto(url)
    wait_ready(page)
    expect(page.locator(".site-main .muted[aria-live='polite']")).to_have_count(0)
    assert_accessible(page, label)


def _create(page, app_server, *, kind: str, title: str, question: str, options: list[tuple[str, str]], budget: str = "",
            document: bytes | None = None) -> None:
    def remounted(action) -> None:
        """The form is re-created (fresh default values) after these actions: wait for it."""
        before = page.evaluate("() => document.getElementById('vote-form')?.dataset.version ?? null")
        action()
        page.wait_for_function(
            "(v) => { const f = document.getElementById('vote-form'); return f && f.dataset.version !== v; }", arg=before)

    remounted(lambda: page.get_by_role("button", name="Νέα ψηφοφορία", exact=True).click())
    if kind != "yes_no":
        remounted(lambda: page.locator("#vote-kind").select_option(kind))
        expect(page.locator("#option-title-2")).to_be_visible()
    page.locator("#vote-title").fill(title)
    page.locator("#vote-question").fill(question)
    page.locator("#vote-explanation").fill("Κείμενο που εξηγεί το θέμα στους δημότες.")
    page.locator("#vote-roll").select_option(label=f"{ROLL} (2)")
    if budget:
        page.locator("#vote-budget").fill(budget)
    for n, (option, cost) in enumerate(options):
        page.locator(f"#option-title-{n}").fill(option)
        if cost:
            page.locator(f"#option-cost-{n}").fill(cost)
    page.locator("#save-vote").click()
    expect(page.locator(".alert.success")).to_have_text("Αποθηκεύτηκε.")
    if document is not None:  # a plain multipart form, back to this vote's panel
        page.locator("#document-file").set_input_files(files=[{"name": "meleti.pdf", "mimeType": "application/pdf", "buffer": document}])
        page.get_by_role("button", name="Ανέβασμα εγγράφου").click()
        expect(page.locator(".alert.success")).to_have_text("Το έγγραφο αποθηκεύτηκε.")
        wait_ready(page)
    from datetime import timedelta

    from syros_app.core.timefmt import ATHENS, utcnow

    # every new vote is encrypted: the page says why it cannot open, and opening is refused
    expect(page.locator("#key-reason")).to_have_text(
        "Η ψηφοφορία είναι κρυπτογραφημένη: δεν μπορεί να ανοίξει πριν οριστούν θεματοφύλακες και δημιουργήσουν το κλειδί της.")
    page.locator("#open-closes-at").fill((utcnow() + timedelta(days=7)).astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#open-now").click()
    page.get_by_role("dialog").get_by_role("button", name="Ναι, άνοιγμα τώρα").click()
    expect(page.locator(".alert.error")).to_have_text(
        "Οι θεματοφύλακες δεν έχουν ακόμη δημιουργήσει το κλειδί της ψηφοφορίας.")
    vote_id = _make_legacy_plaintext(app_server, title)
    _goto(page, app_server.url(f"/staff/votes?vote={vote_id}"), "staff: legacy plaintext vote")
    expect(page.locator("#key-reason")).to_have_count(0)
    page.locator("#open-now").click()  # opening needs an end date, said beside the field
    expect(page.locator("#open-closes-at-error")).to_have_text("Ορίστε πότε κλείνει η ψηφοφορία πριν την ανοίξετε.")
    page.locator("#open-closes-at").fill((utcnow() + timedelta(days=7)).astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#open-now").click()
    page.get_by_role("dialog").get_by_role("button", name="Ναι, άνοιγμα τώρα").click()
    expect(page.locator(".alert.success")).to_have_text("Η ψηφοφορία άνοιξε.")


def _cast(page, app_server, vote_id: int, choices: list[str], label: str) -> str:
    _goto(page, app_server.url(f"/votes/{vote_id}"), f"vote {vote_id} ({label})")
    for choice in choices:
        page.locator(".choice-label", has_text=choice).click()
    page.get_by_role("button", name="Συνέχεια στον έλεγχο").click()
    expect(page.get_by_role("heading", name="Ελέγξτε την ψήφο σας")).to_be_visible()
    for choice in choices:
        expect(page.locator(".review-list")).to_contain_text(choice)
    expect(page.locator(".alert.warning")).to_have_text("Η ψήφος δεν αλλάζει μετά την υποβολή.")
    assert_accessible(page, f"review {vote_id} ({label})")
    page.get_by_role("button", name="Υποβολή ψήφου").click()
    tracker = page.locator("code.tracker")
    expect(tracker).to_have_text(TRACKER)
    assert_accessible(page, f"tracker {vote_id} ({label})")
    with page.expect_download() as download:
        page.get_by_role("button", name="Λήψη ως αρχείο").click()
    text = tracker.inner_text()
    assert text in download.value.path().read_text(encoding="utf-8")
    return text


def test_staff_set_up_residents_vote_results_and_trackers_check_out(app_server, browser, context, page):
    _make_roll(app_server, {"eleni": "Ερμούπολη", "nikos": "Άνω Σύρος"})

    # --- staff: a referendum and a budget vote, for the roll -----------------------------------
    login_as(app_server, context, "admin", roles=("administrator",), display_name="Υπάλληλος Δήμου")
    _goto(page, app_server.url("/staff/votes"), "staff votes")
    _create(page, app_server, kind="yes_no", title="E2E Δημοψήφισμα λιμανιού", question="Να γίνει πεζόδρομος η προκυμαία;", options=[],
            document=b"%PDF-1.4\n% e2e\n")
    assert_accessible(page, "staff: referendum open")
    _create(page, app_server, kind="budget", title="E2E Προϋπολογισμός γειτονιάς", question="Ποια έργα;", budget="100000",
            options=[("Παγκάκια στην πλατεία Μιαούλη", "30000"), ("Φωτισμός στα Βαπόρια", "60000"), ("Βρύση στην Άνω Σύρο", "20000")])
    referendum, budget = _vote_id(app_server, "E2E Δημοψήφισμα λιμανιού"), _vote_id(app_server, "E2E Προϋπολογισμός γειτονιάς")

    # --- two eligible residents vote --------------------------------------------------------------
    trackers: dict[str, list[str]] = {}
    for key, ref_choice, budget_choices in (("eleni", "Ναι", ["Παγκάκια στην πλατεία Μιαούλη", "Φωτισμός στα Βαπόρια"]),
                                            ("nikos", "Όχι", ["Βρύση στην Άνω Σύρο"])):
        resident_context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True, accept_downloads=True)
        resident = resident_context.new_page()
        login_as(app_server, resident_context, key)
        ref_tracker = _cast(resident, app_server, referendum, [ref_choice], key)
        if key == "eleni":
            doc = resident.request.get(app_server.url(f"/api/v1/votes/{referendum}/document.pdf"))
            assert doc.ok and doc.body().startswith(b"%PDF-")
            expect(resident.get_by_role("link", name="Διαβάστε το συνοδευτικό έγγραφο (PDF)")).to_be_visible()
        if key == "eleni":  # the budget screen shows what is left as you choose
            _goto(resident, app_server.url(f"/votes/{budget}"), "budget vote")
            expect(resident.locator(".budget-meter")).to_contain_text("100.000 €")
            resident.locator(".choice-label", has_text="Φωτισμός στα Βαπόρια").click()
            expect(resident.locator(".budget-meter")).to_contain_text("40.000 €")
            resident.locator(".choice-label", has_text="Βρύση στην Άνω Σύρο").click()
            resident.locator(".choice-label", has_text="Παγκάκια στην πλατεία Μιαούλη").click()
            expect(resident.locator(".over-budget").first).to_be_visible()
            resident.get_by_role("button", name="Συνέχεια στον έλεγχο").click()
            expect(resident.locator(".alert.error")).to_contain_text("110.000")
            resident.locator(".choice-label", has_text="Βρύση στην Άνω Σύρο").click()
            expect(resident.locator(".budget-meter")).to_contain_text("10.000 €")
        budget_tracker = _cast(resident, app_server, budget, budget_choices, key)
        trackers[key] = [ref_tracker, budget_tracker]
        # a second visit: already voted, and "my votes" shows that (and the tracker), never what
        _goto(resident, app_server.url(f"/votes/{referendum}"), "already voted")
        expect(resident.locator("#ineligible-reason")).to_contain_text("Έχετε ήδη ψηφίσει")
        _goto(resident, app_server.url("/my-votes"), "my votes")
        for tracker in trackers[key]:
            expect(resident.locator("code.tracker", has_text=tracker)).to_be_visible()
        resident_context.close()

    # --- an ineligible resident and a visitor see exactly why not ----------------------------------
    outsider_context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    outsider = outsider_context.new_page()
    login_as(app_server, outsider_context, "maria")
    _goto(outsider, app_server.url(f"/votes/{referendum}"), "not on the roll")
    expect(outsider.locator("#ineligible-reason")).to_have_text("Δεν είστε εγγεγραμμένοι στον κατάλογο ψηφοφόρων αυτής της ψηφοφορίας.")
    expect(outsider.locator(".choice-input")).to_have_count(0)
    set_language(outsider, "en")
    expect(outsider.locator("#ineligible-reason")).to_have_text("You are not on the voter roll of this vote.")
    assert_accessible(outsider, "not on the roll (en)")
    outsider_context.close()
    visitor_context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    visitor = visitor_context.new_page()
    _goto(visitor, app_server.url(f"/votes/{referendum}"), "visitor")
    expect(visitor.locator("#ineligible-reason")).to_contain_text("πρέπει να συνδεθείτε")
    expect(visitor.get_by_role("link", name="Σύνδεση με gov.gr για να ψηφίσετε")).to_have_attribute(
        "href", f"/auth/login?next=/votes/{referendum}")
    _goto(visitor, app_server.url(f"/votes/{referendum}/results"), "results before publication")
    expect(visitor.locator(".empty-state")).to_have_text("Τα αποτελέσματα δεν έχουν δημοσιευθεί ακόμη.")

    # --- staff close (early: a reason is required, beside its field) and publish, each confirmed ------
    for vote_id in (referendum, budget):
        _goto(page, app_server.url(f"/staff/votes?vote={vote_id}"), f"staff manage {vote_id}")
        dialog = page.get_by_role("dialog")
        page.locator("#close-vote").click()
        dialog.get_by_role("button", name="Ναι, κλείσιμο τώρα").click()
        expect(page.locator("#confirm-step-reason-error")).to_have_text("Για πρόωρο κλείσιμο χρειάζεται αιτιολογία.")
        page.locator("#confirm-step-reason").fill("Τέλος της δοκιμαστικής περιόδου.")
        dialog.get_by_role("button", name="Ναι, κλείσιμο τώρα").click()
        expect(page.locator(".alert.success")).to_have_text("Η ψηφοφορία έκλεισε.")
        assert_accessible(page, f"staff closed {vote_id}")
        page.locator("#publish-vote").click()
        dialog.get_by_role("button", name="Ναι, δημοσίευση").click()
        expect(page.locator(".alert.success")).to_have_text("Τα αποτελέσματα δημοσιεύθηκαν.")

    # --- results and the published list --------------------------------------------------------------
    _goto(visitor, app_server.url(f"/votes/{referendum}/results"), "referendum results")
    expect(visitor.locator(".results-table").last.locator("tbody tr")).to_have_count(2)
    expect(visitor.locator(".results-table").last).to_contain_text(re.compile(r"50,0\s%"))  # Greek: decimal comma, spaced %
    _goto(visitor, app_server.url(f"/votes/{budget}/results"), "budget results")
    expect(visitor.locator(".badge.winner")).to_have_count(2)  # one vote each: cheaper first → Βρύση (20k) + Παγκάκια (30k); Φωτισμός (60k) no longer fits
    set_language(visitor, "en")
    assert_accessible(visitor, "budget results (en)")
    set_language(visitor, "el")
    for n, vote_id in enumerate((referendum, budget)):
        with urllib.request.urlopen(app_server.url(f"/api/v1/votes/{vote_id}/ballots.csv")) as response:
            published = response.read().decode()
        _goto(visitor, app_server.url(f"/votes/{vote_id}/check"), f"check {vote_id}")
        for key in ("eleni", "nikos"):
            tracker = trackers[key][n]
            assert tracker in published
            visitor.locator("#tracker-input").fill(tracker.lower().replace("-", " "))
            visitor.get_by_role("button", name="Αναζήτηση").click()
            expect(visitor.locator("#check-result")).to_contain_text(tracker)
        visitor.locator("#tracker-input").fill("AAAA-BBBB-CCCC-DDDD")
        visitor.get_by_role("button", name="Αναζήτηση").click()
        expect(visitor.locator("#check-result")).to_contain_text("δεν βρέθηκε")
        assert_accessible(visitor, f"check result {vote_id}")
    _goto(visitor, app_server.url("/votes"), "votes list")
    expect(visitor.get_by_role("link", name="Το μέλλον του παραλιακού μετώπου του Νεωρίου")).to_be_visible()
    set_language(visitor, "en")
    assert_accessible(visitor, "votes list (en)")
    visitor_context.close()

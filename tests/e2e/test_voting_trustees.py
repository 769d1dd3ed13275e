"""The whole encrypted vote with its trustees, in Chromium at phone size: staff name three
trustees (k = 2) on the staff page; each trustee runs the offline tool and pastes its output on
their trustee page, under "the offline command" (transport key, then commitments + sealed shares); staff open the vote; two
residents vote (one audits first); staff close; two trustees decrypt; staff publish; the record
verifies, and a record with one altered ciphertext, proof or count fails. axe-core on the pages."""

from __future__ import annotations

import json
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from syros_app.core.timefmt import ATHENS, utcnow
from tests.unit.voting.crypto.helpers import assert_each_alteration_fails

from .conftest import assert_accessible, login_as, wait_ready

PASS = b"trustee passphrase for the e2e test"


def _draft(app_server) -> tuple[int, dict[str, int]]:
    """A draft yes/no vote on the stand-in's roll, and the person ids of the would-be trustees."""
    from syros_app.core.db import make_engine
    from syros_app.identity.hashing import taxid_hmac
    from syros_app.identity.models import Person
    from syros_app.identity.stand_in import demo_resident
    from syros_app.voting import actions
    from syros_app.voting.actions import OptionInput
    from syros_app.voting.demo import DEMO_STAFF, _stand_in_roll

    secret = (app_server.data_dir / "secret_key").read_text().strip()
    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    with Session(engine, expire_on_commit=False) as session:
        vote = actions.create_vote(session, actor=DEMO_STAFF, title="Ωράριο της δημοτικής βιβλιοθήκης",
                                   question="Να μένει ανοιχτή η βιβλιοθήκη τα Σάββατα;", kind="yes_no",
                                   roll_id=_stand_in_roll(session).id,
                                   options=[OptionInput("Ναι"), OptionInput("Όχι")])
        session.commit()
        ids = {key: session.exec(select(Person.id).where(
            Person.taxid_hmac == taxid_hmac(demo_resident(key).taxid, secret=secret))).one() for key in ("giorgos", "maria")}
    engine.dispose()
    return vote.id, ids


def _as(browser, app_server, key: str, **login) -> Page:
    from syros_app.identity.stand_in import demo_resident

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="el-GR", is_mobile=True, has_touch=True)
    resident = demo_resident(key)
    if resident is not None:
        login = {"taxid": resident.taxid, "birth_year": resident.birth_year, **login}
    page = context.new_page()
    page.person_id = login_as(app_server, context, key, **login)  # which candidate this page is
    return page


def _kit(page: Page, app_server, vote_id: int) -> dict:
    response = page.request.get(app_server.url(f"/api/v1/votes/{vote_id}/trustee-kit.json"))
    assert response.ok
    return response.json()


def _paste(page: Page, app_server, vote_id: int, output: dict, label: str) -> None:
    page.goto(app_server.url(f"/votes/{vote_id}/trustee"))
    wait_ready(page)
    expect(page.locator("#trustee-step")).to_be_visible()
    page.locator("summary", has_text="Ή με την εντολή εκτός σύνδεσης").click()  # the offline command, beside the browser
    assert_accessible(page, f"trustee page ({label})")
    page.locator("#trustee-output").fill(json.dumps(output))
    page.get_by_role("button", name="Καταχώριση").click()
    expect(page.locator(".alert.success")).to_have_text("Καταχωρίστηκε· οι αποδείξεις επαληθεύτηκαν.")


def _staff_step(staff: Page, app_server, vote_id: int, button: str, confirm: str, reason: str = "") -> None:
    """A staff step on the vote's page, confirmed in the dialog (with the reason it asks for)."""
    staff.goto(app_server.url(f"/staff/votes?vote={vote_id}"))
    wait_ready(staff)
    staff.locator(button).click()
    dialog = staff.get_by_role("dialog")
    if reason:
        dialog.locator("#confirm-step-reason").fill(reason)
    dialog.get_by_role("button", name=confirm).click()
    expect(staff.locator(".alert.success")).to_be_visible()


def _vote(page: Page, app_server, vote_id: int, answer: str, *, audit_first: bool) -> str:
    page.goto(app_server.url(f"/votes/{vote_id}"))
    wait_ready(page)
    for attempt in range(2 if audit_first else 1):
        page.locator(".choice-label", has_text=answer).click()
        page.locator("#seal-button").click()
        expect(page.locator("#cast-button")).to_be_visible()
        if audit_first and attempt == 0:
            page.locator("#challenge-button").click()
            expect(page.locator("#audit-result")).to_contain_text(answer)
    receipt = page.locator("code.receipt-pending").inner_text().strip()
    page.locator("#cast-button").click()
    expect(page.locator("code.tracker")).to_have_text(receipt)
    return receipt


def test_trustees_key_ceremony_vote_tally_and_record(app_server, browser, tmp_path):
    from syros_app.voting import trustee
    from syros_app.voting.crypto import group as g
    from syros_app.voting.crypto import record as rec

    vote_id, people = _draft(app_server)
    staff = _as(browser, app_server, "moderator", roles=("administrator",), display_name="Υπάλληλος Δήμου")
    staff.goto(app_server.url(f"/staff/votes?vote={vote_id}"))
    wait_ready(staff)
    # the candidates arrive with the page's state, after the first paint: wait for them
    staff.wait_for_function("() => document.querySelectorAll('#trustee-0 option').length > 3")
    options = staff.locator("#trustee-0 option")
    values = [v for v in options.evaluate_all("els => els.map(e => e.value)") if v]
    assert str(people["giorgos"]) in values and str(people["maria"]) in values
    moderator_id = str(staff.person_id)  # the staff member on this page (other tests add more staff)
    assert moderator_id in values
    staff.locator("#trustee-threshold").fill("2")
    for n, person in enumerate((people["giorgos"], people["maria"], moderator_id)):
        staff.locator(f"#trustee-{n}").select_option(str(person))
    staff.locator("#save-trustees").click()
    expect(staff.locator(".alert.success")).to_have_text("Οι θεματοφύλακες ορίστηκαν.")
    expect(staff.locator("#key-status")).to_contain_text("δεν είναι ακόμη έτοιμο")
    assert_accessible(staff, "staff page with trustees")

    trustees = [_as(browser, app_server, "giorgos"), _as(browser, app_server, "maria"), staff]
    keys = [tmp_path / f"trustee-{n}.key" for n in (1, 2, 3)]
    for n, (page, key) in enumerate(zip(trustees, keys), start=1):
        _paste(page, app_server, vote_id, trustee.init(key, PASS), f"trustee {n}, transport key")
    for n, (page, key) in enumerate(zip(trustees, keys), start=1):
        _paste(page, app_server, vote_id, trustee.deal(key, _kit(page, app_server, vote_id), PASS),
               f"trustee {n}, commitments")
    staff.goto(app_server.url(f"/staff/votes?vote={vote_id}"))
    wait_ready(staff)
    expect(staff.locator("#key-status")).to_have_text("Το κλειδί της ψηφοφορίας είναι έτοιμο.")
    staff.locator("#open-closes-at").fill((utcnow() + timedelta(days=7)).astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M"))
    staff.locator("#open-now").click()
    staff.get_by_role("dialog").get_by_role("button", name="Ναι, άνοιγμα τώρα").click()
    expect(staff.locator(".alert.success")).to_have_text("Η ψηφοφορία άνοιξε.")

    receipts = [_vote(_as(browser, app_server, "nikos"), app_server, vote_id, "Ναι", audit_first=True),
                _vote(_as(browser, app_server, "eftychia"), app_server, vote_id, "Όχι", audit_first=False)]
    staff.goto(app_server.url(f"/votes/{vote_id}/board"))  # cast ballots, and the audited one apart
    wait_ready(staff)
    for receipt in receipts:
        expect(staff.locator(".board-list")).to_contain_text(receipt)
    expect(staff.locator(".spoiled-list li")).to_have_count(1)
    assert_accessible(staff, "bulletin board with an audited ballot")
    _staff_step(staff, app_server, vote_id, "#close-vote", "Ναι, κλείσιμο τώρα", reason="Τέλος της δοκιμής")
    for n in (1, 3):  # trustee 2 is away: 2 of 3 suffice
        page = trustees[n - 1]
        _paste(page, app_server, vote_id, trustee.decrypt(keys[n - 1], _kit(page, app_server, vote_id), PASS),
               f"trustee {n}, partial decryption")
    _staff_step(staff, app_server, vote_id, "#publish-vote", "Ναι, δημοσίευση")

    staff.goto(app_server.url(f"/votes/{vote_id}/results"))
    wait_ready(staff)
    assert_accessible(staff, "results of the encrypted vote")
    results = staff.request.get(app_server.url(f"/api/v1/votes/{vote_id}/results.json")).json()
    assert [o["votes"] for o in results["options"]] == [1, 1] and results["ballots"] == 2
    files = rec.read_archive(staff.request.get(app_server.url(f"/api/v1/votes/{vote_id}/record")).body())
    report = rec.verify(files)
    assert report.spoiled == 1 and report.trustees_decrypting == [1, 3]
    assert sorted(e["fingerprint"] for e in files["ballots.json"]) and len(receipts) == 2
    assert_each_alteration_fails(files, (
        lambda f: f["ballots.json"][0]["ballot"]["selections"][1].update(beta=g.base(5).hex()),
        lambda f: f["ballots.json"][1]["ballot"]["selections"][0]["proof"]["z"].reverse(),
        lambda f: f["tally.json"]["options"][1].update(votes=2),
    ))

"""The key ceremony's complaints and k-of-n completion, in Chromium at phone size: of three
trustees (k = 2) one never deals; another seals a wrong share, the recipient's check step, run in
its browser with the key file the offline command made, posts the complaint the offline `check`
writes, then finds nothing more; the accused answers in its browser by revealing the share (what
the offline `answer` writes); staff see each trustee's standing, complete the key with the two who dealt (confirmed); a resident votes; the trustee who
never dealt decrypts with another; the record (QUAL, the answered complaint) verifies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from syros_app.core.timefmt import ATHENS, utcnow

from .conftest import assert_accessible, wait_ready
from .test_voting_browser_trustees import SLOW, _run
from .test_voting_trustees import PASS, _as, _draft, _kit, _paste, _staff_step, _vote

pytestmark = pytest.mark.e2e


def _name_trustees(app_server, vote_id: int, people: list[int]) -> None:
    """The trustees named straight in the database (the staff page's naming has its own test)."""
    from syros_app.core.db import make_engine
    from syros_app.voting import encrypted
    from syros_app.voting.demo import DEMO_STAFF

    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    with Session(engine) as session:
        encrypted.set_trustees(session, actor=DEMO_STAFF, vote_id=vote_id, threshold=2, trustees=[
            encrypted.TrusteeInput(f"Θεματοφύλακας {n}", person) for n, person in enumerate(people, start=1)])
        session.commit()
    engine.dispose()


def _trustee_page(page: Page, app_server, vote_id: int, label: str) -> None:
    page.goto(app_server.url(f"/votes/{vote_id}/trustee"))
    wait_ready(page)
    expect(page.locator("#trustee-step")).to_be_visible()
    assert_accessible(page, label)


def test_complaint_answer_and_completing_the_key_with_k_of_n(app_server, browser, tmp_path):
    from syros_app.voting import trustee
    from syros_app.voting.crypto import record as rec

    vote_id, _ = _draft(app_server)
    staff = _as(browser, app_server, "moderator", roles=("administrator",), display_name="Υπάλληλος Δήμου")
    trustees = [_as(browser, app_server, key) for key in ("giorgos", "maria", "eftychia")]
    _name_trustees(app_server, vote_id, [t.person_id for t in trustees])
    keys = [tmp_path / f"ceremony-{n}.key" for n in (1, 2, 3)]
    for n, (page, key) in enumerate(zip(trustees, keys), start=1):
        _paste(page, app_server, vote_id, trustee.init(key, PASS), f"ceremony trustee {n}, transport key")
    deals = [trustee.deal(key, _kit(trustees[0], app_server, vote_id), PASS) for key in keys[:2]]
    deals[1]["sealed_shares"]["1"] = deals[1]["sealed_shares"]["3"]  # trustee 2 seals a wrong share to 1
    for n, out in enumerate(deals, start=1):  # trustee 3 never deals
        _paste(trustees[n - 1], app_server, vote_id, out, f"ceremony trustee {n}, commitments")

    # trustee 1: the check step, in the browser with the offline key, finds the wrong share and
    # posts the complaint the offline command writes; run again, it finds nothing more to post
    assert trustee.check(keys[0], _kit(trustees[0], app_server, vote_id), PASS) == {"step": "complaint", "dealer": 2}
    _trustee_page(trustees[0], app_server, vote_id, "trustee 1, check step")
    expect(trustees[0].locator("#trustee-step")).to_contain_text("έλεγχος των μεριδίων")
    _run(trustees[0], PASS.decode(), key_file=keys[0])
    expect(trustees[0].locator("#complaints")).to_contain_text("περιμένει απάντηση")
    assert [(c["dealer"], c["complainant"]) for c in _kit(trustees[0], app_server, vote_id)["complaints"]] == [(2, 1)]
    trustees[0].locator("#trustee-passphrase").fill(PASS.decode())
    trustees[0].locator("#trustee-key-file").set_input_files(str(keys[0]))
    trustees[0].locator("#trustee-run").click()
    expect(trustees[0].locator(".alert.success")).to_contain_text("δεν χρειάζεται διαμαρτυρία", timeout=SLOW)
    assert len(_kit(trustees[0], app_server, vote_id)["complaints"]) == 1

    staff.goto(app_server.url(f"/staff/votes?vote={vote_id}"))
    wait_ready(staff)
    expect(staff.locator(".trustee-list li").nth(1)).to_contain_text("διαμαρτυρία εναντίον του")
    expect(staff.locator("#key-reason")).to_contain_text("μια διαμαρτυρία περιμένει")
    expect(staff.locator("#complete-key")).to_have_count(0)

    # trustee 2: the answer step (in the browser, the offline key) reveals the share it dealt to 1
    answers = trustee.answer(keys[1], _kit(trustees[1], app_server, vote_id), PASS)
    _trustee_page(trustees[1], app_server, vote_id, "trustee 2, answer step")
    expect(trustees[1].locator("#trustee-step")).to_contain_text("απάντηση σε διαμαρτυρία")
    _run(trustees[1], PASS.decode(), key_file=keys[1])
    expect(trustees[1].locator("#complaints")).to_contain_text("απαντήθηκε")
    revealed = _kit(trustees[1], app_server, vote_id)["complaints"]
    assert [(c["complainant"], c["share"], c["status"]) for c in revealed] == [(1, answers["answers"]["1"], "answered")]

    # staff: 2 of 3 dealt validly, no complaint waits: complete the key (confirmed), then open
    staff.goto(app_server.url(f"/staff/votes?vote={vote_id}"))
    wait_ready(staff)
    expect(staff.locator("#key-reason")).to_contain_text("μπορείτε να ολοκληρώσετε")
    assert_accessible(staff, "staff page, key can be completed")
    _staff_step(staff, app_server, vote_id, "#complete-key", "Ναι, ολοκλήρωση")
    expect(staff.locator(".alert.success")).to_have_text("Το κλειδί της ψηφοφορίας ορίστηκε.")
    expect(staff.locator("#key-status")).to_have_text("Το κλειδί της ψηφοφορίας είναι έτοιμο.")
    staff.locator("#open-closes-at").fill((utcnow() + timedelta(days=7)).astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M"))
    staff.locator("#open-now").click()
    staff.get_by_role("dialog").get_by_role("button", name="Ναι, άνοιγμα τώρα").click()
    expect(staff.locator(".alert.success")).to_have_text("Η ψηφοφορία άνοιξε.")

    _vote(_as(browser, app_server, "nikos"), app_server, vote_id, "Ναι", audit_first=False)
    _staff_step(staff, app_server, vote_id, "#close-vote", "Ναι, κλείσιμο τώρα", reason="Τέλος της δοκιμής")
    for n in (1, 3):  # trustee 1 uses the revealed share; trustee 3 never dealt
        page = trustees[n - 1]
        _paste(page, app_server, vote_id, trustee.decrypt(keys[n - 1], _kit(page, app_server, vote_id), PASS),
               f"ceremony trustee {n}, partial decryption")
    _staff_step(staff, app_server, vote_id, "#publish-vote", "Ναι, δημοσίευση")
    files = rec.read_archive(staff.request.get(app_server.url(f"/api/v1/votes/{vote_id}/record")).body())
    assert files["manifest.json"]["qualified"] == [1, 2]
    assert [c["dealer"] for c in files["manifest.json"]["complaints"]] == [2]
    report = rec.verify(files)
    assert report.trustees_decrypting == [1, 3] and sorted(report.counts.values()) == [0, 1]

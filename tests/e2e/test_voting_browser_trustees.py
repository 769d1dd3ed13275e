"""Trustees in the browser, at phone size: staff find three residents by name and name them
(k = 2); each creates their key and deals on their trustee page, in Chromium (no passphrase ever
crosses the websocket); a resident casts; staff close; two trustees decrypt in the browser — one
with the key kept in that browser, one on a fresh device with the key file it downloaded — staff
publish, and ``voting verify`` passes on the record."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from syros_app.core.timefmt import ATHENS, utcnow

from .conftest import assert_accessible, wait_ready
from .test_voting_trustees import _as, _draft, _staff_step, _vote

SLOW = 90_000  # Argon2id over 64 MiB in JavaScript, on a shared machine
PASSPHRASES = {"stella": "Στέλλας μακρύ συνθηματικό", "nikos": "nikos-trustee-passphrase",
               "eftychia": "eftychia: a long passphrase"}
NAMES = {"stella": ("Στέλλα Μαραγκού", "μαραγκου"), "nikos": ("Νίκος Δελαγραμμάτικας", "ΔΕΛΑΓΡΑΜΜ"),
         "eftychia": ("Ευτυχία Βαβουλά", "βαβουλα")}
POSTED = "Καταχωρίστηκε· οι αποδείξεις επαληθεύτηκαν."


def _trustee_page(page: Page, app_server, vote_id: int) -> None:
    page.goto(app_server.url(f"/votes/{vote_id}/trustee"))
    wait_ready(page)
    expect(page.locator("#trustee-run")).to_be_visible()


def _run(page: Page, passphrase: str, *, confirm: str | None = None, key_file: Path | None = None,
         keep: Path | None = None) -> None:
    """Type the passphrase (and its confirmation / choose the key file), run the step in the browser,
    wait for the server's "posted"; ``keep``: save the key file the step downloads."""
    page.locator("#trustee-passphrase").fill(passphrase)
    if confirm is not None:
        page.locator("#trustee-passphrase-confirm").fill(confirm)
    if key_file is not None:
        page.locator("#trustee-key-file").set_input_files(str(key_file))
    if keep is None:
        page.locator("#trustee-run").click()
    else:
        with page.expect_download(timeout=SLOW) as download:
            page.locator("#trustee-run").click()
        download.value.save_as(keep)
    expect(page.locator(".alert.success")).to_have_text(POSTED, timeout=SLOW)


def test_trustees_create_deal_and_decrypt_in_the_browser(app_server, browser, tmp_path):
    vote_id, _ = _draft(app_server)
    trustees = {key: _as(browser, app_server, key, display_name=NAMES[key][0]) for key in NAMES}
    sent: list[str] = []  # every websocket frame trustee 1's page sends
    trustees["stella"].on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))

    staff = _as(browser, app_server, "moderator", roles=("administrator",), display_name="Υπάλληλος Δήμου")
    staff.goto(app_server.url(f"/staff/votes?vote={vote_id}"))
    wait_ready(staff)
    expect(staff.locator("#trustee-search")).to_be_visible()
    for key, (name, typed) in NAMES.items():  # residents, not staff: found by name on the server
        staff.locator("#trustee-search").fill(typed)
        staff.locator("#trustee-search-button").click()
        expect(staff.locator("#trustee-search-result")).to_contain_text(name)
        expect(staff.locator(f"#trustee-0 option[value='{trustees[key].person_id}']")).to_have_count(1)
    hostile = _as(browser, app_server, "xenia", display_name="Ξένια <img src=x onerror=window.__pwned=1>")
    staff.locator("#trustee-search").fill("ξενια")
    staff.locator("#trustee-search-button").click()  # a name is text, never markup
    expect(staff.locator("#trustee-search-result li")).to_have_text("Ξένια <img src=x onerror=window.__pwned=1>")
    expect(staff.locator(f"#trustee-0 option[value='{hostile.person_id}']")).to_have_count(1)
    assert staff.locator("#trustee-search-result img").count() == 0
    assert staff.evaluate("() => window.__pwned") is None
    staff.locator("#trustee-search").fill("Κανένας Τέτοιος")
    staff.locator("#trustee-search-button").click()
    expect(staff.locator("#trustee-search-result")).to_have_text("Κανείς με λογαριασμό δεν έχει τέτοιο όνομα.")
    assert_accessible(staff, "staff page, trustee search")
    staff.locator("#trustee-threshold").fill("2")
    for n, key in enumerate(NAMES):
        staff.locator(f"#trustee-{n}").select_option(str(trustees[key].person_id))
    staff.locator("#save-trustees").click()
    expect(staff.locator(".alert.success")).to_have_text("Οι θεματοφύλακες ορίστηκαν.")
    expect(staff.locator(".trustee-list")).to_contain_text(NAMES["eftychia"][0])

    kept = tmp_path / "eftychia.key"
    for key, page in trustees.items():  # 1. a key each, made in the browser
        if key == "stella":  # a named trustee finds the page among "my votes"
            page.goto(app_server.url("/my-votes"))
            wait_ready(page)
            page.locator(f".trustee-duties a[href='/votes/{vote_id}/trustee']").click()
            expect(page.locator("#trustee-run")).to_be_visible()
            wait_ready(page)
        else:
            _trustee_page(page, app_server, vote_id)
        if key == "stella":
            assert_accessible(page, "trustee page, create the key")
            page.locator("#trustee-passphrase").fill(PASSPHRASES[key])
            page.locator("#trustee-passphrase-confirm").fill(PASSPHRASES[key] + "!")
            page.locator("#trustee-run").click()
            expect(page.locator(".alert.error")).to_have_text("Τα δύο συνθηματικά διαφέρουν.")
        _run(page, PASSPHRASES[key], confirm=PASSPHRASES[key], keep=tmp_path / f"{key}-init.key")
        expect(page.locator("#trustee-step")).to_contain_text("διανομή")
    for key, page in trustees.items():  # 2. deal (the key file is updated and downloaded again)
        _trustee_page(page, app_server, vote_id)
        _run(page, PASSPHRASES[key], keep=kept if key == "eftychia" else tmp_path / f"{key}-deal.key")
    staff.goto(app_server.url(f"/staff/votes?vote={vote_id}"))
    wait_ready(staff)
    expect(staff.locator("#key-status")).to_have_text("Το κλειδί της ψηφοφορίας είναι έτοιμο.")
    staff.locator("#open-closes-at").fill((utcnow() + timedelta(days=7)).astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M"))
    staff.locator("#open-now").click()
    staff.get_by_role("dialog").get_by_role("button", name="Ναι, άνοιγμα τώρα").click()
    expect(staff.locator(".alert.success")).to_have_text("Η ψηφοφορία άνοιξε.")

    _vote(_as(browser, app_server, "maria"), app_server, vote_id, "Ναι", audit_first=False)
    _vote(_as(browser, app_server, "giorgos"), app_server, vote_id, "Ναι", audit_first=False)
    _staff_step(staff, app_server, vote_id, "#close-vote", "Ναι, κλείσιμο τώρα", reason="Τέλος της δοκιμής")

    stella = trustees["stella"]  # 3. decrypt: trustee 1 with the key kept in this browser
    _trustee_page(stella, app_server, vote_id)
    assert_accessible(stella, "trustee page, decrypt")
    _run(stella, PASSPHRASES["stella"])
    expect(stella.locator("#trustee-step")).to_contain_text("ολοκληρώθηκε")
    # trustee 3 on a fresh device (nothing kept there): the key file downloaded after dealing
    elsewhere = _as(browser, app_server, "eftychia", display_name=NAMES["eftychia"][0])
    _trustee_page(elsewhere, app_server, vote_id)
    elsewhere.locator("#trustee-passphrase").fill(PASSPHRASES["eftychia"])
    elsewhere.locator("#trustee-run").click()
    expect(elsewhere.locator(".alert.error")).to_contain_text("επιλέξτε το αρχείο του κλειδιού σας")
    elsewhere.locator("#trustee-passphrase").fill("not the passphrase")
    elsewhere.locator("#trustee-key-file").set_input_files(str(kept))
    elsewhere.locator("#trustee-run").click()
    expect(elsewhere.locator(".alert.error")).to_have_text("Λάθος συνθηματικό (ή αλλοιωμένο αρχείο κλειδιού).",
                                                           timeout=SLOW)
    _run(elsewhere, PASSPHRASES["eftychia"], key_file=kept)
    _staff_step(staff, app_server, vote_id, "#publish-vote", "Ναι, δημοσίευση")

    results = staff.request.get(app_server.url(f"/api/v1/votes/{vote_id}/results.json")).json()
    assert [o["votes"] for o in results["options"]] == [2, 0] and results["ballots"] == 2
    record = tmp_path / "record.zip"
    record.write_bytes(staff.request.get(app_server.url(f"/api/v1/votes/{vote_id}/record")).body())
    verified = app_server.cli("voting", "verify", str(record))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert sent and not any(p in frame for frame in sent for p in PASSPHRASES.values())
    assert not any("transport_private" in frame or "own_share" in frame for frame in sent)

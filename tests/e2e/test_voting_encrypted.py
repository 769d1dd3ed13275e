"""Encrypted votes in Chromium at phone size: a demo resident encrypts in the browser, audits
(Benaloh) then casts; a second resident casts; the too-young one cannot; the receipt check says
only "on the board"; the choice never travels to the server; the demo's published encrypted
budget has a record that verifies, and altering one ciphertext, proof or count makes it fail.
axe-core on every step."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.unit.voting.crypto.helpers import assert_each_alteration_fails

from .conftest import assert_accessible, login_as, wait_ready

RECEIPT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def _vote_ids(app_server) -> tuple[int, int]:
    from syros_app.core.db import make_engine
    from syros_app.voting.demo import ENCRYPTED_BUDGET_TITLE, ENCRYPTED_REFERENDUM_TITLE
    from syros_app.voting.models import Vote

    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    with Session(engine) as session:
        ids = {v.title: v.id for v in session.exec(select(Vote))}
    engine.dispose()
    return ids[ENCRYPTED_REFERENDUM_TITLE], ids[ENCRYPTED_BUDGET_TITLE]


def _login_demo_resident(app_server, context, key: str) -> None:
    from syros_app.identity.stand_in import demo_resident

    resident = demo_resident(key)
    login_as(app_server, context, key, taxid=resident.taxid, birth_year=resident.birth_year)


def _sent_frames(page: Page) -> list[str]:
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(
        payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))))
    return frames


def _seal(page: Page, answer: str, label: str) -> str:
    page.locator(".choice-label", has_text=answer).click()
    page.locator("#seal-button").click()
    expect(page.get_by_role("heading", name="Το ψηφοδέλτιό σας κρυπτογραφήθηκε")).to_be_visible()
    receipt = page.locator("code.receipt-pending").inner_text().strip()
    assert RECEIPT.match(receipt), receipt
    assert_accessible(page, f"sealed ({label})")
    return receipt


def test_residents_encrypt_audit_and_cast_and_the_record_verifies(app_server, browser, context, page):
    referendum, budget = _vote_ids(app_server)
    _login_demo_resident(app_server, context, "stella")
    sent = _sent_frames(page)
    page.goto(app_server.url(f"/votes/{referendum}"))
    wait_ready(page)
    expect(page.locator("#seal-button")).to_be_visible()
    assert_accessible(page, "encrypted vote, choose")

    # challenge the first encryption: it opens to "Ναι", is discarded and published as spoiled
    audited = _seal(page, "Ναι", "stella, first")
    page.locator("#challenge-button").click()
    expect(page.locator("#audit-result")).to_contain_text("Ο έλεγχος πέτυχε")
    expect(page.locator("#audit-result")).to_contain_text("Ναι")
    assert_accessible(page, "audit result")
    # encrypt afresh and cast
    receipt = _seal(page, "Ναι", "stella, second")
    assert receipt != audited
    page.locator("#cast-button").click()
    expect(page.locator("code.tracker")).to_have_text(receipt)
    assert_accessible(page, "encrypted vote, done")
    # the choice itself never went to the server while choosing and casting (only the audit opens one)
    casting = [f for f in sent if "cast_sealed" in f or "sealed" in f or "seal" in f]
    assert casting and not any('"selection"' in f for f in casting if "audited" not in f)
    assert not any("toggle" in f for f in sent)

    # the receipt check says only that the ballot is on the board
    page.goto(app_server.url(f"/votes/{referendum}/check"))
    wait_ready(page)
    page.locator("#tracker-input").fill(receipt.lower().replace("-", " "))
    page.get_by_role("button", name="Αναζήτηση").click()
    expect(page.locator("#check-result")).to_contain_text("Το ψηφοδέλτιό σας βρίσκεται στον πίνακα.")
    expect(page.locator("#check-result")).not_to_contain_text("Ναι")
    assert_accessible(page, "receipt check")
    page.goto(app_server.url(f"/votes/{referendum}/board"))
    wait_ready(page)
    expect(page.locator(".board-list")).to_contain_text(receipt)
    expect(page.locator(".board-list")).not_to_contain_text(audited)
    assert_accessible(page, "bulletin board")

    # a second resident casts straight away; the too-young one is told why not
    for key, answer in (("nikos", "Όχι"),):
        other_context = browser.new_context(viewport=page.viewport_size, locale="el-GR", is_mobile=True, has_touch=True)
        _login_demo_resident(app_server, other_context, key)
        other = other_context.new_page()
        other.goto(app_server.url(f"/votes/{referendum}"))
        wait_ready(other)
        _seal(other, answer, key)
        other.locator("#cast-button").click()
        expect(other.locator("code.tracker")).to_have_text(RECEIPT)
        other_context.close()
    young_context = browser.new_context(viewport=page.viewport_size, locale="el-GR", is_mobile=True, has_touch=True)
    _login_demo_resident(app_server, young_context, "irini")
    young = young_context.new_page()
    young.goto(app_server.url(f"/votes/{referendum}"))
    wait_ready(young)
    expect(young.locator("#ineligible-reason")).to_be_visible()
    expect(young.locator("#seal-button")).to_have_count(0)
    young_context.close()

    # the published encrypted budget: its record verifies; one altered ciphertext, proof or count does not
    from syros_app.voting.crypto import ballot as bl
    from syros_app.voting.crypto import group as g
    from syros_app.voting.crypto import record as rec

    page.goto(app_server.url(f"/votes/{budget}/board"))
    wait_ready(page)
    expect(page.get_by_role("link", name="Αρχείο εκλογής (για ανεξάρτητο έλεγχο)")).to_be_visible()
    response = page.request.get(app_server.url(f"/api/v1/votes/{budget}/record"))
    assert response.ok
    files = rec.read_archive(response.body())
    assert rec.verify(files).ballots == len(files["ballots.json"])
    board_text = page.locator(".board-list").inner_text()
    for entry in files["ballots.json"]:
        assert bl.receipt(entry["fingerprint"]) in board_text
    results = page.request.get(app_server.url(f"/api/v1/votes/{budget}/results.json")).text()
    assert not any(bl.receipt(e["fingerprint"]) in results for e in files["ballots.json"])
    assert_each_alteration_fails(files, (
        lambda f: f["ballots.json"][0]["ballot"]["selections"][0].update(alpha=g.base(11).hex()),
        lambda f: f["ballots.json"][1]["ballot"]["count_proof"]["z"].reverse(),
        lambda f: f["tally.json"]["options"][0].update(votes=f["tally.json"]["options"][0]["votes"] + 1),
    ))

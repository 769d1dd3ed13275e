"""After logout, no websocket frame carries the previous person's data.

A tab's server-side state outlives a logout (the tab keeps its token across the
gov.gr round trip). Read from the frames the server sends, not from the DOM: a
value the page no longer shows may still travel. Each test first proves that the
private values did travel while logged in (the positive control), then logs out
and opens the same pages again.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import PHONE, wait_ready
from tests.support.stand_in_login import login_with_stand_in


def _record_frames(page: Page) -> list[str]:
    frames: list[str] = []

    def on_socket(ws) -> None:
        ws.on("framereceived", lambda payload: frames.append(
            payload if isinstance(payload, str) else payload.decode("utf-8", "replace")))

    page.on("websocket", on_socket)
    return frames


def _open(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)
    page.wait_for_timeout(300)  # let the page's on_load frames arrive


def _logout(page: Page, app_server) -> None:
    page.get_by_role("link", name="Αποσύνδεση").click()
    page.wait_for_url(app_server.url("/"))
    wait_ready(page)
    expect(page.get_by_role("link", name="Σύνδεση με gov.gr")).to_be_visible()


def _referendum_open_to(app_server, key: str) -> int:
    """The demo referendum's id, with the demo resident ``key`` on its roll."""
    from syros_app.core.db import make_engine
    from syros_app.identity.hashing import taxid_hmac
    from syros_app.identity.models import VoterRollEntry
    from syros_app.identity.stand_in import demo_resident
    from syros_app.voting.demo import REFERENDUM_TITLE
    from syros_app.voting.models import Vote

    resident = demo_resident(key)
    secret = (app_server.data_dir / "secret_key").read_text().strip()
    digest = taxid_hmac(resident.taxid, secret=secret)
    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    with Session(engine) as session:
        vote = session.exec(select(Vote).where(Vote.title == REFERENDUM_TITLE)).one()
        on_roll = session.exec(select(VoterRollEntry).where(VoterRollEntry.roll_id == vote.roll_id,
                                                            VoterRollEntry.taxid_hmac == digest)).first()
        if on_roll is None:
            session.add(VoterRollEntry(roll_id=vote.roll_id, taxid_hmac=digest, municipal_unit=resident.municipal_unit))
            session.commit()
        vote_id = vote.id
    engine.dispose()
    return vote_id


def test_a_resident_logs_out_and_no_frame_carries_her_tracker_name_or_birth_year(app_server, browser):
    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    page = context.new_page()
    frames = _record_frames(page)
    vote_id = _referendum_open_to(app_server, "stella")
    login_with_stand_in(page, app_server.base_url, "stella", "/")

    _open(page, app_server.url(f"/votes/{vote_id}"))
    page.locator(".choice-label", has_text=re.compile(r"^Ναι")).click()
    page.get_by_role("button", name="Συνέχεια στον έλεγχο").click()
    page.get_by_role("button", name="Υποβολή ψήφου").click()
    tracker = page.locator("code.tracker").inner_text().strip()
    assert tracker
    _open(page, app_server.url("/my-votes"))
    expect(page.get_by_text(tracker)).to_be_visible()
    _open(page, app_server.url("/account"))
    expect(page.locator("#account-display-name")).to_have_text("Στέλλα Μ.")

    private = {"tracker": tracker, "name": "Στέλλα Μ.", "birth year": '"1962"'}
    seen = "\n".join(frames)
    for label, value in private.items():
        assert value in seen, f"positive control: the {label} never travelled while logged in"

    mark = len(frames)
    _logout(page, app_server)
    for path in ("/my-votes", "/account", f"/votes/{vote_id}", "/"):
        _open(page, app_server.url(path))
    after = "\n".join(frames[mark:])
    assert after, "no frames were recorded after logout"
    for label, value in private.items():
        assert value not in after, f"after logout a frame still carries the {label}"
    context.close()


def test_an_administrator_logs_out_and_no_frame_carries_the_staff_list(app_server, browser):
    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    page = context.new_page()
    frames = _record_frames(page)
    login_with_stand_in(page, app_server.base_url, "giorgos", "/staff/roles")
    wait_ready(page)
    expect(page.get_by_text("Μαρία Β.").first).to_be_visible()
    _open(page, app_server.url("/staff/rolls"))
    seen = "\n".join(frames)
    assert "Μαρία Β." in seen, "positive control: the staff list never travelled"
    roll = re.search(r"Δημότες Σύρου-Ερμούπολης \(δοκιμαστικός κατάλογος\)", seen)
    assert roll, "positive control: the rolls never travelled"

    mark = len(frames)
    _logout(page, app_server)
    for path in ("/staff/roles", "/staff/rolls", "/staff", "/"):
        _open(page, app_server.url(path))
    after = "\n".join(frames[mark:])
    assert after
    assert "Μαρία Β." not in after and "Γιώργος Ρ." not in after
    assert roll.group(0) not in after
    context.close()

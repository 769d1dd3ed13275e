"""First-paint previews of dynamic pages: registered by capabilities, public rows only, escaped."""

import re

import pytest

from syros_app.api.route_preload import PageNotFound
from syros_app.capabilities import page_previews
from syros_app.notices import actions as notice_actions
from syros_app.voting import actions as vote_actions
from tests.support import personas
from tests.unit.voting.helpers import make_roll, open_legacy_plaintext_vote

XSS = '<img src=x onerror="alert(1)">'


def render(path: str, lang: str | None = None) -> str:
    for pattern, render_fn in page_previews():
        match = re.match(pattern, path)
        if match:
            return render_fn(match, lang)
    pytest.fail(f"no preview for {path}")


def test_every_dynamic_detail_page_with_text_has_a_preview():
    patterns = [p for p, _ in page_previews()]
    for path in ("/consultations/3", "/votes/3", "/notices/3"):
        assert any(re.match(p, path) for p in patterns), path
    for path in ("/notices/subscribe", "/votes/3/results", "/consultations/3/report"):
        assert not any(re.match(p, path) for p in patterns), path


def test_a_notice_preview_shows_a_published_notice_escaped(session):
    staff = personas.administrator(session)
    notice = notice_actions.publish_notice(session, actor=staff, title=f"Διακοπή νερού {XSS}",
                                           body="Αύριο 09:00–14:00 & μετά", category="water")
    session.commit()
    html = render(f"/notices/{notice.id}")
    assert 'id="page-preview"' in html and "Διακοπή νερού" in html and "&amp; μετά" in html
    assert "<img" not in html
    with pytest.raises(PageNotFound):
        render("/notices/999999")


def test_a_vote_preview_shows_a_public_vote_but_never_a_draft(session):
    staff = personas.administrator(session)
    roll = make_roll(session, {"eleni": None})
    vote = open_legacy_plaintext_vote(session, staff, roll)
    html = render(f"/votes/{vote.id}")
    assert 'id="page-preview"' in html and vote.title in html and vote.question in html
    draft = vote_actions.create_vote(session, actor=staff, title=f"Πρόχειρο {XSS}", question="Ναι;", roll_id=roll.id)
    session.commit()
    assert render(f"/votes/{draft.id}") == ""
    with pytest.raises(PageNotFound):
        render("/votes/999999")

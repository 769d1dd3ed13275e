"""A consultation page's first paint: its text as plain, escaped HTML, for visitors only."""

import re
from datetime import timedelta

import pytest

from syros_app.api.route_preload import PageNotFound, _reader_language, inject_preview
from syros_app.consultations import actions, preview
from tests.support import personas

from .helpers import NOW, make_consultation

PATTERN = re.compile(next(iter(preview.PREVIEWS)))


def render(path, lang=None):
    match = PATTERN.match(path)
    assert match, path
    return preview.render(match, lang)


def test_the_preview_holds_the_text_escaped_and_only_the_first_articles(session):
    staff = personas.administrator(session, "moderator")
    c = actions.create_consultation(
        session, actor=staff, title="Παραλίες <script>alert(1)</script>", summary="Α & Β <img src=x onerror=alert(1)>",
        category="environment", opens_at=NOW - timedelta(days=1), closes_at=NOW + timedelta(days=10),
        sections=[(f"Άρθρο {i}", f"Κείμενο του άρθρου {i}.") for i in range(1, 6)], now=NOW - timedelta(days=2))
    actions.open_consultation(session, actor=staff, consultation_id=c.id, now=NOW - timedelta(days=2))
    session.commit()
    html = render(f"/consultations/{c.id}")
    assert html.startswith('<div id="page-preview" class="page-preview site-main">')
    assert "Κείμενο του άρθρου 1." in html and "Κείμενο του άρθρου 3." in html
    assert "Κείμενο του άρθρου 4." not in html  # the app shows the rest
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Α &amp; Β" in html
    assert "Άρθρο 1. Άρθρο 1" in html
    assert "Article 1. Άρθρο 1" in render(f"/consultations/{c.id}/", "en")


def test_no_preview_for_drafts_or_unknown_pages(session):
    staff = personas.administrator(session, "moderator")
    draft = make_consultation(session, staff, status="draft")
    assert render(f"/consultations/{draft.id}") == ""
    with pytest.raises(PageNotFound):  # a missing one is a real 404 (api/route_preload.py)
        render("/consultations/999999")


def test_the_preview_goes_first_in_the_body_with_its_remover():
    html = '<html><head></head><body class="x"><script>boot()</script></body></html>'
    out = inject_preview(html, '<div id="page-preview">Τ</div>')
    assert out.startswith('<html><head></head><body class="x"><div id="page-preview">Τ</div><script>(function(){')
    assert out.endswith("<script>boot()</script></body></html>")


def test_the_reader_language_comes_from_the_cookie():
    assert _reader_language({b"cookie": b"a=1; syros_lang=en"}) == "en"
    assert _reader_language({b"cookie": b"syros_lang=xx"}) is None
    assert _reader_language({}) is None

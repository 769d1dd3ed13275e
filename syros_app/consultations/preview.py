"""First paint of a consultation page: its title, summary and first articles as plain HTML.

Served inside the page's HTML (see ``syros_app.api.route_preload``) so a reader on
a slow phone network reads the text while the app's code loads; the app's own
page replaces it. Only what a visitor may read (no drafts), everything escaped.
"""

from __future__ import annotations

import re
from html import escape

from syros_app.core.db import session_scope
from syros_app.core.errors import NotFound
from syros_app.core.i18n import translate
from syros_app.core.settings import get_settings

from . import queries

PREVIEW_SECTIONS = 3  # what fills a phone's first screens; the app shows the rest


def render(match: re.Match, lang: str | None) -> str:
    lang = lang or get_settings().default_language
    try:
        with session_scope() as session:
            consultation = queries.get_consultation(session, match.group(1), actor=None)
            sections = queries.sections_of(session, consultation.id)[:PREVIEW_SECTIONS]
            title, summary = consultation.title, consultation.summary
            articles = [(s.position, s.title, s.body) for s in sections]
    except NotFound:
        return ""
    article = escape(translate("consultations.article", lang))
    parts = [f'<h1 class="page-title">{escape(title)}</h1>',
             f'<div class="consultation-summary">{escape(summary)}</div>']
    parts += [f'<section><h2>{article} {position}. {escape(heading)}</h2><div class="section-body">{escape(body)}</div>'
              "</section>" for position, heading, body in articles]
    return f'<div id="page-preview" class="page-preview site-main">{"".join(parts)}</div>'


PREVIEWS = {r"^/consultations/(\d+)/?$": render}

"""First paint of a consultation page: its title, summary and first articles as plain HTML.

Served inside the page's HTML (see ``syros_app.api.route_preload``) so a reader on
a slow phone network reads the text while the app's code loads; the app's own
page replaces it. Only what a visitor may read (no drafts), everything escaped.
"""

from __future__ import annotations

import re

from syros_app.api.route_preload import PageNotFound, missing, preview_block
from syros_app.core.db import session_scope
from syros_app.core.errors import NotFound
from syros_app.core.i18n import translate

from . import queries
from .models import Consultation

PREVIEW_SECTIONS = 3  # what fills a phone's first screens; the app shows the rest


def render(match: re.Match, lang: str | None) -> str:
    try:
        with session_scope() as session:
            if missing(session, Consultation, match.group(1)):
                raise PageNotFound
            consultation = queries.get_consultation(session, match.group(1), actor=None)
            sections = queries.sections_of(session, consultation.id)[:PREVIEW_SECTIONS]
            title, summary = consultation.title, consultation.summary
            articles = [(s.position, s.title, s.body) for s in sections]
    except NotFound:
        return ""
    article = translate("consultations.article", lang)
    return preview_block(title, ("consultation-summary", summary),
                         *(("section-body", body, f"{article} {position}. {heading}") for position, heading, body in articles))


PREVIEWS = {r"^/consultations/(\d+)/?$": render}

"""First paint of a notice page (often opened from a push on a phone): title and text as plain HTML.

Served inside the page's HTML (see ``syros_app.api.route_preload``); the app's own
page replaces it. Published notices only, everything escaped.
"""

from __future__ import annotations

import re

from syros_app.api.route_preload import PageNotFound, missing, preview_block
from syros_app.core.db import session_scope

from . import queries
from .models import Notice


def render(match: re.Match, lang: str | None) -> str:
    with session_scope() as session:
        if missing(session, Notice, match.group(1)):
            raise PageNotFound
        notice = queries.get_notice(session, int(match.group(1)))
        if notice is None:
            return ""
        title, body = notice.title, notice.body
    return preview_block(title, ("notice-body", body))


PREVIEWS = {r"^/notices/(\d+)/?$": render}

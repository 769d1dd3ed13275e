"""A report page's status: a missing report is a real 404 (the page itself is drawn by the app)."""

from __future__ import annotations

import re

from syros_app.api.route_preload import PageNotFound, missing
from syros_app.core.db import session_scope

from .models import Report


def render(match: re.Match, lang: str | None) -> str:
    with session_scope() as session:
        if missing(session, Report, match.group(1)):
            raise PageNotFound
    return ""


PREVIEWS = {r"^/reports/(\d+)/?$": render}

"""A survey page's status: a missing survey, or a draft, is a real 404 (the page itself is
drawn by the app: what it shows depends on the survey's state and on who reads it)."""

from __future__ import annotations

import re

from syros_app.api.route_preload import PageNotFound
from syros_app.core.db import session_scope

from . import queries


def render(match: re.Match, lang: str | None) -> str:
    with session_scope() as session:
        if queries.survey(session, int(match.group(1))) is None:
            raise PageNotFound
    return ""


PREVIEWS = {r"^/surveys/(\d+)/?$": render}

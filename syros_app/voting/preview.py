"""First paint of a vote's page: its title, question and explanation as plain HTML.

Served inside the page's HTML (see ``syros_app.api.route_preload``); the app's own
page (eligibility, the choices) replaces it. No drafts, everything escaped.
"""

from __future__ import annotations

import re

from syros_app.api.route_preload import PageNotFound, missing, preview_block
from syros_app.core.db import session_scope
from syros_app.core.errors import NotFound

from . import queries
from .models import Vote


def render(match: re.Match, lang: str | None) -> str:
    try:
        with session_scope() as session:
            if missing(session, Vote, match.group(1)):
                raise PageNotFound
            vote = queries.public_vote(session, match.group(1))
            title, question, explanation = vote.title, vote.question, vote.explanation
    except NotFound:
        return ""
    return preview_block(title, ("vote-question", question), ("vote-explanation prose", explanation))


PREVIEWS = {r"^/votes/(\d+)/?$": render}

"""First paint of a proposal's page (often opened from a shared link on a phone): its title
and text as plain, escaped HTML; a missing or hidden proposal is a real 404."""

from __future__ import annotations

import re

from syros_app.api.route_preload import PageNotFound, preview_block
from syros_app.core.db import session_scope
from syros_app.core.errors import NotFound

from . import queries


def render(match: re.Match, lang: str | None) -> str:
    with session_scope() as session:
        try:
            proposal = queries.get_proposal(session, match.group(1))
        except NotFound:
            raise PageNotFound from None
        title, body = proposal.title, proposal.body
    return preview_block(title, ("proposal-body", body))


PREVIEWS = {r"^/proposals/(\d+)/?$": render}

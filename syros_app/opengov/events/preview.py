"""First paint of an event's page (often opened from a reminder or a calendar): when,
where, and what, as plain escaped HTML; a missing event is a real 404.

Served inside the page's HTML (see ``syros_app.api.route_preload``); the app's own page
replaces it.
"""

from __future__ import annotations

import re

from syros_app.api.route_preload import PageNotFound, missing, preview_block
from syros_app.core import formatting
from syros_app.core.db import session_scope
from syros_app.core.i18n import normalise_language

from .models import Event


def render(match: re.Match, lang: str | None) -> str:
    lang = normalise_language(lang)
    with session_scope() as session:
        if missing(session, Event, match.group(1)):
            raise PageNotFound
        event = session.get(Event, int(match.group(1)))
        title, where = event.title, f"{formatting.datetime_text(event.starts_at, lang)} · {event.place}"
        text = event.description
    return preview_block(title, ("muted", where), ("prose", text))


PREVIEWS = {r"^/events/(\d+)/?$": render}

"""The Diavgeia import: fetch the organisation's decisions over a date range and add
the new ones (``import_decisions``: a second run over the same range adds nothing)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

import httpx

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.settings import diavgeia_base_url, diavgeia_org
from syros_app.core.timefmt import utcnow

from . import diavgeia
from .actions import import_decisions


async def sync(*, actor, start: date, end: date, transport: httpx.AsyncBaseTransport | None = None,
               base_url: str | None = None, org: str | None = None, **fetch_options) -> tuple[int, int]:
    """(decisions fetched, decisions added). ``transport`` serves tests and the demo (the stand-in).
    Without an organisation id (``SYROS_DIAVGEIA_ORG`` has no default: the municipality confirms
    its own) nothing is asked: a typed, translated refusal says which setting is missing."""
    org = org or diavgeia_org()
    if not org:
        raise AgoraError("decisions.errors.org_unset")
    async with httpx.AsyncClient(base_url=base_url or diavgeia_base_url(), transport=transport,
                                 timeout=30.0) as client:
        records, _requests = await diavgeia.fetch(client, org=org, start=start, end=end,
                                                  **fetch_options)
    rows = [{**asdict(r), "issue_date": r.issue_date.isoformat()} for r in records]
    with session_scope() as session:
        added = import_decisions(session, actor=actor, records=rows)
    return len(records), added


def default_range(today: date | None = None, days: int = 365) -> tuple[date, date]:
    today = today or utcnow().date()
    return today - timedelta(days=days), today

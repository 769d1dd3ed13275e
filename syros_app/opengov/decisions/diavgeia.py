"""A client of Diavgeia's open data search (``GET {base}/search``).

Asks for the organisation's decisions by issue date, in windows of at most 180 days,
page by page (``page``, ``size``; the answer's ``info.total`` says when to stop), and
retries a failed page (network error, 429 or 5xx) with exponential backoff.
Answer shape (Diavgeia OpenData API): ``{"info": {"page", "size", "actualSize",
"total", …}, "decisions": [{"ada", "subject", "issueDate" (ms), "decisionTypeId",
"documentUrl", …}]}``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

import httpx

from . import rules

PAGE_SIZE = 100


class SyncFailed(RuntimeError):
    """A page kept failing after every retry."""


async def _page(client: httpx.AsyncClient, params: dict, *, retries: int, backoff: float,
                sleep: Callable[[float], Awaitable[None]]) -> dict:
    for attempt in range(retries + 1):
        try:
            response = await client.get("/search", params=params, headers={"Accept": "application/json"})
            if response.status_code == 429 or response.status_code >= 500:
                raise httpx.HTTPStatusError("retryable", request=response.request, response=response)
            response.raise_for_status()
            return response.json()
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            retryable = not isinstance(exc, httpx.HTTPStatusError) or exc.response.status_code == 429 \
                or exc.response.status_code >= 500
            if not retryable or attempt == retries:
                raise SyncFailed(f"{params}: {exc}") from exc
            await sleep(backoff * 2 ** attempt)
    raise SyncFailed(str(params))  # pragma: no cover - the loop returns or raises


async def fetch(client: httpx.AsyncClient, *, org: str, start: date, end: date, size: int = PAGE_SIZE,
                retries: int = 4, backoff: float = 0.5,
                sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> tuple[list[rules.DecisionRecord], int]:
    """Every decision of ``org`` issued in ``[start, end]``; also how many requests it took."""
    found: dict[str, rules.DecisionRecord] = {}
    requests = 0
    for first, last in rules.windows(start, end):
        page = 0
        while True:
            params = {"org": org, "from_issue_date": first.isoformat(), "to_issue_date": last.isoformat(),
                      "page": page, "size": size}
            data = await _page(client, params, retries=retries, backoff=backoff, sleep=sleep)
            requests += 1
            items = data.get("decisions") or []
            for item in items:
                rec = rules.record(item)
                if rec is not None:
                    found.setdefault(rec.ada, rec)
            total = int((data.get("info") or {}).get("total") or 0)
            page += 1
            if not items or page * size >= total:
                break
    return sorted(found.values(), key=lambda r: (r.issue_date, r.ada)), requests

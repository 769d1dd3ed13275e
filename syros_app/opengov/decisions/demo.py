"""Demo decisions, fetched from the local Diavgeia stand-in through the real client
(no network): the same path as ``opengov diavgeia-sync``. Idempotent by ΑΔΑ."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import date

import httpx
from sqlmodel import Session

from syros_app.demo.seed import demo_loader

from . import diavgeia, stand_in
from .actions import import_decisions


async def _fetch() -> list:
    transport = httpx.ASGITransport(app=stand_in.app())
    async with httpx.AsyncClient(base_url="http://diavgeia.stand-in", transport=transport) as client:
        records, _requests = await diavgeia.fetch(client, org=stand_in.DEMO_ORG, start=date(2025, 6, 1),
                                                  end=date(2026, 12, 31), size=4)
    return records


def demo_records() -> list[dict]:
    with ThreadPoolExecutor(max_workers=1) as pool:  # its own event loop, whatever the caller runs
        records = pool.submit(asyncio.run, _fetch()).result()
    return [{**asdict(r), "issue_date": r.issue_date.isoformat()} for r in records]


@demo_loader("decisions")
def load(session: Session) -> int:
    from syros_app.voting.demo import DEMO_STAFF

    return import_decisions(session, actor=DEMO_STAFF, records=demo_records())

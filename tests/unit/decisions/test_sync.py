"""The Diavgeia import against the local stand-in (the real API's shape): windows of at
most 180 days, pagination, a failing page retried with backoff, idempotent runs."""

import asyncio
from datetime import date

import httpx
import pytest
from sqlmodel import Session, select

from syros_app.core.audit import AuditEntry
from syros_app.identity.actions import cli_actor
from syros_app.opengov.decisions import diavgeia, rules, stand_in, sync
from syros_app.opengov.decisions.models import Decision

START, END = date(2025, 1, 1), date(2026, 12, 31)


def _fetch(app, **options):
    async def run():
        async with httpx.AsyncClient(base_url="http://stand-in", transport=httpx.ASGITransport(app=app)) as client:
            return await diavgeia.fetch(client, org=stand_in.DEMO_ORG, start=START, end=END, **options)
    return asyncio.run(run())


async def _no_sleep(_seconds: float) -> None:
    return None


def test_windows_of_at_most_180_days_and_every_page():
    app = stand_in.app()
    records, requests = _fetch(app, size=2, sleep=_no_sleep)
    assert sorted(r.ada for r in records) == sorted(ada for ada, *_ in stand_in.DEMO)
    spans = {(q["from_issue_date"], q["to_issue_date"]) for q in app.state.seen}
    assert all((date.fromisoformat(b) - date.fromisoformat(a)).days + 1 <= 180 for a, b in spans)
    assert len(spans) == 5  # two years in 180-day windows
    assert max(int(q["page"]) for q in app.state.seen) >= 1  # more than one page in some window
    assert requests == len(app.state.seen)


def test_a_failing_page_is_retried_with_backoff():
    third = rules.windows(START, END)[2][0].isoformat()  # 4 demo decisions: two pages of 2
    app = stand_in.app(fail_once={(third, 1)})  # its second page fails once
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    records, _requests = _fetch(app, size=2, sleep=sleep, backoff=0.5)
    assert len(records) == len(stand_in.DEMO) and waits == [0.5]
    asked = [(q["from_issue_date"], q["page"]) for q in app.state.seen]
    assert asked.count((third, "1")) == 2


def test_a_page_that_keeps_failing_stops_the_run():
    def always_down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    async def run():
        async with httpx.AsyncClient(base_url="http://x", transport=httpx.MockTransport(always_down)) as client:
            await diavgeia.fetch(client, org="1", start=START, end=START, retries=2, sleep=_no_sleep)
    with pytest.raises(diavgeia.SyncFailed):
        asyncio.run(run())


def test_a_second_run_adds_nothing(engine):
    transport = httpx.ASGITransport(app=stand_in.app())
    options = {"transport": transport, "base_url": "http://stand-in", "org": stand_in.DEMO_ORG, "size": 3,
               "sleep": _no_sleep}
    fetched, added = asyncio.run(sync.sync(actor=cli_actor("ops"), start=START, end=END, **options))
    assert fetched == added == len(stand_in.DEMO)
    assert asyncio.run(sync.sync(actor=cli_actor("ops"), start=START, end=END, **options)) == (len(stand_in.DEMO), 0)
    with Session(engine) as session:
        kept = session.get(Decision, "ΩΘ73ΩΗΚ-Γ3Δ")
        assert kept.subject.startswith("Έγκριση κυκλοφοριακού") and kept.issue_date == date(2026, 5, 8)
        assert kept.document_url == "https://diavgeia.gov.gr/doc/ΩΘ73ΩΗΚ-Γ3Δ" and kept.decision_type == "2.4.7.1"
        assert len(session.exec(select(Decision)).all()) == len(stand_in.DEMO)
        imports = session.exec(select(AuditEntry).where(AuditEntry.action == "decisions.import")).all()
        assert [e.actor for e in imports] == ["cli:ops"]


def test_only_administrators_import(session):
    from syros_app.core.errors import PermissionDenied
    from syros_app.opengov.decisions.actions import import_decisions
    from tests.support import personas

    with pytest.raises(PermissionDenied):
        import_decisions(session, actor=personas.officer(session), records=[])

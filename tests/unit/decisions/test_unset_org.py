"""``SYROS_DIAVGEIA_ORG`` has no default (the municipality confirms its id): while it is
unset the sync asks nothing and says which setting is missing (translated), ``/readyz``
names it without dropping the instance, and ``/decisions`` tells its readers why no
decisions come in."""

import asyncio
from datetime import date

import httpx
import pytest
from starlette.testclient import TestClient

from syros_app.__main__ import main
from syros_app.core.errors import AgoraError
from syros_app.identity.actions import cli_actor
from syros_app.opengov.decisions import stand_in, sync, views


@pytest.fixture
def unset(monkeypatch):
    monkeypatch.delenv("SYROS_DIAVGEIA_ORG", raising=False)


def test_the_sync_asks_nothing_without_the_organisation(engine, unset):
    asked = []

    def record(request):
        asked.append(request)
        return httpx.Response(500)

    with pytest.raises(AgoraError) as refused:
        asyncio.run(sync.sync(actor=cli_actor("ops"), start=date(2026, 1, 1), end=date(2026, 2, 1),
                              transport=httpx.MockTransport(record), base_url="http://x"))
    assert refused.value.key == "decisions.errors.org_unset" and asked == []
    assert "SYROS_DIAVGEIA_ORG" in refused.value.message("el") and "SYROS_DIAVGEIA_ORG" in refused.value.message("en")


def test_the_command_explains_in_both_languages(engine, unset, capsys):
    assert main(["opengov", "diavgeia-sync"]) == 2
    err = capsys.readouterr().err
    assert "κωδικός φορέα" in err and "organisation id" in err and err.count("SYROS_DIAVGEIA_ORG") == 2


def test_readiness_names_the_missing_setting_but_stays_ready(engine, unset, monkeypatch):
    from syros_app.api.app import create_api
    from syros_app.ops import health

    assert health.diavgeia_report()["ok"] is False and health.diavgeia_report()["missing"] == "SYROS_DIAVGEIA_ORG"
    body = TestClient(create_api()).get("/readyz").json()
    assert body["checks"]["diavgeia"]["missing"] == "SYROS_DIAVGEIA_ORG"
    monkeypatch.setenv("SYROS_DIAVGEIA_ORG", stand_in.DEMO_ORG)
    assert health.diavgeia_report() == {"ok": True, "org": stand_in.DEMO_ORG}


def test_the_decisions_page_says_why_nothing_comes_in(session, unset, monkeypatch):
    assert views.listing(session, q="", kind="", year="").sync_configured is False
    monkeypatch.setenv("SYROS_DIAVGEIA_ORG", stand_in.DEMO_ORG)
    assert views.listing(session, q="", kind="", year="").sync_configured is True

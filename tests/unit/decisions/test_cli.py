"""``python -m syros_app opengov diavgeia-sync`` against the stand-in (no network)."""

import httpx

from syros_app.__main__ import main
from syros_app.opengov.decisions import stand_in, sync


def test_the_command_imports_and_a_second_run_adds_nothing(engine, monkeypatch, capsys):
    app = stand_in.app()
    original = httpx.AsyncClient

    def to_stand_in(*args, transport=None, **kwargs):  # what the command opens, served by the stand-in
        return original(*args, transport=httpx.ASGITransport(app=app), **kwargs)

    monkeypatch.setattr(sync.httpx, "AsyncClient", to_stand_in)
    monkeypatch.setenv("SYROS_DIAVGEIA_URL", "http://stand-in")
    args = ["opengov", "diavgeia-sync", "--from", "2025-06-01", "--to", "2026-12-31"]
    monkeypatch.delenv("SYROS_DIAVGEIA_ORG", raising=False)
    assert main(args) == 2 and "SYROS_DIAVGEIA_ORG" in capsys.readouterr().err
    monkeypatch.setenv("SYROS_DIAVGEIA_ORG", stand_in.DEMO_ORG)
    assert main(args) == 0
    assert "10 decisions from 2025-06-01 to 2026-12-31, 10 new" in capsys.readouterr().out
    assert main(args) == 0
    assert "0 new" in capsys.readouterr().out
    assert all(q["org"] == stand_in.DEMO_ORG for q in app.state.seen)

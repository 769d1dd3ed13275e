"""The raw ΑΦΜ never reaches the database or the logs: a full login, a roll import, a role grant."""

import logging

import httpx
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core import settings as settings_module
from syros_app.core.db import session_scope
from syros_app.identity import actions, govgr, stand_in
from syros_app.identity.hashing import with_check_digit
from tests.support import personas


def _all_text(engine) -> str:
    chunks = []
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.execute(sa_select(table)).all():
                chunks.append(" ".join(str(value) for value in row))
    return "\n".join(chunks)


def test_no_raw_taxid_in_any_table_or_log(engine, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.delenv("SYROS_PUBLIC_URL", raising=False)
    settings_module.reset_settings_cache()
    resident = stand_in.demo_resident("nikos")
    typed = with_check_digit("81234567")
    app = create_api()
    monkeypatch.setattr(govgr, "http_transport", httpx.ASGITransport(app=app))
    base = settings_module.get_settings().public_url
    with TestClient(app, base_url=base) as client:
        for form in ({"persona": resident.key},
                     {"persona": "", "taxid": typed, "firstname": "ΑΓΓΕΛΙΚΗ", "lastname": "ΡΟΥΣΣΟΥ",
                      "fathername": "ΠΕΤΡΟΣ", "birthyear": "1969"}):
            start = client.get("/auth/login", follow_redirects=False)
            authorize = start.headers["location"][len(base):]
            from urllib.parse import parse_qs, urlsplit

            query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
            client.get(authorize)
            fields = {k: query[k] for k in ("client_id", "redirect_uri", "response_type", "scope", "state")}
            to_callback = client.post("/govgr-stand-in/oauth2server/oauth/authorize", data={**fields, **form},
                                      follow_redirects=False)
            done = client.get(to_callback.headers["location"][len(base):], follow_redirects=False)
            assert done.status_code == 303 and done.headers["location"] == "/"
        assert client.get("/api/v1/me/export").status_code == 200
    rolled = [with_check_digit(p) for p in ("60000001", "60000002")]
    with session_scope() as session:
        admin = personas.administrator(session)
        actions.import_roll(session, actor=admin, name="Κατάλογος δοκιμής",
                            csv_text="\n".join([resident.taxid, typed, *rolled]))
        actions.grant_role(session, actor=admin, taxid=typed, role="moderator")
    text = _all_text(engine)
    assert "Αγγελική Ρ." in text  # the dump does read the rows
    for taxid in (resident.taxid, typed, *rolled, personas.TAXIDS["admin"]):
        assert taxid not in text, "a raw ΑΦΜ is stored"
        assert taxid not in caplog.text, "a raw ΑΦΜ was logged"
    assert caplog.records  # logging was captured (httpx logs every request)

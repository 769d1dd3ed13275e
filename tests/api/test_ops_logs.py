"""JSON logs: one line per request and per event, each with a request id, and no
ΑΦΜ, e-mail address, phone number or session token on any line.

The privacy test runs what residents do — a gov.gr login over HTTP, a comment, an
e-mail and an SMS subscription (sent by the notices worker), an Open311 report
carrying an e-mail and a phone — with every logger at DEBUG, then searches every
line for each secret in the forms it could take.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote

import httpx
import pytest
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core import settings as settings_module
from syros_app.core.db import session_scope
from syros_app.core.timefmt import utcnow
from syros_app.identity import govgr
from syros_app.identity.sessions import SESSION_COOKIE
from syros_app.identity.stand_in import DEMO_RESIDENTS
from syros_app.ops.logs import JsonFormatter, configure_logging, new_request_id, redact
from tests.api.test_identity import BASE, full_login
from tests.support import personas


@pytest.fixture
def log_lines():
    """Every record of every logger, at DEBUG, as the production handler writes it."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging(stream=stream, level="DEBUG", fmt="json")
    lines: list[str] = []

    def read() -> list[str]:
        lines.extend(line for line in stream.getvalue().splitlines() if line)
        stream.seek(0)
        stream.truncate()
        return lines

    yield read
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_line_is_one_json_object_with_a_request_id(log_lines):
    logging.getLogger("syros_app.test").info("hello %s", "world", extra={"route": "/x"})
    (line,) = log_lines()
    entry = json.loads(line)
    assert entry["msg"] == "hello world" and entry["route"] == "/x" and entry["level"] == "info"
    assert entry["logger"] == "syros_app.test" and entry["ts"].endswith("+00:00")


def test_redact_catches_every_shape():
    assert redact("ΑΦΜ 123456789 ok") == "ΑΦΜ [number] ok"
    assert redact("+30 694 123 4567 / 6941234567 / 0030-6941234567") == "[number] / [number] / [number]"
    assert redact("to eleni.k+news@example.gr, eleni%40example.gr") == "to [email], [email]"
    assert redact("/auth/callback?code=Zt9kQ2_hYxV-3LmP0aBcDeFgHi&state=1") == "/auth/callback?code=[token]&state=1"
    assert redact("state=AAKsgihMnubTYpZlIMZLkFhsKqRDucaL&x=1") == "state=[token]&x=1"
    assert redact("syros_app.notices.worker companion-supervisor StarletteDeprecationWarning") == ("syros_app.notices.worker companion-supervisor "
                                                                          "StarletteDeprecationWarning")
    assert redact("delivery 1234 failed after 3 attempts") == "delivery 1234 failed after 3 attempts"


def test_request_id_from_the_proxy_only_when_plain():
    assert new_request_id("4f1c2a9e-77aa-4e5b") == "4f1c2a9e-77aa-4e5b"
    for bad in ("", "x", "a" * 65, "id with spaces", "eleni@example.gr", "6941234567-1"):
        made = new_request_id(bad)
        assert made != bad and len(made) == 36


def test_every_request_gets_one_line_and_an_id(engine, log_lines):
    client = TestClient(create_api())
    first = client.get("/healthz")
    second = client.get("/healthz", headers={"X-Request-ID": "nginx-req-00000001"})
    assert len(first.headers["x-request-id"]) == 36
    assert second.headers["x-request-id"] == "nginx-req-00000001"
    requests = [json.loads(line) for line in log_lines() if '"kind": "request"' in line]
    assert [(r["route"], r["status"], r["method"]) for r in requests] == [("/healthz", 200, "GET")] * 2
    assert [r["request_id"] for r in requests] == [first.headers["x-request-id"], "nginx-req-00000001"]
    assert all(r["duration_ms"] >= 0 for r in requests)


def test_event_lines_name_the_handler_never_the_payload(log_lines):
    from syros_app.ops.events import EventLogMiddleware
    from syros_app.ops.metrics import EVENTS

    name = "state.notices_state.subscribe_email"
    before = EVENTS.labels(name)._value.get()
    event = SimpleNamespace(name=name, token="tab-token-Zt9kQ2hYxV3LmP0aBcDeFgHi",
                            router_data={"pathname": "/notices"}, payload={"email": "eleni@example.gr"})
    assert asyncio.run(EventLogMiddleware().preprocess(None, None, event)) is None  # the handler runs
    (line,) = [line for line in log_lines() if '"kind": "event"' in line]
    entry = json.loads(line)
    assert entry["handler"] == name and entry["page"] == "/notices" and len(entry["request_id"]) == 36
    assert "eleni" not in line and "tab-token" not in line and "Zt9kQ2" not in line
    assert EVENTS.labels(name)._value.get() == before + 1


def _forms_of_phone(local: str) -> list[str]:
    return [local, f"+30{local}", f"0030{local}", f"{local[:3]} {local[3:6]} {local[6:]}", f"+30 {local}"]


def test_no_personal_data_or_token_reaches_a_log_line(engine, log_lines, monkeypatch, tmp_path):
    monkeypatch.delenv("SYROS_PUBLIC_URL", raising=False)
    monkeypatch.delenv("SYROS_GOVGR_BASE_URL", raising=False)
    monkeypatch.delenv("SYROS_SMS_GATEWAY_URL", raising=False)
    monkeypatch.delenv("SYROS_SMTP_HOST", raising=False)
    monkeypatch.setenv("SYROS_PORT", "3000")
    settings_module.reset_settings_cache()
    for name in ("syros_app", "sqlalchemy.engine", "httpx", "aiohttp", "authlib"):
        logging.getLogger(name).setLevel(logging.DEBUG)  # the worst case: everything a library says
    monkeypatch.setattr(logging.getLogger("sqlalchemy.engine"), "level", logging.DEBUG)

    email, phone = "eleni.karra@example.gr", "6941234567"
    taxid = next(r.taxid for r in DEMO_RESIDENTS if r.key == "eftychia")
    app = create_api()
    monkeypatch.setattr(govgr, "http_transport", httpx.ASGITransport(app=app))
    now = utcnow()
    with TestClient(app, base_url=BASE) as client:
        callback = full_login(client, "eftychia", next_path="/account")
        assert callback.status_code in (302, 303)
        session_token = client.cookies.get(SESSION_COOKIE)
        assert session_token
        assert client.get("/api/v1/me/export").status_code == 200

        from syros_app.consultations import actions as consultations
        from syros_app.notices import actions as notices
        from syros_app.notices.models import Subscription
        from syros_app.reports import actions as reports

        with session_scope() as s:
            mod = personas.administrator(s)  # consultations are administrators'
            c = consultations.create_consultation(s, actor=mod, title="Κυκλοφοριακό", summary="Σχέδιο",
                                                  category="transport", opens_at=now - timedelta(days=1),
                                                  closes_at=now + timedelta(days=10), sections=(("Άρθρο 1", "Κείμενο"),),
                                                  now=now - timedelta(days=3))
            consultations.open_consultation(s, actor=mod, consultation_id=c.id, now=now - timedelta(days=2))
            eleni = personas.resident(s, "eleni")
            consultations.post_comment(s, actor=eleni, consultation_id=c.id, now=now,
                                       body=f"Γράψτε μου στο {email} ή στο {phone}, ΑΦΜ {taxid}")
            notices.subscribe_email(s, actor=eleni, email=email, categories=["water"], now=now)
            notices.subscribe_sms(s, actor=eleni, phone=phone, categories=["water"], now=now)
            _, api_key = reports.issue_api_key(s, actor=personas.administrator(s, "key-admin"), name="Συνεργάτης", now=now)

        created = client.post("/open311/v2/requests.json", data={
            "api_key": api_key, "service_code": "roads", "lat": "37.4460", "long": "24.9400",
            "description": f"Λακκούβα, τηλ. {phone}", "email": email, "phone": phone, "first_name": "Ελένη"})
        assert created.status_code in (200, 201), created.text
        report_token = created.json()[0].get("token", "")

        from syros_app.notices.worker import Worker

        asyncio.run(Worker(engine, poll_seconds=0.05).run(until_idle=True))
        with session_scope() as s:
            assert s.query(Subscription).count() == 2
        from syros_app.core.settings import notices_settings

        sms_lines = notices_settings().sms_sink.read_text().splitlines()
        assert sms_lines, "the SMS confirmation went through the worker"
        sms_code = re.search(r"\b\d{6}\b", json.loads(sms_lines[-1]).get("text", "")).group()
        client.get("/auth/logout", follow_redirects=False)

    lines = log_lines()
    assert any('"kind": "request"' in line for line in lines)
    assert any("sqlalchemy" in line for line in lines), "DEBUG logging of SQL was on: the worst case"
    secrets = {"taxid": [taxid], "email": [email, email.upper(), quote(email, safe="")],
               "phone": _forms_of_phone(phone), "session": [session_token, api_key],
               "open311-token": [report_token] if len(report_token) >= 12 else []}
    for kind, values in secrets.items():
        for value in values:
            leaks = [line for line in lines if value and value in line]
            assert not leaks, f"{kind} {value!r} reached the log: {leaks[0][:300]}"
    assert sms_code.isdigit()
    assert not [line for line in lines if f"code {sms_code}" in line or f'"{sms_code}"' in line]


def test_the_formatter_scrubs_exceptions_too():
    try:
        raise ValueError("cannot send to eleni@example.gr at +306941234567")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", ("123456789",), True)
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "eleni@" not in line and "6941234567" not in line and "123456789" not in line
    assert json.loads(line)["exc"].startswith("Traceback")


def test_configuring_replaces_console_handlers_only():
    import sys

    root = logging.getLogger()
    console, other = logging.StreamHandler(sys.stderr), logging.NullHandler()
    root.addHandler(console)
    root.addHandler(other)
    level = root.level
    try:
        ours = configure_logging()
        assert console not in root.handlers and other in root.handlers and ours in root.handlers
        assert configure_logging() in root.handlers and ours not in root.handlers  # once per process
    finally:
        for handler in list(root.handlers):
            if handler is other or getattr(handler, "_syros_handler", False):
                root.removeHandler(handler)
        root.setLevel(level)


def test_letters_only_tokens_are_scrubbed_but_class_names_stay_readable():
    from syros_app.ops.logs import redact

    # token_urlsafe(18) comes out as letters only now and then (about 0.7 % of tokens)
    assert redact("token QwErTyUiOpAsDfGhJkLzXcVb used") == "token [token] used"
    assert redact("IdentityGuardStateMiddleware failed") == "IdentityGuardStateMiddleware failed"

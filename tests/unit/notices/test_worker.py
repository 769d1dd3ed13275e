"""The outbox worker: claiming (two workers, both databases), leases, retries and
Retry-After, dead subscriptions, and real sends to local fakes (push, SMTP, SMS)."""

import asyncio
import base64
import json
import threading
import time
from dataclasses import replace
from datetime import timedelta

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from sqlalchemy import insert
from sqlmodel import select

from syros_app.core.db import session_scope
from syros_app.core.timefmt import utcnow
from syros_app.notices import actions, rules, worker
from syros_app.core.settings import notices_settings
from syros_app.notices.models import Delivery, OutboundMessage, Subscription
from syros_app.notices.vapid import vapid_public_key
from tests.support import personas

from .fakes import BrowserSubscription, FakeHTTPService, free_port


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_vapid(header: str, audience: str) -> dict:
    """Check an RFC 8292 ``vapid t=…,k=…`` header: ES256 signature, audience, expiry, our key."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid"
    parts = dict(p.split("=", 1) for p in params.split(","))
    assert parts["k"] == vapid_public_key()
    head, claims, signature = parts["t"].split(".")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(parts["k"]))
    raw = _unb64(signature)
    public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                  f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    body = json.loads(_unb64(claims))
    assert json.loads(_unb64(head))["alg"] == "ES256"
    assert body["aud"] == audience and body["exp"] > time.time() and body["sub"].startswith("mailto:")
    return body


def _pending_rows(engine, n, *, urgent_every=0):
    now = utcnow()
    with session_scope() as session:
        message = OutboundMessage(source=f"test:{time.time_ns()}", title="t", body="b", url="/", created_at=now)
        session.add(message)
        session.flush()
        session.execute(insert(Delivery), [
            {"message_id": message.id, "subscription_id": i + 1, "kind": "message", "channel": "push",
             "address": f"https://push.example/{i}", "payload": "{}",
             "priority": 0 if urgent_every and i % urgent_every == 0 else 1, "status": "pending", "attempts": 0,
             "next_attempt_at": now, "created_at": now} for i in range(n)])


def test_two_workers_never_claim_the_same_row(engine):
    _pending_rows(engine, 300)
    claimed: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    errors: list[BaseException] = []

    def run(slot):
        try:
            barrier.wait()
            while True:
                jobs = worker.claim(engine, limit=7, lease_seconds=60)
                if not jobs:
                    return
                claimed[slot].extend(j.id for j in jobs)
                time.sleep(0.005)  # "sending": lets the other worker in between claims
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 300
    assert claimed[0] and claimed[1]  # both really took part


def test_urgent_rows_are_claimed_first(engine):
    _pending_rows(engine, 20, urgent_every=5)
    with session_scope() as session:
        urgent = session.exec(select(Delivery.id).where(Delivery.priority == 0)).all()
    jobs = worker.claim(engine, limit=4, lease_seconds=60)
    assert sorted(j.id for j in jobs) == sorted(urgent)


def test_a_dead_workers_lease_expires_and_its_late_writes_are_ignored(engine):
    _pending_rows(engine, 3)
    first = worker.claim(engine, limit=10, lease_seconds=30)
    assert len(first) == 3
    assert worker.claim(engine, limit=10, lease_seconds=30) == []  # leased
    later = utcnow() + timedelta(seconds=31)
    second = worker.claim(engine, limit=10, lease_seconds=30, now=later)
    assert sorted(j.id for j in second) == sorted(j.id for j in first)
    worker.record(engine, [(first[0], rules.Outcome("sent"))])  # the old holder wakes up: ignored
    worker.record(engine, [(j, rules.Outcome("sent")) for j in second])
    with session_scope() as session:
        rows = session.exec(select(Delivery)).all()
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {1}


def test_retry_backoff_and_giving_up(engine):
    _pending_rows(engine, 2)
    jobs = worker.claim(engine, limit=10, lease_seconds=30)
    before = utcnow()
    worker.record(engine, [(jobs[0], rules.Outcome("retry", "HTTP 503")),
                           (jobs[1], rules.Outcome("retry", "HTTP 429", retry_after=120))], now=before)
    with session_scope() as session:
        rows = {r.id: r for r in session.exec(select(Delivery))}
    assert rows[jobs[0].id].next_attempt_at == before + timedelta(seconds=30)
    assert rows[jobs[1].id].next_attempt_at == before + timedelta(seconds=120)
    assert rows[jobs[0].id].status == "pending" and rows[jobs[0].id].last_error == "HTTP 503"
    assert worker.claim(engine, limit=10, lease_seconds=30) == []  # not due yet
    job = replace(worker.claim(engine, limit=1, lease_seconds=30, now=before + timedelta(seconds=31))[0],
                  attempts=rules.MAX_ATTEMPTS - 1)
    worker.record(engine, [(job, rules.Outcome("retry", "HTTP 503"))])
    with session_scope() as session:
        row = session.get(Delivery, job.id)
    assert row.status == "failed" and "gave up" in row.last_error


def _run_worker(engine, deadline=30.0, **overrides):
    config = replace(notices_settings(), push_concurrency=16, batch_size=50, **overrides)
    end = time.monotonic() + deadline
    while True:
        asyncio.run(worker.Worker(engine, config, poll_seconds=0.1).run(until_idle=True))
        with session_scope() as session:
            left = session.exec(select(Delivery).where(Delivery.status == "pending")).all()
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.2)


def test_push_end_to_end_with_a_fake_push_service(engine):
    def behaviour(path, count):
        if path.startswith("/gone"):
            return 410, {}
        if path.startswith("/missing"):
            return 404, {}
        if path.startswith("/busy") and count == 1:
            return 429, {"Retry-After": "1"}
        if path.startswith("/broken"):
            return 400, {}
        return 201, {}

    with FakeHTTPService(behaviour) as fake:
        subs = {name: BrowserSubscription(f"{fake.base_url}/{name}/abc") for name in ("ok", "gone", "missing", "busy", "broken")}
        with session_scope() as session:
            staff = personas.administrator(session, "moderator")
            for sub in subs.values():
                actions.save_push_subscription(session, actor=None, endpoint=sub.endpoint, p256dh=sub.p256dh,
                                               auth=sub.auth, categories=["civil_protection"])
        with session_scope() as session:
            notice = actions.publish_notice(session, actor=staff, title="Θυελλώδεις άνεμοι",
                                            body="Έως 9 μποφόρ. Στερεώστε αντικείμενα.", category="civil_protection",
                                            urgent=True)
        started = time.monotonic()
        left = _run_worker(engine)
        assert left == []
        ok = [r for r in fake.accepted if r.path == "/ok/abc"]
        assert len(ok) == 1
        data = json.loads(subs["ok"].decrypt(ok[0].body))
        assert data["title"] == "Θυελλώδεις άνεμοι" and data["url"] == f"/notices/{notice.id}"
        assert data["body"].startswith("Έως 9 μποφόρ") and data["urgent"] is True
        headers = ok[0].headers
        assert headers["Content-Encoding"] == "aes128gcm" and headers["Urgency"] == "high"
        assert int(headers["TTL"]) > 0
        verify_vapid(headers["Authorization"], fake.base_url)
        busy = [r for r in fake.received if r.path == "/busy/abc"]
        assert len(busy) == 2 and len([r for r in fake.accepted if r.path == "/busy/abc"]) == 1
        assert time.monotonic() - started >= 1.0  # waited for Retry-After
        assert json.loads(subs["busy"].decrypt(busy[1].body))["title"] == "Θυελλώδεις άνεμοι"
    with session_scope() as session:
        endpoints = {s.address for s in session.exec(select(Subscription))}
        rows = {r.address.split("/")[3]: r for r in session.exec(select(Delivery))}
    assert endpoints == {subs["ok"].endpoint, subs["busy"].endpoint, subs["broken"].endpoint}  # 404/410 removed
    assert rows["ok"].status == "sent" and rows["busy"].status == "sent" and rows["busy"].attempts == 2
    assert rows["gone"].status == "failed" and "410" in rows["gone"].last_error
    assert rows["missing"].status == "failed" and "404" in rows["missing"].last_error
    assert rows["broken"].status == "failed" and "400" in rows["broken"].last_error


def test_email_through_a_real_smtp_server_with_a_working_unsubscribe_link(engine, monkeypatch):
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("SYROS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SYROS_SMTP_PORT", str(port))
        monkeypatch.setenv("SYROS_SMTP_TLS", "none")
        with session_scope() as session:
            staff = personas.administrator(session, "moderator")
            actions.subscribe_email(session, actor=None, email="eleni@example.gr", categories=["water"])
        assert _run_worker(engine) == []
        confirm = message_from_bytes(received[0][1], policy=policy.default)
        assert received[0][0] == ["eleni@example.gr"]
        assert "επιβεβαιώστε" in confirm["Subject"]
        link = next(w for w in confirm.get_content().split() if "/notices/confirm?token=" in w)
        assert "/notices/unsubscribe?token=" in confirm.get_content() and confirm["List-Unsubscribe"]
        with session_scope() as session:
            actions.confirm_email(session, actor=None, token=link.split("token=", 1)[1])
            actions.publish_notice(session, actor=staff, title="Διακοπή νερού", body="Πέμπτη 09:00–14:00",
                                   category="water", area="Άνω Σύρος")
        assert _run_worker(engine) == []
        mail = message_from_bytes(received[1][1], policy=policy.default)
        assert mail["Subject"] == "Διακοπή νερού"
        text = mail.get_content()
        assert "Πέμπτη 09:00–14:00" in text
        unsubscribe = next(w for w in text.split() if "/notices/unsubscribe?token=" in w)
        assert mail["List-Unsubscribe"].startswith("<") and mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        with session_scope() as session:
            assert actions.unsubscribe(session, actor=None, token=unsubscribe.split("token=", 1)[1]) is True
        with session_scope() as session:
            assert session.exec(select(Subscription)).all() == []
    finally:
        controller.stop()


def test_sms_through_a_fake_gateway_with_the_number_normalised(engine, monkeypatch):
    with FakeHTTPService(lambda path, count: (200, {})) as gateway:
        monkeypatch.setenv("SYROS_SMS_GATEWAY_URL", f"{gateway.base_url}/sms/send")
        monkeypatch.setenv("SYROS_SMS_GATEWAY_AUTH", "Bearer test-token")
        with session_scope() as session:
            actions.subscribe_sms(session, actor=None, phone="694 123 4567", categories=["water"])
        assert _run_worker(engine) == []
        request = gateway.accepted[0]
        assert request.path == "/sms/send" and request.headers["Authorization"] == "Bearer test-token"
        body = json.loads(request.body)
        assert body["to"] == "+306941234567" and body["from"] == "SyrosAgora"
        code = body["text"].split("είναι ")[1][:6]
        with session_scope() as session:
            actions.confirm_sms(session, actor=None, phone="+306941234567", code=code, categories=["water"]).confirmed()
            assert session.exec(select(Delivery.payload).where(Delivery.kind == "confirm_sms")).one() == "{}"  # code not kept


def test_development_sinks_write_inspectable_files(engine, tmp_path, monkeypatch):
    monkeypatch.delenv("SYROS_SMTP_HOST", raising=False)
    monkeypatch.delenv("SYROS_SMS_GATEWAY_URL", raising=False)
    with session_scope() as session:
        actions.subscribe_email(session, actor=None, email="nikos@example.gr", categories=["water"])
        actions.subscribe_sms(session, actor=None, phone="6977777777", categories=["water"])
    assert _run_worker(engine) == []
    config = notices_settings()
    emls = list(config.mail_sink.glob("*.eml"))
    assert emls and b"nikos@example.gr" in emls[-1].read_bytes()
    lines = config.sms_sink.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["to"] == "+306977777777"

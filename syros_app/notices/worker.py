"""The outbox worker: claims deliveries with a lease, sends them, records the outcome.

Claiming is one statement that stamps a batch of due rows with this worker's
claim token and a lease: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
LOCKED)`` on PostgreSQL (concurrent workers skip each other's rows), the same
UPDATE on SQLite, where the write lock makes it atomic. A row is written back
only by the worker still holding its token; a worker that dies leaves its rows
leased until ``lease_until``, after which any worker takes them again.
Urgent rows (priority 0) are claimed first. Results are committed every
fraction of a second, so a killed worker re-sends at most what was in flight.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import signal
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Engine

from syros_app.core.i18n import translate
from syros_app.core.timefmt import utcnow

from . import channels, rules, staff_alerts
from syros_app.core.settings import NoticesSettings, notices_settings
from syros_app.ops.heartbeat import NOTICES_WORKER, Heartbeat, Outage
from .models import Delivery, OutboundMessage, Subscription
from .vapid import get_vapid

log = logging.getLogger("syros_app.notices.worker")


@dataclass
class Job:
    id: int
    token: str
    kind: str
    channel: str
    address: str
    payload: dict
    attempts: int
    subscription_id: int | None
    message_id: int | None
    title: str
    body: str
    url: str
    urgent: bool
    p256dh: str | None
    auth: str | None
    lang: str


def claim(engine: Engine, *, limit: int, lease_seconds: int, now: datetime | None = None) -> list[Job]:
    """Take up to ``limit`` due rows for this worker (atomically) and return them."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    due = (select(Delivery.id)
           .where(Delivery.status == "pending", Delivery.next_attempt_at <= now,
                  (Delivery.lease_until.is_(None)) | (Delivery.lease_until < now))
           .order_by(Delivery.priority, Delivery.id).limit(limit))
    if engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    with engine.begin() as conn:
        conn.execute(update(Delivery).where(Delivery.id.in_(due.scalar_subquery()))
                     .values(claim_token=token, lease_until=now + timedelta(seconds=lease_seconds))
                     .execution_options(synchronize_session=False))
        rows = conn.execute(
            select(Delivery.id, Delivery.kind, Delivery.channel, Delivery.address, Delivery.payload,
                   Delivery.attempts, Delivery.subscription_id, Delivery.message_id, OutboundMessage.title,
                   OutboundMessage.body, OutboundMessage.url, OutboundMessage.urgent, Subscription.p256dh,
                   Subscription.auth, Subscription.lang)
            .select_from(Delivery)
            .outerjoin(OutboundMessage, OutboundMessage.id == Delivery.message_id)
            .outerjoin(Subscription, Subscription.id == Delivery.subscription_id)
            .where(Delivery.claim_token == token)
            .order_by(Delivery.priority, Delivery.id)
        ).all()
    return [Job(id=r[0], token=token, kind=r[1], channel=r[2], address=r[3], payload=json.loads(r[4] or "{}"),
                attempts=r[5], subscription_id=r[6], message_id=r[7], title=r[8] or "", body=r[9] or "",
                url=r[10] or "/", urgent=bool(r[11]), p256dh=r[12], auth=r[13], lang=r[14] or "el") for r in rows]


def record(engine: Engine, results: list[tuple[Job, rules.Outcome]], now: datetime | None = None) -> None:
    """Write outcomes back (only for rows this worker still holds)."""
    if not results:
        return
    now = now or utcnow()
    sent, retry, failed, gone_subs = [], [], [], set()
    for job, outcome in results:
        if outcome.status == "sent":
            keep = "{}" if job.kind != "message" else json.dumps(job.payload)
            sent.append({"b_id": job.id, "b_tok": job.token, "b_attempts": job.attempts + 1, "b_payload": keep})
        elif outcome.status == "retry" and job.attempts + 1 < rules.MAX_ATTEMPTS:
            retry.append({"b_id": job.id, "b_tok": job.token, "b_attempts": job.attempts + 1,
                          "b_next": rules.next_attempt(job.attempts + 1, now, outcome.retry_after),
                          "b_error": outcome.reason[:500]})
        else:
            reason = outcome.reason if outcome.status != "retry" else f"gave up after {job.attempts + 1} attempts: {outcome.reason}"
            failed.append({"b_id": job.id, "b_tok": job.token, "b_attempts": job.attempts + 1, "b_error": reason[:500]})
            if outcome.status == "gone" and job.subscription_id is not None:
                gone_subs.add(job.subscription_id)
    mine = (Delivery.id == bindparam("b_id")) & (Delivery.claim_token == bindparam("b_tok"))
    with engine.begin() as conn:
        if sent:
            conn.execute(update(Delivery).where(mine).values(
                status="sent", sent_at=now, attempts=bindparam("b_attempts"), payload=bindparam("b_payload"),
                claim_token=None, lease_until=None, last_error=None).execution_options(synchronize_session=False), sent)
        if retry:
            conn.execute(update(Delivery).where(mine).values(
                status="pending", attempts=bindparam("b_attempts"), next_attempt_at=bindparam("b_next"),
                last_error=bindparam("b_error"), claim_token=None, lease_until=None)
                .execution_options(synchronize_session=False), retry)
        if failed:
            conn.execute(update(Delivery).where(mine).values(
                status="failed", attempts=bindparam("b_attempts"), last_error=bindparam("b_error"),
                claim_token=None, lease_until=None).execution_options(synchronize_session=False), failed)
        if gone_subs:
            conn.execute(update(Delivery).where(Delivery.subscription_id.in_(gone_subs), Delivery.status == "pending",
                                                Delivery.claim_token.is_(None))
                         .values(status="failed", last_error="push subscription expired")
                         .execution_options(synchronize_session=False))
            conn.execute(delete(Subscription).where(Subscription.id.in_(gone_subs), Subscription.channel == "push"))


class Worker:
    """Sends claimed deliveries concurrently over one HTTP session."""

    def __init__(self, engine: Engine, config: NoticesSettings | None = None, *, poll_seconds: float | None = None,
                 flush_seconds: float = 0.2) -> None:
        self.engine = engine
        self.config = config or notices_settings()
        self.poll_seconds = poll_seconds if poll_seconds is not None else self.config.poll_seconds
        self.flush_seconds = flush_seconds
        self._results: list[tuple[Job, rules.Outcome]] = []
        self.sent_count = 0

    # --- one job ------------------------------------------------------------------------
    async def _send(self, job: Job) -> rules.Outcome:
        cfg = self.config
        if job.channel == "push":
            if not (job.p256dh and job.auth):
                return rules.Outcome("failed", "push subscription removed")
            payload = rules.push_payload(title=job.title, body=job.body, url=job.url, urgent=job.urgent,
                                         tag=f"m{job.message_id}", lang=job.lang)
            return await self.push.send(endpoint=job.address, p256dh=job.p256dh, auth=job.auth, payload=payload,
                                        urgent=job.urgent, topic=f"m{job.message_id}")
        if job.channel == "email":
            return await channels.send_email(cfg, self._email_for(job), name=f"{job.id:08d}-{job.kind}")
        if job.channel == "sms":
            return await channels.send_sms(cfg, self.http, to=job.address, text=self._sms_for(job))
        return rules.Outcome("failed", f"unknown channel {job.channel}")

    def _email_for(self, job: Job):
        from .actions import unsubscribe_token

        cfg = self.config
        lang = job.payload.get("lang") or job.lang
        token = unsubscribe_token(job.subscription_id or 0)
        unsubscribe_url = f"{cfg.public_url}/notices/unsubscribe?token={token}"
        one_click = f"{cfg.public_url}/api/v1/notices/unsubscribe?token={token}"
        if job.kind == "confirm_email":
            text = translate("notices.mail.confirm_text", lang, link=job.payload.get("link", ""),
                             unsubscribe=unsubscribe_url)
            return channels.build_email(cfg, to=job.address, subject=translate("notices.mail.confirm_subject", lang),
                                        text=text, unsubscribe_url=unsubscribe_url, one_click_url=one_click)
        if job.kind == staff_alerts.DIGEST:
            subject, items = staff_alerts.digest_text(job.payload, lang, cfg.public_url)
            text = translate("notices.staff_alert.mail_text", lang, items=items, settings=f"{cfg.public_url}/staff/alerts",
                             unsubscribe=unsubscribe_url)
            return channels.build_email(cfg, to=job.address, subject=subject, text=text,
                                        unsubscribe_url=unsubscribe_url, one_click_url=one_click)
        subject = (translate("notices.mail.urgent_prefix", lang) + " " if job.urgent else "") + job.title
        text = translate("notices.mail.message_text", lang, body=job.body, link=cfg.public_url + job.url,
                         unsubscribe=unsubscribe_url)
        return channels.build_email(cfg, to=job.address, subject=subject, text=text,
                                    unsubscribe_url=unsubscribe_url, one_click_url=one_click)

    def _sms_for(self, job: Job) -> str:
        lang = job.payload.get("lang") or job.lang
        if job.kind == "confirm_sms":
            return translate("notices.sms.code", lang, code=job.payload.get("code", ""))
        return translate("notices.sms.message", lang, title=job.title, link=self.config.public_url + job.url)

    # --- the loop -----------------------------------------------------------------------
    async def _flush(self) -> None:
        results, self._results = self._results, []
        if results:
            try:
                await asyncio.to_thread(record, self.engine, results)
            except Exception:  # noqa: BLE001 - database away: keep the outcomes and write them later
                self._results[:0] = results
                return
            self.sent_count += sum(1 for _, o in results if o.status == "sent")

    async def _flusher(self, done: asyncio.Event) -> None:
        while not done.is_set():
            try:
                await asyncio.wait_for(done.wait(), self.flush_seconds)
            except asyncio.TimeoutError:
                pass
            await self._flush()

    async def _consume(self, queue: asyncio.Queue) -> None:
        while True:
            job = await queue.get()
            if job is None:
                queue.task_done()
                return
            try:
                outcome = await self._send(job)
            except Exception as exc:  # noqa: BLE001 - one bad row must not stop the worker
                log.exception("delivery %s failed", job.id)
                outcome = rules.Outcome("retry", f"error: {exc.__class__.__name__}")
            self._results.append((job, outcome))
            queue.task_done()

    async def run(self, *, until_idle: bool = False, stop: asyncio.Event | None = None) -> int:
        """Send until stopped (or, with ``until_idle``, until nothing is due). Returns rows sent."""
        cfg = self.config
        stop = stop or asyncio.Event()
        connector = aiohttp.TCPConnector(limit=cfg.push_concurrency, limit_per_host=cfg.push_concurrency,
                                         ttl_dns_cache=300)
        async with aiohttp.ClientSession(connector=connector, trust_env=False) as http:
            self.http = http
            self.push = channels.PushSender(cfg, get_vapid())
            queue: asyncio.Queue = asyncio.Queue(maxsize=cfg.batch_size * 2)
            consumers = [asyncio.create_task(self._consume(queue)) for _ in range(cfg.push_concurrency)]
            done = asyncio.Event()
            flusher = asyncio.create_task(self._flusher(done))
            heartbeat, outage = Heartbeat(self.engine, NOTICES_WORKER), Outage("notices worker")
            try:
                while not stop.is_set():
                    if queue.qsize() > cfg.batch_size:
                        await asyncio.sleep(0.01)
                        continue
                    try:
                        jobs = await asyncio.to_thread(claim, self.engine, limit=cfg.batch_size,
                                                       lease_seconds=cfg.lease_seconds)
                    except Exception as exc:  # noqa: BLE001 - a database outage: wait, then resume
                        await _pause(stop, outage.failed(exc))
                        continue
                    outage.recovered()
                    await asyncio.to_thread(heartbeat.beat)
                    for job in jobs:
                        await queue.put(job)
                    if not jobs:
                        if until_idle:
                            await queue.join()
                            await self._flush()
                            if not await asyncio.to_thread(_anything_due, self.engine):
                                break
                            continue
                        await _pause(stop, self.poll_seconds)
                await queue.join()
            finally:
                for _ in consumers:
                    queue.put_nowait(None)
                await asyncio.gather(*consumers, return_exceptions=True)
                done.set()
                await flusher
                await self._flush()
                self.push.close()
        return self.sent_count


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass


def _anything_due(engine: Engine) -> bool:
    now = utcnow()
    with engine.connect() as conn:
        row = conn.execute(select(Delivery.id).where(
            Delivery.status == "pending", Delivery.next_attempt_at <= now,
            (Delivery.lease_until.is_(None)) | (Delivery.lease_until < now)).limit(1)).first()
    return row is not None


def run_forever(engine: Engine | None = None) -> int:
    """Entry point of ``python -m syros_app notices worker``: stops cleanly on SIGINT/SIGTERM."""
    from syros_app.core.db import get_engine

    from syros_app.ops.logs import configure_logging

    configure_logging()
    engine = engine or get_engine()

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        worker = Worker(engine)
        print("notices worker: sending from the outbox (Ctrl-C stops it)", flush=True)
        return await worker.run(stop=stop)

    asyncio.run(main())
    return 0

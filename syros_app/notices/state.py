"""Reflex states of notices (thin: read input, call an action or query, shape view data)."""

from __future__ import annotations

import json
from datetime import datetime

import reflex as rx
from pydantic import BaseModel

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.core.timefmt import ATHENS, format_local, utcnow
from syros_app.identity.state import StaffState, current_actor
from syros_app.ui.state_helpers import reader_language as _lang

from . import actions, queries, rules
from .permissions import can_publish


class NoticeCard(BaseModel):
    id: int
    url: str
    title: str
    excerpt: str
    body: str
    category: str
    category_label: str
    area_label: str
    published: str
    validity: str
    urgent: bool
    link: str


def _card(notice, lang: str) -> NoticeCard:
    validity = ""
    if notice.valid_from or notice.valid_until:
        start = format_local(notice.valid_from, lang) if notice.valid_from else ""
        end = format_local(notice.valid_until, lang) if notice.valid_until else ""
        validity = translate("notices.validity_range", lang, start=start or "…", end=end or "…")
    return NoticeCard(
        id=notice.id, url=f"/notices/{notice.id}", title=notice.title, excerpt=rules.excerpt(notice.body, 220),
        body=notice.body, category=notice.category, category_label=translate(rules.category_key(notice.category), lang),
        area_label=notice.area or translate("notices.area_all", lang),
        published=format_local(notice.published_at, lang) if notice.published_at else "",
        validity=validity, urgent=notice.urgent, link=notice.link or "")


class NoticesState(rx.State):
    """The public archive with filters."""

    items: list[NoticeCard] = []
    category_filter: str = ""
    area_filter: str = ""
    loaded: bool = False

    async def _reload(self):
        lang = await _lang(self)
        with session_scope() as session:
            notices = queries.published_notices(session, category=self.category_filter or None,
                                                area=self.area_filter or None)
            self.items = [_card(n, lang) for n in notices]
        self.loaded = True

    @rx.event
    async def load(self):
        params = self.router.page.params if self.router and self.router.page else {}
        category = params.get("category", "") if isinstance(params.get("category", ""), str) else ""
        self.category_filter = category if category in rules.CATEGORIES else ""
        area = params.get("area", "") if isinstance(params.get("area", ""), str) else ""
        self.area_filter = area if area in rules.AREAS else ""
        await self._reload()

    @rx.event
    async def set_category_filter(self, value: str):
        self.category_filter = value if value in rules.CATEGORIES else ""
        await self._reload()

    @rx.event
    async def set_area_filter(self, value: str):
        self.area_filter = value if value in rules.AREAS else ""
        await self._reload()


class NoticeDetailState(rx.State):
    notice: NoticeCard | None = None
    loaded: bool = False

    @rx.event
    async def load(self):
        raw = self.router.page.params.get("notice_id", "") if self.router and self.router.page else ""
        self.notice = None
        if isinstance(raw, str) and raw.isdigit() and len(raw) < 12:
            lang = await _lang(self)
            with session_scope() as session:
                notice = queries.get_notice(session, int(raw))
                if notice is not None:
                    self.notice = _card(notice, lang)
        self.loaded = True


class SubscriptionView(BaseModel):
    id: int
    channel_label: str
    address: str
    categories: str
    confirmed: bool


PUSH_SCRIPT = """
(async () => {
  const prefs = %s;
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  try {
    const registration = await navigator.serviceWorker.ready;
    const keyResponse = await fetch('/api/v1/push/vapid-public-key');
    const publicKey = (await keyResponse.json()).publicKey;
    const pad = '='.repeat((4 - publicKey.length %% 4) %% 4);
    const raw = atob((publicKey + pad).replace(/-/g, '+').replace(/_/g, '/'));
    const key = Uint8Array.from(raw, (c) => c.charCodeAt(0));
    let subscription = await registration.pushManager.getSubscription();
    if (!subscription) subscription = await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key});
    const response = await fetch('/api/v1/push/subscriptions', {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({subscription: subscription.toJSON ? subscription.toJSON() : subscription, ...prefs})});
    if (response.ok) return 'ok';
    const problem = await response.json().catch(() => ({}));
    return 'error:' + (problem.message || response.status);
  } catch (e) { return 'error:' + e; }
})()
"""

PUSH_OFF_SCRIPT = """
(async () => {
  if (!('serviceWorker' in navigator)) return 'off';
  const registration = await navigator.serviceWorker.ready;
  const subscription = registration.pushManager ? await registration.pushManager.getSubscription() : null;
  if (!subscription) return 'off';
  await fetch('/api/v1/push/subscriptions', {method: 'DELETE', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({endpoint: subscription.endpoint})});
  try { await subscription.unsubscribe(); } catch (e) {}
  return 'off';
})()
"""

PUSH_STATUS_SCRIPT = """
(async () => {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return 'unsupported';
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = registration && registration.pushManager ? await registration.pushManager.getSubscription() : null;
  if (!subscription) return 'off';
  const response = await fetch('/api/v1/push/subscription-status', {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({endpoint: subscription.endpoint})});
  const status = await response.json();
  return status.subscribed ? 'on' : 'off';
})()
"""


class SubscribeState(rx.State):
    categories: list[str] = list(rules.CATEGORIES)
    areas: list[str] = []
    error: str = ""
    success: str = ""
    push_status: str = ""  # on | off | unsupported | ""
    sms_phone: str = ""
    sms_waiting: bool = False
    mine: list[SubscriptionView] = []
    logged_in: bool = False

    @rx.event
    def toggle_category(self, category: str):
        if category in rules.CATEGORIES:
            self.categories = [c for c in rules.CATEGORIES if (c in self.categories) != (c == category)]

    @rx.event
    def toggle_area(self, area: str):
        if area in rules.AREAS:
            self.areas = [a for a in rules.AREAS if (a in self.areas) != (a == area)]

    async def _fail(self, exc: AgoraError):
        self.success = ""
        self.error = exc.message(await _lang(self))

    async def _ok(self, key: str, **params):
        self.error = ""
        self.success = translate(key, await _lang(self), **params)

    def _load_mine(self, lang: str) -> None:
        actor = current_actor(self)
        self.logged_in = actor is not None
        self.mine = []
        if actor is None:
            return
        with session_scope() as session:
            self.mine = [SubscriptionView(
                id=s.id, channel_label=translate(f"notices.channel.{s.channel}", lang),
                address=rules.mask_address(s.channel, s.address),
                categories=", ".join(translate(rules.category_key(c), lang) for c in rules.split(s.categories)),
                confirmed=s.confirmed_at is not None) for s in queries.subscriptions_of(session, actor.person_id)]

    @rx.event
    async def load(self):
        self.error = self.success = ""
        self._load_mine(await _lang(self))
        return rx.call_script(PUSH_STATUS_SCRIPT, callback=SubscribeState.push_status_seen)

    @rx.event
    def push_status_seen(self, status: str):
        self.push_status = status if status in ("on", "off", "unsupported") else "off"

    @rx.event
    async def enable_push(self):
        if not rules.clean_categories(self.categories):
            return await self._fail(AgoraError("notices.errors.no_category"))
        prefs = {"categories": rules.clean_categories(self.categories), "areas": rules.clean_areas(self.areas),
                 "lang": await _lang(self)}
        self.error = ""
        return rx.call_script(PUSH_SCRIPT % json.dumps(prefs), callback=SubscribeState.push_done)

    @rx.event
    async def push_done(self, result: str):
        result = result if isinstance(result, str) else "error"
        if result == "ok":
            self.push_status = "on"
            await self._ok("notices.subscribe.push_on")
        elif result == "denied":
            await self._fail(AgoraError("notices.errors.push_denied"))
        elif result == "unsupported":
            self.push_status = "unsupported"
            await self._fail(AgoraError("notices.errors.push_unsupported"))
        else:
            await self._fail(AgoraError("notices.errors.push_failed"))
        self._load_mine(await _lang(self))

    @rx.event
    def disable_push(self):
        return rx.call_script(PUSH_OFF_SCRIPT, callback=SubscribeState.push_disabled)

    @rx.event
    async def push_disabled(self, _result: str):
        self.push_status = "off"
        await self._ok("notices.subscribe.push_off")
        self._load_mine(await _lang(self))

    @rx.event
    async def subscribe_email(self, form_data: dict):
        lang = await _lang(self)
        email = form_data.get("email", "") if isinstance(form_data, dict) else ""
        try:
            with session_scope() as session:
                actions.subscribe_email(session, actor=current_actor(self), email=str(email),
                                        categories=self.categories, areas=self.areas, lang=lang)
        except AgoraError as exc:
            return await self._fail(exc)
        await self._ok("notices.subscribe.email_sent")

    @rx.event
    async def subscribe_sms(self, form_data: dict):
        lang = await _lang(self)
        phone = str(form_data.get("phone", "")) if isinstance(form_data, dict) else ""
        try:
            with session_scope() as session:
                sub = actions.subscribe_sms(session, actor=current_actor(self), phone=phone,
                                            categories=self.categories, areas=self.areas, lang=lang)
                self.sms_phone = sub.address
        except AgoraError as exc:
            return await self._fail(exc)
        self.sms_waiting = True
        await self._ok("notices.subscribe.sms_sent", phone=self.sms_phone)

    @rx.event
    async def confirm_sms(self, form_data: dict):
        code = str(form_data.get("code", "")) if isinstance(form_data, dict) else ""
        try:
            with session_scope() as session:
                actions.confirm_sms(session, phone=self.sms_phone, code=code, categories=self.categories,
                                    areas=self.areas)
        except AgoraError as exc:
            return await self._fail(exc)
        self.sms_waiting = False
        await self._ok("notices.subscribe.sms_confirmed")
        self._load_mine(await _lang(self))

    @rx.event
    async def remove_mine(self, subscription_id: int):
        try:
            with session_scope() as session:
                actions.remove_my_subscription(session, actor=current_actor(self), subscription_id=int(subscription_id))
        except (AgoraError, ValueError, TypeError) as exc:
            return await self._fail(exc if isinstance(exc, AgoraError) else AgoraError("notices.errors.subscription_gone"))
        await self._ok("notices.subscribe.removed")
        self._load_mine(await _lang(self))


class LinkState(rx.State):
    """The pages opened from e-mail links: confirm, and one-tap unsubscribe."""

    token: str = ""
    message: str = ""
    error: str = ""
    done: bool = False
    address: str = ""

    def _token(self) -> str:
        raw = self.router.page.params.get("token", "") if self.router and self.router.page else ""
        return raw if isinstance(raw, str) and len(raw) < 600 else ""

    @rx.event
    async def load_confirm(self):
        lang = await _lang(self)
        self.error = self.message = ""
        try:
            with session_scope() as session:
                sub = actions.confirm_email(session, token=self._token())
                self.address = sub.address
            self.message = translate("notices.confirm.ok", lang, address=self.address)
            self.done = True
        except AgoraError as exc:
            self.error = exc.message(lang)

    @rx.event
    async def load_unsubscribe(self):
        lang = await _lang(self)
        self.token, self.done, self.error, self.message = self._token(), False, "", ""
        from .models import Subscription

        try:
            sub_id = rules.read_token(actions.get_settings().secret_key, "unsubscribe", self.token)
        except AgoraError as exc:
            self.error = exc.message(lang)
            return
        with session_scope() as session:
            sub = session.get(Subscription, sub_id)
            if sub is None:
                self.done = True
                self.message = translate("notices.unsubscribe.already", lang)
            else:
                self.address = rules.mask_address(sub.channel, sub.address)

    @rx.event
    async def unsubscribe(self):
        lang = await _lang(self)
        try:
            with session_scope() as session:
                actions.unsubscribe(session, token=self.token)
        except AgoraError as exc:
            self.error = exc.message(lang)
            return
        self.done = True
        self.message = translate("notices.unsubscribe.done", lang)


class StaffNoticeRow(BaseModel):
    id: int
    url: str
    title: str
    category_label: str
    area_label: str
    published: str
    urgent: bool
    sent: int
    failed: int
    pending: int
    failures: str


def _parse_local(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ATHENS)
    except ValueError:
        raise AgoraError("notices.errors.bad_date") from None


class StaffNoticesState(StaffState):
    rows: list[StaffNoticeRow] = []
    error: str = ""
    success: str = ""
    allowed: bool = False
    form_key: int = 0

    async def _reload(self, lang: str) -> None:
        with session_scope() as session:
            notices = queries.published_notices(session, limit=50)
            counts = queries.delivery_counts(session, [n.id for n in notices])
            rows = []
            for n in notices:
                c = counts.get(n.id, {})
                failures = "; ".join(sorted({d.last_error or "" for d in queries.failures_of(session, n.id, 5)}))
                rows.append(StaffNoticeRow(
                    id=n.id, url=f"/notices/{n.id}", title=n.title,
                    category_label=translate(rules.category_key(n.category), lang),
                    area_label=n.area or translate("notices.area_all", lang),
                    published=format_local(n.published_at, lang), urgent=n.urgent, sent=c.get("sent", 0),
                    failed=c.get("failed", 0), pending=c.get("pending", 0), failures=failures))
        self.rows = rows

    @rx.event
    async def load(self):
        actor = current_actor(self)
        self.allowed = can_publish(actor)
        if not self.allowed:
            self.rows = []
            return
        await self._reload(await _lang(self))

    @rx.event
    async def publish(self, form_data: dict):
        actor = current_actor(self)
        lang = await _lang(self)
        if not can_publish(actor):
            self.error = translate("notices.errors.staff_only", lang)
            return
        data = form_data if isinstance(form_data, dict) else {}
        try:
            with session_scope() as session:
                notice = actions.publish_notice(
                    session, actor=actor, title=str(data.get("title", "")), body=str(data.get("body", "")),
                    category=str(data.get("category", "")), area=str(data.get("area", "")) or None,
                    urgent=str(data.get("urgent", "")) in ("on", "true", "1"), link=str(data.get("link", "")),
                    valid_from=_parse_local(str(data.get("valid_from", ""))),
                    valid_until=_parse_local(str(data.get("valid_until", ""))), now=utcnow())
                title = notice.title
        except AgoraError as exc:
            self.success = ""
            self.error = exc.message(lang)
            return
        self.error = ""
        self.success = translate("notices.staff.published", lang, title=title)
        self.form_key += 1
        await self._reload(lang)

    @rx.event
    async def refresh(self):
        actor = current_actor(self)
        if not can_publish(actor):
            return
        await self._reload(await _lang(self))

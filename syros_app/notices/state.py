"""Reflex states of notices: thin. Writes go through ``run_action`` (the action checks
who acts), reads through ``read`` and the builders in ``views``; states only assign."""

from __future__ import annotations

import json

import reflex as rx

from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.identity.state import StaffState
from syros_app.ui.state_helpers import Confirming, current_actor, read, reader_language, run_action

from . import actions, outbox, queries, rules, staff_alerts, views
from .browser import PUSH_OFF_SCRIPT, PUSH_SCRIPT, PUSH_STATUS_SCRIPT
from .permissions import MATRIX
from .views import NoticeCard, StaffNoticeRow, SubscriptionView


def _param(state: rx.State, name: str, longest: int = 600) -> str:
    """A route or query parameter as text ("" when missing, not text, or too long)."""
    params = state.router.page.params if state.router and state.router.page else {}
    value = params.get(name, "")
    return value if isinstance(value, str) and len(value) < longest else ""


def _field(form: dict, name: str) -> object:
    """A form field as the browser sent it: the action's schema checks its type, not the state."""
    return form.get(name, "") if isinstance(form, dict) else ""


def _one_of(value: object, allowed: list[str]) -> str:
    return value if isinstance(value, str) and value in allowed else ""


class NoticesState(rx.State):
    """The public archive with filters."""

    items: list[NoticeCard] = []
    category_filter: str = ""
    area_filter: str = ""
    loaded: bool = False

    async def _reload(self):
        lang, category, area = await reader_language(self), self.category_filter or None, self.area_filter or None
        self.items = await read(lambda s: views.notice_cards(
            queries.published_notices(s, category=category, area=area), lang))
        self.loaded = True

    @rx.event
    async def load(self):
        self.category_filter = _one_of(_param(self, "category"), rules.CATEGORIES)
        self.area_filter = _one_of(_param(self, "area"), rules.AREAS)
        await self._reload()

    @rx.event
    async def set_category_filter(self, value: str):
        self.category_filter = _one_of(value, rules.CATEGORIES)
        await self._reload()

    @rx.event
    async def set_area_filter(self, value: str):
        self.area_filter = _one_of(value, rules.AREAS)
        await self._reload()


class NoticeDetailState(rx.State):
    notice: NoticeCard | None = None
    loaded: bool = False

    @rx.event
    async def load(self):
        raw, lang = _param(self, "notice_id", 12), await reader_language(self)
        self.notice = None
        if raw.isdigit():
            self.notice = await read(lambda s: views.notice_card(queries.get_notice(s, int(raw)), lang))
        self.loaded = True


# What the browser's push script answered → (push status or None to keep it, error key, done key).
PUSH_RESULTS = {
    "ok": ("on", "", "notices.subscribe.push_on"),
    "off": ("off", "", "notices.subscribe.push_off"),
    "denied": (None, "notices.errors.push_denied", ""),
    "unsupported": ("unsupported", "notices.errors.push_unsupported", ""),
}
PUSH_FAILED = (None, "notices.errors.push_failed", "")


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

    async def _load_mine(self) -> None:
        actor, lang = current_actor(self), await reader_language(self)
        self.logged_in = actor is not None
        self.mine = [] if actor is None else await read(
            lambda s: views.my_subscriptions(queries.subscriptions_of(s, actor.person_id), lang))

    @rx.event
    def toggle_category(self, category: str):
        if category in rules.CATEGORIES:
            self.categories = [c for c in rules.CATEGORIES if (c in self.categories) != (c == category)]

    @rx.event
    def toggle_area(self, area: str):
        if area in rules.AREAS:
            self.areas = [a for a in rules.AREAS if (a in self.areas) != (a == area)]

    @rx.event
    async def load(self):
        self.error = self.success = ""
        await self._load_mine()
        return rx.call_script(PUSH_STATUS_SCRIPT, callback=SubscribeState.push_status_seen)

    @rx.event
    def push_status_seen(self, status: str):
        self.push_status = status if status in ("on", "off", "unsupported") else "off"

    @rx.event
    async def enable_push(self):
        lang, categories = await reader_language(self), rules.clean_categories(self.categories)
        if not categories:
            self.success, self.error = "", translate("notices.errors.no_category", lang)
            return
        self.error = ""
        prefs = {"categories": categories, "areas": rules.clean_areas(self.areas), "lang": lang}
        return rx.call_script(PUSH_SCRIPT % json.dumps(prefs), callback=SubscribeState.push_done)

    @rx.event
    async def push_done(self, result: str):
        """The browser's answer to turning push on (or off: that script always answers "off")."""
        status, error_key, done_key = PUSH_RESULTS.get(result if isinstance(result, str) else "", PUSH_FAILED)
        lang = await reader_language(self)
        self.push_status = status or self.push_status
        self.error, self.success = (translate(key, lang) if key else "" for key in (error_key, done_key))
        await self._load_mine()

    @rx.event
    def disable_push(self):
        return rx.call_script(PUSH_OFF_SCRIPT, callback=SubscribeState.push_done)

    @rx.event
    async def subscribe_email(self, form_data: dict):
        await run_action(self, actions.subscribe_email, "notices.subscribe.email_sent", done_attr="success",
                         email=_field(form_data, "email"), categories=self.categories, areas=self.areas,
                         lang=await reader_language(self))

    @rx.event
    async def subscribe_sms(self, form_data: dict):
        lang = await reader_language(self)
        outcome = await run_action(self, actions.subscribe_sms, done_attr="success", phone=_field(form_data, "phone"),
                                   categories=self.categories, areas=self.areas, lang=lang)
        if outcome:
            self.sms_phone, self.sms_waiting = outcome.value.address, True
            self.success = translate("notices.subscribe.sms_sent", lang, phone=self.sms_phone)

    @rx.event
    async def confirm_sms(self, form_data: dict):
        outcome = await run_action(self, actions.confirm_sms, "notices.subscribe.sms_confirmed", done_attr="success",
                                   phone=self.sms_phone, code=_field(form_data, "code"), categories=self.categories,
                                   areas=self.areas)
        if not outcome:
            return
        if outcome.value.refusal is not None:  # a wrong code: the attempt is counted and committed by now
            self.success, self.error = "", outcome.value.refusal.message(await reader_language(self))
            return
        self.sms_waiting = False
        await self._load_mine()

    @rx.event
    async def remove_mine(self, subscription_id: int):
        if await run_action(self, actions.remove_my_subscription, "notices.subscribe.removed", done_attr="success",
                            subscription_id=subscription_id):
            await self._load_mine()


class LinkState(rx.State):
    """The pages opened from e-mail links: confirm, and one-tap unsubscribe."""

    token: str = ""
    message: str = ""
    error: str = ""
    done: bool = False
    address: str = ""

    @rx.event
    async def load_confirm(self):
        lang = await reader_language(self)
        outcome = await run_action(self, actions.confirm_email, done_attr="message", token=_param(self, "token"))
        if outcome:
            self.address, self.done = outcome.value.address, True
            self.message = translate("notices.confirm.ok", lang, address=self.address)

    @rx.event
    async def load_unsubscribe(self):
        lang, token = await reader_language(self), _param(self, "token")
        self.token, self.done, self.error, self.message = token, False, "", ""
        try:
            self.address = await read(lambda s: views.masked_address(queries.subscription_to_unsubscribe(s, token)))
        except AgoraError as exc:  # a bad or expired link
            self.error = exc.message(lang)
            return
        if not self.address:
            self.done, self.message = True, translate("notices.unsubscribe.already", lang)

    @rx.event
    async def unsubscribe(self):
        self.done = bool(await run_action(self, actions.unsubscribe, "notices.unsubscribe.done", done_attr="message",
                                          token=self.token))


class StaffNoticesState(Confirming, StaffState):
    rows: list[StaffNoticeRow] = []
    title_error: str = ""
    body_error: str = ""
    error: str = ""
    success: str = ""
    allowed: bool = False
    form_key: int = 0

    async def _show_board(self) -> None:
        """The board, for those the matrix lets see deliveries; nothing for anyone else."""
        lang = await reader_language(self)
        self.allowed = MATRIX.allows(current_actor(self), "view_deliveries")
        self.rows = await read(lambda s: views.staff_rows(queries.delivery_board(s), lang)) if self.allowed else []

    @rx.event
    async def load(self):
        await self._show_board()

    @rx.event
    async def ask_publish(self, form_data: dict):
        """Check the required fields (errors beside them), then say who the notice will
        reach — per channel, counted now — before anything is sent."""
        lang = await reader_language(self)
        draft = views.notice_draft(form_data)
        self.title_error = translate("notices.errors.title_missing", lang) if not draft["title"].strip() else ""
        self.body_error = translate("notices.errors.body_missing", lang) if not draft["body"].strip() else ""
        if self.title_error or self.body_error or not MATRIX.allows(current_actor(self), "publish_notice"):
            return None
        counts = await read(lambda s: outbox.count_recipients(s, category=str(draft["category"]),
                                                               area=draft["area"] or None, urgent=draft["urgent"]))
        return await self._ask("publish", 0, title="notices.confirm.title", what="notices.confirm.what",
                               who="notices.confirm.urgent_who" if draft["urgent"] else "notices.confirm.who",
                               label="notices.confirm.label", payload=json.dumps(draft, ensure_ascii=False),
                               name=draft["title"], area=draft["area"] or translate("notices.area_all", lang),
                               **views.recipient_counts(counts))

    @rx.event
    async def ask_withdraw(self, notice_id: int):
        row = next((r for r in self.rows if str(r.id) == str(notice_id)), None)
        if row is None or row.withdrawn:
            return None
        return await self._ask("withdraw", row.id, title="notices.confirm.withdraw_title",
                               what="notices.confirm.withdraw_what", who="notices.confirm.withdraw_who",
                               label="notices.confirm.withdraw_label", reason=True, name=row.title)

    @rx.event
    async def confirm(self, form_data: dict):
        """Publish the notice the dialog confirmed (the draft travels in the form), or
        withdraw one with its public correction (the dialog's reason)."""
        if isinstance(form_data, dict) and form_data.get("step") == "withdraw":
            outcome, then = await self._confirmed(actions.withdraw_notice, "notices.staff.withdrawn_done",
                                                  done_attr="success", notice_id=form_data.get("target"),
                                                  correction=_field(form_data, "reason"))
            if outcome:
                await self._show_board()
            return then
        draft = views.notice_draft(views.payload_of(form_data))
        outcome, then = await self._confirmed(
            actions.publish_notice, "", done_attr="success", urgent=draft.pop("urgent"),
            area=draft.pop("area") or None, **{k: v or None if k.startswith("valid") else v for k, v in draft.items()})
        if outcome:
            self.success = translate("notices.staff.published", await reader_language(self), title=outcome.value.title)
            self.form_key += 1
            await self._show_board()
        return then


class StaffAlertsState(StaffState):
    """A staff person's own "work has arrived" alerts: which kinds are on (``view``)."""

    allowed: bool = False
    loaded: bool = False
    view: views.StaffAlertsView = views.StaffAlertsView()
    error: str = ""
    notice: str = ""

    async def _show(self) -> None:
        actor, lang = current_actor(self), await reader_language(self)
        self.allowed, self.loaded = MATRIX.allows(actor, "set_staff_alerts"), True
        self.view = (await read(lambda s: views.staff_alerts_view(s, actor.person_id, lang)) if self.allowed
                     else views.StaffAlertsView())

    @rx.event
    async def save(self, form_data: dict):
        chosen = form_data if isinstance(form_data, dict) else {}
        kinds = [k for k in staff_alerts.KINDS if chosen.get(f"alert-{k}") in ("on", True)]
        if await run_action(self, actions.set_staff_alerts, "notices.staff_alert.saved", kinds=kinds):
            await self._show()

    @rx.event
    async def load(self):
        """The settings afresh: no message left from an earlier visit."""
        self.error = self.notice = ""
        await self._show()

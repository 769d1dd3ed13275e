"""Writes of notices: publishing, subscribing, confirming, unsubscribing.

Every write is an :func:`~syros_app.core.actions.action` checked against
:data:`~.permissions.MATRIX` before its input is looked at, and runs in the caller's
transaction: publishing writes the notice, its message, every delivery row and the audit
row together, so a notice is never published without its notifications, nor notified
without being published. Actions never commit; ``core.db.session_scope`` does.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core.actions import Conflict, action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import InvalidInput, NotFound
from syros_app.core.i18n import translate
from syros_app.core.settings import get_settings, notices_settings
from syros_app.core.timefmt import ATHENS, as_utc

from . import outbox, queries, rules, staff_alerts
from .models import Delivery, Notice, Subscription
from .permissions import MATRIX
from .vapid import b64url_decode

CODE_TTL = timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5
RESEND_GAP = timedelta(seconds=60)
MAX_CONFIRMATIONS_PER_HOUR = 3


def _island_time(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive time is the island's wall-clock time, as a datetime-local field sends it."""
    if value is None:
        return None
    return as_utc(value.replace(tzinfo=ATHENS) if value.tzinfo is None else value)


def _check_link(link: str | None) -> str | None:
    link = (link or "").strip() or None
    if link is not None:
        parts = urlsplit(link)
        if parts.scheme not in ("https", "http") or not parts.netloc or len(link) > 500:
            raise InvalidInput("notices.errors.bad_link_url")
    return link


@action(MATRIX, "publish_notice")
def publish_notice(session: Session, *, actor: Actor | None, title: str, body: str, category: str,
                   area: str | None = None, urgent: bool = False, link: str | None = None,
                   valid_from: datetime | None = None, valid_until: datetime | None = None,
                   now: datetime) -> Notice:
    """Write and publish a notice, and queue it for every matching subscription."""
    title, body = title.strip(), body.strip()
    if not title:
        raise InvalidInput("notices.errors.title_missing")
    if len(title) > 160:
        raise InvalidInput("notices.errors.title_too_long")
    if not body:
        raise InvalidInput("notices.errors.body_missing")
    category, area, link = rules.check_category(category), rules.check_area(area), _check_link(link)
    valid_from, valid_until = _island_time(valid_from), _island_time(valid_until)
    if valid_from and valid_until and valid_until <= valid_from:
        raise InvalidInput("notices.errors.bad_validity")
    notice = Notice(title=title, body=body, category=category, area=area, urgent=urgent, link=link,
                    valid_from=valid_from, valid_until=valid_until, created_at=now, published_at=now,
                    created_by=actor.person_id)
    session.add(notice)
    session.flush()
    message = outbox.add_message(
        session, source=f"notice:{notice.id}", notice_id=notice.id, title=title, body=rules.excerpt(body, 600),
        url=f"/notices/{notice.id}", urgent=urgent, recipients=[], now=now)
    queued = outbox.fan_out(session, message=message, category=category, area=area, now=now)
    audit(session, actor, "notices.publish", f"notice:{notice.id}", now=now,
          details={"title": title, "category": category, "area": area, "urgent": urgent,
                   "message_id": message.id, "deliveries": queued})
    return notice


@action(MATRIX, "withdraw_notice")
def withdraw_notice(session: Session, *, actor: Actor | None, notice_id: int, correction: str,
                    now: datetime) -> Notice:
    """Withdraw a mistaken notice with a public correction: the notice stays in the archive
    marked as withdrawn, and the correction goes to everyone the notice went to."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.published_at is None:
        raise NotFound()
    if notice.withdrawn_at is not None:
        raise InvalidInput("notices.errors.already_withdrawn")
    correction = correction.strip()
    if len(correction) < 10:
        raise InvalidInput("notices.errors.correction_reason_missing", field="reason")
    if len(correction) > 2000:
        raise InvalidInput("notices.errors.correction_reason_too_long", field="reason")
    notice.withdrawn_at, notice.correction = now, correction
    session.add(notice)
    session.flush()
    message = outbox.add_message(
        session, source=f"notice-withdrawal:{notice.id}", notice_id=notice.id,
        title=translate("notices.withdrawn_title", "el", title=notice.title), body=rules.excerpt(correction, 600),
        url=f"/notices/{notice.id}", urgent=notice.urgent, recipients=[], now=now)
    queued = outbox.fan_out(session, message=message, category=notice.category, area=notice.area, now=now) \
        if message is not None else 0
    audit(session, actor, "notices.withdraw", f"notice:{notice.id}", now=now,
          details={"correction": correction, "deliveries": queued})
    return notice


# --- subscriptions ---------------------------------------------------------------------

def _preferences(categories: list[str], areas: list[str] | None) -> tuple[str, str]:
    chosen = rules.clean_categories(categories)
    if not chosen:
        raise InvalidInput("notices.errors.no_category")
    return rules.join(chosen), rules.join(rules.clean_areas(areas))


def _language(lang: str) -> str:
    return lang if lang in ("el", "en") else "el"


def _check_push_endpoint(endpoint: str) -> str:
    """An https URL of a known push service (in development also any host, and http on localhost)."""
    endpoint = endpoint.strip()
    parts = urlsplit(endpoint)
    production = get_settings().is_production
    local = parts.hostname in ("127.0.0.1", "localhost") and not production
    if len(endpoint) > 1000 or not parts.netloc or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        raise InvalidInput("notices.errors.bad_push_subscription")
    if production and not rules.push_host_allowed(parts.hostname, notices_settings().push_allowed_hosts):
        raise InvalidInput("notices.errors.bad_push_subscription")
    return endpoint


def _check_key(value: str, length: int) -> str:
    try:
        raw = b64url_decode(value)
    except (ValueError, TypeError):
        raise InvalidInput("notices.errors.bad_push_subscription") from None
    if len(raw) != length or (length == 65 and raw[0] != 4):
        raise InvalidInput("notices.errors.bad_push_subscription")
    return value.strip().rstrip("=")


def _check_resend(session: Session, sub: Subscription, now: datetime) -> None:
    """At most one code or link a minute and three an hour per address (SMS costs money)."""
    if sub.id is None:
        return
    recent = session.exec(select(Delivery.created_at).where(
        Delivery.subscription_id == sub.id, Delivery.kind.in_(("confirm_email", "confirm_sms")),
        Delivery.created_at > now - timedelta(hours=1))).all()
    if any(as_utc(at) > now - RESEND_GAP for at in recent):
        raise InvalidInput("notices.errors.wait_a_minute")
    if len(recent) >= MAX_CONFIRMATIONS_PER_HOUR:
        raise InvalidInput("notices.errors.too_many_codes")


@action(MATRIX, "save_push_subscription")
def save_push_subscription(session: Session, *, actor: Actor | None, endpoint: str, p256dh: str, auth: str,
                           categories: list[str], areas: list[str] | None = None, lang: str = "el",
                           now: datetime) -> Subscription:
    """Store (or update) this device's push subscription; no account needed."""
    endpoint = _check_push_endpoint(endpoint)
    p256dh, auth = _check_key(p256dh, 65), _check_key(auth, 16)
    cats, areas_ = _preferences(categories, areas)
    sub = queries.subscription_at(session, "push", endpoint)
    if sub is None:
        sub = Subscription(channel="push", address=endpoint, created_at=now, confirmed_at=now)
        session.add(sub)
    sub.p256dh, sub.auth, sub.categories, sub.areas = p256dh, auth, cats, areas_
    sub.lang = _language(lang)
    if actor is not None:
        sub.person_id = actor.person_id
    try:
        session.flush()
    except IntegrityError:  # the same endpoint saved concurrently: the other one won
        raise Conflict("notices.errors.try_again") from None
    return sub


@action(MATRIX, "remove_push_subscription")
def remove_push_subscription(session: Session, *, actor: Actor | None, endpoint: str) -> bool:
    """Forget a push endpoint (knowing the endpoint is the proof: it is secret to the device)."""
    sub = queries.subscription_at(session, "push", endpoint.strip())
    if sub is None:
        return False
    _delete_subscription(session, sub)
    return True


def _delete_subscription(session: Session, sub: Subscription) -> None:
    session.execute(update(Delivery).where(Delivery.subscription_id == sub.id, Delivery.status == "pending")
                    .values(status="failed", last_error="unsubscribed", claim_token=None, lease_until=None))
    session.execute(delete(Subscription).where(Subscription.id == sub.id))
    session.flush()


def _upsert_contact(session: Session, *, channel: str, address: str, actor: Actor | None, lang: str,
                    now: datetime) -> Subscription:
    sub = queries.subscription_at(session, channel, address)
    if sub is None:
        sub = Subscription(channel=channel, address=address, created_at=now, lang=_language(lang),
                           person_id=actor.person_id if actor else None)
        session.add(sub)
        session.flush()
    return sub


@action(MATRIX, "subscribe_email")
def subscribe_email(session: Session, *, actor: Actor | None, email: str, categories: list[str],
                    areas: list[str] | None = None, lang: str = "el", now: datetime) -> Subscription:
    """Ask for e-mail notices: nothing is sent but a confirmation link until it is opened.

    The chosen categories and areas travel inside the signed link, so nobody
    can change someone else's confirmed subscription by typing their address.
    """
    address = rules.normalise_email(email)
    cats, areas_ = _preferences(categories, areas)
    sub = _upsert_contact(session, channel="email", address=address, actor=actor, lang=lang, now=now)
    _check_resend(session, sub, now)
    if sub.confirmed_at is None:
        sub.categories, sub.areas = cats, areas_
    link = f"{get_settings().public_url}/notices/confirm?token={sign_confirm_token(sub.id, cats, areas_)}"
    outbox.add_confirmation(session, subscription=sub, kind="confirm_email", payload={"link": link, "lang": lang},
                            now=now)
    return sub


def sign_confirm_token(subscription_id: int, cats: str, areas: str) -> str:
    """The token of a confirmation link (not an action: it writes nothing)."""
    secret = get_settings().secret_key
    return rules.sign_token(secret, f"confirm|{cats}|{areas}", subscription_id, max_age_days=7) + "~" + \
        rules._b64(f"{cats}|{areas}".encode())


@action(MATRIX, "confirm_email")
def confirm_email(session: Session, *, actor: Actor | None, token: str, now: datetime) -> Subscription:
    """Open a confirmation link: the signed token is the proof, no login needed."""
    signed, _, prefs = token.partition("~")
    try:
        cats, areas = rules._unb64(prefs).decode().split("|", 1)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("notices.errors.bad_link") from None
    sub = session.get(Subscription, rules.read_token(get_settings().secret_key, f"confirm|{cats}|{areas}", signed))
    if sub is None or sub.channel != "email":
        raise NotFound("notices.errors.subscription_gone")
    sub.categories, sub.areas = cats, areas
    sub.confirmed_at = sub.confirmed_at or now
    session.flush()
    return sub


@action(MATRIX, "subscribe_sms")
def subscribe_sms(session: Session, *, actor: Actor | None, phone: str, categories: list[str],
                  areas: list[str] | None = None, lang: str = "el", now: datetime) -> Subscription:
    """Send a 6-digit code to a Greek mobile; the subscription starts when it is typed back."""
    address = rules.normalise_greek_mobile(phone)
    _preferences(categories, areas)
    sub = _upsert_contact(session, channel="sms", address=address, actor=actor, lang=lang, now=now)
    _check_resend(session, sub, now)
    code = f"{secrets.randbelow(10**6):06d}"
    sub.code_hash = rules.hash_code(get_settings().secret_key, address, code)
    sub.code_attempts = 0
    sub.code_expires_at = now + CODE_TTL
    outbox.add_confirmation(session, subscription=sub, kind="confirm_sms", payload={"code": code, "lang": lang},
                            now=now)
    return sub


@dataclass(frozen=True)
class CodeCheck:
    """What :func:`confirm_sms` found: the subscription, and the refusal when the code was wrong.

    A wrong code is *returned*, not raised: the attempt it counts must be committed, and
    raising would roll the count back with the rest of the transaction (a guesser could
    then try all million codes). The caller lets its transaction commit, then shows
    ``refusal`` — :meth:`confirmed` does both for plain callers.
    """

    subscription: Subscription
    refusal: InvalidInput | None = None

    def confirmed(self) -> Subscription:
        if self.refusal is not None:
            raise self.refusal
        return self.subscription


@action(MATRIX, "confirm_sms")
def confirm_sms(session: Session, *, actor: Actor | None, phone: str, code: str, categories: list[str],
                areas: list[str] | None = None, now: datetime) -> CodeCheck:
    """Check a typed-back code; a right one starts the subscription, a wrong one is counted."""
    address = rules.normalise_greek_mobile(phone)
    cats, areas_ = _preferences(categories, areas)
    code = "".join(code.split())
    sub = queries.subscription_at(session, "sms", address)
    if sub is None or sub.code_hash is None:
        raise InvalidInput("notices.errors.code_wrong")
    if sub.code_attempts >= MAX_CODE_ATTEMPTS or (sub.code_expires_at and as_utc(sub.code_expires_at) < now):
        raise InvalidInput("notices.errors.code_expired")
    if not (code.isdigit() and len(code) == 6) or rules.hash_code(get_settings().secret_key, address, code) != sub.code_hash:
        sub.code_attempts += 1
        session.flush()
        return CodeCheck(sub, InvalidInput("notices.errors.code_wrong"))
    sub.categories, sub.areas = cats, areas_
    sub.confirmed_at = sub.confirmed_at or now
    sub.code_hash = None
    sub.code_expires_at = None
    session.flush()
    return CodeCheck(sub)


def unsubscribe_token(subscription_id: int) -> str:
    """The token of an unsubscribe link (not an action: it writes nothing)."""
    return rules.sign_token(get_settings().secret_key, "unsubscribe", subscription_id)


@action(MATRIX, "unsubscribe")
def unsubscribe(session: Session, *, actor: Actor | None, token: str) -> bool:
    """Remove the subscription named by a signed link (no login needed). False if already gone."""
    sub = queries.subscription_to_unsubscribe(session, token)
    if sub is None:
        return False
    _delete_subscription(session, sub)
    return True


@action(MATRIX, "remove_my_subscription")
def remove_my_subscription(session: Session, *, actor: Actor | None, subscription_id: int) -> None:
    """A resident removes one of their own subscriptions (someone else's is "not found")."""
    sub = session.get(Subscription, subscription_id)
    if sub is None or sub.person_id != actor.person_id:
        raise NotFound("notices.errors.subscription_gone")
    _delete_subscription(session, sub)


@action(MATRIX, "set_staff_alerts")
def set_staff_alerts(session: Session, *, actor: Actor, kinds: list[str], now: datetime) -> list[str]:
    """A staff person's own choice of "work has arrived" alerts: ``kinds`` are the ones on
    (unknown names are ignored); the others are off. Returns the kinds on."""
    chosen = {k for k in kinds if k in staff_alerts.KINDS}
    staff_alerts.set_kinds_on(session, actor.person_id, chosen, now)
    return [k for k in staff_alerts.KINDS if k in chosen]

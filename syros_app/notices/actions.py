"""Writes of notices: publishing, subscribing, confirming, unsubscribing.

Each action runs in the caller's transaction; publishing writes the notice,
its message and every delivery row together, so a notice is never published
without its notifications, nor notified without being published.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core import audit
from syros_app.core.errors import InvalidInput, NotFound, PermissionDenied
from syros_app.core.settings import get_settings
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.identity.roles import Actor

from . import outbox, rules
from syros_app.core.settings import notices_settings
from .models import Delivery, Notice, Subscription
from .permissions import require_staff
from .vapid import b64url_decode

CODE_TTL = timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5


def publish_notice(session: Session, *, actor: Actor | None, title: str, body: str, category: str,
                   area: str | None = None, urgent: bool = False, link: str | None = None,
                   valid_from: datetime | None = None, valid_until: datetime | None = None,
                   now: datetime | None = None) -> Notice:
    """Write and publish a notice, and queue it for every matching subscription."""
    actor = require_staff(actor)
    now = as_utc(now or utcnow())
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        raise InvalidInput("notices.errors.title_missing")
    if len(title) > 160:
        raise InvalidInput("notices.errors.title_too_long")
    if not body:
        raise InvalidInput("notices.errors.body_missing")
    category = rules.check_category(category)
    area = rules.check_area(area)
    link = (link or "").strip() or None
    if link is not None:
        parts = urlsplit(link)
        if parts.scheme not in ("https", "http") or not parts.netloc or len(link) > 500:
            raise InvalidInput("notices.errors.bad_link_url")
    valid_from = as_utc(valid_from) if valid_from else None
    valid_until = as_utc(valid_until) if valid_until else None
    if valid_from and valid_until and valid_until <= valid_from:
        raise InvalidInput("notices.errors.bad_validity")
    notice = Notice(title=title, body=body, category=category, area=area, urgent=bool(urgent), link=link,
                    valid_from=valid_from, valid_until=valid_until, created_at=now, published_at=now,
                    created_by=actor.person_id)
    session.add(notice)
    session.flush()
    message = outbox.add_message(
        session, source=f"notice:{notice.id}", notice_id=notice.id, title=title, body=rules.excerpt(body, 600),
        url=f"/notices/{notice.id}", urgent=notice.urgent, recipients=[], now=now)
    queued = outbox.fan_out(session, message=message, category=category, area=area, now=now)
    audit.record(session, actor=actor.audit_name, action="notices.publish", target=f"notice:{notice.id}",
                 details={"title": title, "category": category, "area": area, "urgent": notice.urgent,
                          "message_id": message.id, "deliveries": queued}, now=now)
    return notice


# --- subscriptions ---------------------------------------------------------------------

def _preferences(categories, areas) -> tuple[str, str]:
    chosen = rules.clean_categories(categories)
    if not chosen:
        raise InvalidInput("notices.errors.no_category")
    return rules.join(chosen), rules.join(rules.clean_areas(areas))


def _check_push_endpoint(endpoint: str) -> str:
    """An https URL of a known push service (in development also any host, and http on localhost)."""
    endpoint = (endpoint or "").strip()
    parts = urlsplit(endpoint)
    production = get_settings().is_production
    local = parts.hostname in ("127.0.0.1", "localhost") and not production
    if len(endpoint) > 1000 or not parts.netloc or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        raise InvalidInput("notices.errors.bad_push_subscription")
    if production and not rules.push_host_allowed(parts.hostname, notices_settings().push_allowed_hosts):
        raise InvalidInput("notices.errors.bad_push_subscription")
    return endpoint


RESEND_GAP = timedelta(seconds=60)
MAX_CONFIRMATIONS_PER_HOUR = 3


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


def _check_key(value: str, length: int) -> str:
    try:
        raw = b64url_decode(value or "")
    except (ValueError, TypeError):
        raise InvalidInput("notices.errors.bad_push_subscription") from None
    if len(raw) != length or (length == 65 and raw[0] != 4):
        raise InvalidInput("notices.errors.bad_push_subscription")
    return value.strip().rstrip("=")


def save_push_subscription(session: Session, *, actor: Actor | None, endpoint: str, p256dh: str, auth: str,
                           categories, areas=(), lang: str = "el", now: datetime | None = None) -> Subscription:
    """Store (or update) this device's push subscription; no account needed."""
    now = as_utc(now or utcnow())
    endpoint = _check_push_endpoint(endpoint)
    p256dh = _check_key(p256dh, 65)
    auth = _check_key(auth, 16)
    cats, areas_ = _preferences(categories, areas)
    sub = session.exec(select(Subscription).where(Subscription.channel == "push",
                                                  Subscription.address == endpoint)).first()
    if sub is None:
        sub = Subscription(channel="push", address=endpoint, created_at=now, confirmed_at=now)
        session.add(sub)
    sub.p256dh, sub.auth, sub.categories, sub.areas = p256dh, auth, cats, areas_
    sub.lang = lang if lang in ("el", "en") else "el"
    if actor is not None:
        sub.person_id = actor.person_id
    try:
        session.flush()
    except IntegrityError:  # the same endpoint saved concurrently: the other one won
        session.rollback()
        raise InvalidInput("notices.errors.try_again") from None
    return sub


def remove_push_subscription(session: Session, *, endpoint: str) -> bool:
    """Forget a push endpoint (knowing the endpoint is the proof: it is secret to the device)."""
    sub = session.exec(select(Subscription).where(Subscription.channel == "push",
                                                  Subscription.address == (endpoint or "").strip())).first()
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
    sub = session.exec(select(Subscription).where(Subscription.channel == channel,
                                                  Subscription.address == address)).first()
    if sub is None:
        sub = Subscription(channel=channel, address=address, created_at=now, lang=lang if lang in ("el", "en") else "el",
                           person_id=actor.person_id if actor else None)
        session.add(sub)
        session.flush()
    return sub


def subscribe_email(session: Session, *, actor: Actor | None, email: str, categories, areas=(), lang: str = "el",
                    now: datetime | None = None) -> Subscription:
    """Ask for e-mail notices: nothing is sent but a confirmation link until it is opened.

    The chosen categories and areas travel inside the signed link, so nobody
    can change someone else's confirmed subscription by typing their address.
    """
    now = as_utc(now or utcnow())
    address = rules.normalise_email(email)
    cats, areas_ = _preferences(categories, areas)
    sub = _upsert_contact(session, channel="email", address=address, actor=actor, lang=lang, now=now)
    _check_resend(session, sub, now)
    if sub.confirmed_at is None:
        sub.categories, sub.areas = cats, areas_
    token = sign_confirm_token(sub.id, cats, areas_)
    link = f"{get_settings().public_url}/notices/confirm?token={token}"
    outbox.add_confirmation(session, subscription=sub, kind="confirm_email", payload={"link": link, "lang": lang},
                            now=now)
    return sub


def sign_confirm_token(subscription_id: int, cats: str, areas: str) -> str:
    secret = get_settings().secret_key
    return rules.sign_token(secret, f"confirm|{cats}|{areas}", subscription_id, max_age_days=7) + "~" + \
        rules._b64(f"{cats}|{areas}".encode())


def confirm_email(session: Session, *, token: str, now: datetime | None = None) -> Subscription:
    now = as_utc(now or utcnow())
    signed, _, prefs = (token or "").partition("~")
    try:
        cats, areas = rules._unb64(prefs).decode().split("|", 1)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("notices.errors.bad_link") from None
    sub_id = rules.read_token(get_settings().secret_key, f"confirm|{cats}|{areas}", signed)
    sub = session.get(Subscription, sub_id)
    if sub is None or sub.channel != "email":
        raise NotFound("notices.errors.subscription_gone")
    sub.categories, sub.areas = cats, areas
    sub.confirmed_at = sub.confirmed_at or now
    session.flush()
    return sub


def subscribe_sms(session: Session, *, actor: Actor | None, phone: str, categories, areas=(), lang: str = "el",
                  now: datetime | None = None) -> Subscription:
    """Send a 6-digit code to a Greek mobile; the subscription starts when it is typed back."""
    now = as_utc(now or utcnow())
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


def confirm_sms(session: Session, *, phone: str, code: str, categories, areas=(), now: datetime | None = None) -> Subscription:
    now = as_utc(now or utcnow())
    address = rules.normalise_greek_mobile(phone)
    cats, areas_ = _preferences(categories, areas)
    code = "".join((code or "").split())
    sub = session.exec(select(Subscription).where(Subscription.channel == "sms", Subscription.address == address)).first()
    if sub is None or sub.code_hash is None:
        raise InvalidInput("notices.errors.code_wrong")
    if sub.code_attempts >= MAX_CODE_ATTEMPTS or (sub.code_expires_at and as_utc(sub.code_expires_at) < now):
        raise InvalidInput("notices.errors.code_expired")
    if not (code.isdigit() and len(code) == 6) or rules.hash_code(get_settings().secret_key, address, code) != sub.code_hash:
        sub.code_attempts += 1
        session.flush()
        session.commit()  # count the failed attempt even though we refuse
        raise InvalidInput("notices.errors.code_wrong")
    sub.categories, sub.areas = cats, areas_
    sub.confirmed_at = sub.confirmed_at or now
    sub.code_hash = None
    sub.code_expires_at = None
    session.flush()
    return sub


def unsubscribe_token(subscription_id: int) -> str:
    return rules.sign_token(get_settings().secret_key, "unsubscribe", subscription_id)


def unsubscribe(session: Session, *, token: str) -> bool:
    """Remove the subscription named by a signed link (no login needed). False if already gone."""
    sub_id = rules.read_token(get_settings().secret_key, "unsubscribe", token)
    sub = session.get(Subscription, sub_id)
    if sub is None:
        return False
    _delete_subscription(session, sub)
    return True


def remove_my_subscription(session: Session, *, actor: Actor | None, subscription_id: int) -> None:
    if actor is None:
        raise PermissionDenied("notices.errors.login_needed")
    sub = session.get(Subscription, subscription_id)
    if sub is None or sub.person_id != actor.person_id:
        raise NotFound("notices.errors.subscription_gone")
    _delete_subscription(session, sub)

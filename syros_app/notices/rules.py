"""Pure rules of notices: categories, areas, input normalisation, targeting,
retry back-off, signed tokens. No database, no Reflex."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from syros_app.core.errors import InvalidInput
from syros_app.core import settings
from syros_app.identity.roles import MUNICIPAL_UNITS

CATEGORIES = (
    "water",
    "roads_works",
    "civil_protection",
    "culture_events",
    "municipal_council",
    "consultations_votes",
    "general",
)
AREAS = MUNICIPAL_UNITS  # a notice's area: None (whole island) or one of these
CHANNELS = ("push", "email", "sms")
# Category of the automatic announcements coming from other capabilities.
AUTO_CATEGORY = "consultations_votes"


def category_key(category: str) -> str:
    return f"notices.category.{category}"


def check_category(category: str) -> str:
    if category not in CATEGORIES:
        raise InvalidInput("notices.errors.bad_category")
    return category


def check_area(area: str | None) -> str | None:
    if area in (None, "", "all"):
        return None
    if area not in AREAS:
        raise InvalidInput("notices.errors.bad_area")
    return area


def clean_categories(values) -> list[str]:
    chosen = [c for c in CATEGORIES if c in set(values or ())]
    return chosen


def clean_areas(values) -> list[str]:
    """Chosen areas; an empty list means every area."""
    return [a for a in AREAS if a in set(values or ())]


def join(values) -> str:
    return ",".join(values)


def split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def matches(sub_categories: str, sub_areas: str, *, category: str, area: str | None, urgent: bool = False) -> bool:
    """Does a subscription (comma-separated keys) want a notice of ``category`` in ``area``?

    A whole-island notice reaches every subscriber of its category; a notice for
    one municipal unit reaches those who chose that unit or chose no unit (all).
    An urgent (civil-protection) notice reaches every subscriber of the area,
    whatever topics they chose.
    """
    if not urgent and category not in split(sub_categories):
        return False
    if area is None:
        return True
    areas = split(sub_areas)
    return not areas or area in areas


# --- contact details -------------------------------------------------------------------

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def normalise_email(raw: str | None) -> str:
    value = (raw or "").strip()
    if not value:
        raise InvalidInput("notices.errors.email_missing")
    if len(value) > 254 or not _EMAIL.match(value) or ".." in value or "." not in value.rsplit("@", 1)[1]:
        raise InvalidInput("notices.errors.email_invalid")
    local, domain = value.rsplit("@", 1)
    if len(local) > 64 or len(domain.rsplit(".", 1)[1]) < 2:
        raise InvalidInput("notices.errors.email_invalid")
    return f"{local}@{domain.lower()}"


def normalise_greek_mobile(raw: str | None) -> str:
    """A Greek mobile number in E.164 (``+30 69X XXX XXXX`` → ``+3069XXXXXXXX``).

    Accepts spaces, dashes, dots and brackets, and the ``+30``, ``0030`` or
    ``30`` prefixes; refuses landlines and anything that is not 10 digits.
    """
    value = (raw or "").strip()
    if not value:
        raise InvalidInput("notices.errors.phone_missing")
    if re.search(r"[^\d\s+().-]", value):
        raise InvalidInput("notices.errors.phone_invalid")
    digits = re.sub(r"[\s().-]", "", value)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("30"):
            raise InvalidInput("notices.errors.phone_not_greek")
        digits = digits[2:]
    elif digits.startswith("0030"):
        digits = digits[4:]
    elif digits.startswith("30") and len(digits) == 12:
        digits = digits[2:]
    if not digits.isdigit() or len(digits) != 10:
        raise InvalidInput("notices.errors.phone_invalid")
    if not digits.startswith("69"):
        raise InvalidInput("notices.errors.phone_not_mobile")
    return "+30" + digits


def mask_address(channel: str, address: str) -> str:
    """What staff and the subscriber see of an address: enough to recognise it."""
    if channel == "email":
        local, _, domain = address.partition("@")
        return (local[:2] + "…@" + domain) if domain else "…"
    if channel == "sms":
        return address[:5] + "…" + address[-3:]
    return address.split("/")[2] if address.count("/") >= 2 else "push"


DEFAULT_PUSH_HOSTS = settings.DEFAULT_PUSH_HOSTS  # refused elsewhere in production (SSRF)


def push_host_allowed(host: str | None, allowed: tuple[str, ...]) -> bool:
    host = (host or "").lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in allowed)


# --- retries ---------------------------------------------------------------------------

MAX_ATTEMPTS = 8
BASE_DELAY = 30.0  # seconds
MAX_DELAY = 6 * 3600.0


def backoff_seconds(attempts: int) -> float:
    """30 s, 1 min, 2 min, … doubled after each failed attempt, capped at 6 h."""
    return min(MAX_DELAY, BASE_DELAY * (2 ** max(0, attempts - 1)))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), MAX_DELAY))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        from datetime import timezone

        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, min(MAX_DELAY, (when - now).total_seconds()))


def next_attempt(attempts: int, now: datetime, retry_after: float | None) -> datetime:
    delay = retry_after if retry_after is not None else backoff_seconds(attempts)
    return now + timedelta(seconds=delay)


@dataclass(frozen=True)
class Outcome:
    """What the worker does after one send attempt."""

    status: str  # sent | retry | failed | gone
    reason: str = ""
    retry_after: float | None = None


def push_outcome(status_code: int, retry_after: str | None, now: datetime) -> Outcome:
    if status_code in (200, 201, 202):
        return Outcome("sent")
    if status_code in (404, 410):
        return Outcome("gone", f"HTTP {status_code}: subscription expired")
    if status_code == 429 or status_code >= 500:
        return Outcome("retry", f"HTTP {status_code}", parse_retry_after(retry_after, now))
    if status_code == 413:
        return Outcome("failed", "HTTP 413: payload too large")
    return Outcome("failed", f"HTTP {status_code}: rejected by the push service (check VAPID keys/subject)")


# --- signed tokens (e-mail confirmation and unsubscribe links) ------------------------

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_token(secret: str, purpose: str, subscription_id: int, *, max_age_days: int | None = None,
               now: float | None = None) -> str:
    body = {"p": purpose, "s": subscription_id}
    if max_age_days is not None:
        body["e"] = int((now or time.time()) + max_age_days * 86400)
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    mac = hmac.new(secret.encode(), f"notices:{payload}".encode(), hashlib.sha256).digest()[:18]
    return f"{payload}.{_b64(mac)}"


def read_token(secret: str, purpose: str, token: str | None, *, now: float | None = None) -> int:
    """The subscription id a token was made for; ``InvalidInput`` if forged, expired or for another purpose."""
    try:
        payload, mac = (token or "").split(".", 1)
        expected = hmac.new(secret.encode(), f"notices:{payload}".encode(), hashlib.sha256).digest()[:18]
        if not hmac.compare_digest(_unb64(mac), expected):
            raise ValueError("bad signature")
        body = json.loads(_unb64(payload))
    except (ValueError, TypeError, UnicodeDecodeError):
        raise InvalidInput("notices.errors.bad_link") from None
    if body.get("p") != purpose or not isinstance(body.get("s"), int):
        raise InvalidInput("notices.errors.bad_link")
    if "e" in body and (now or time.time()) > body["e"]:
        raise InvalidInput("notices.errors.link_expired")
    return body["s"]


def hash_code(secret: str, subscription_key: str, code: str) -> str:
    return hmac.new(secret.encode(), f"sms-code:{subscription_key}:{code}".encode(), hashlib.sha256).hexdigest()


def push_payload(*, title: str, body: str, url: str, urgent: bool, tag: str, lang: str = "el") -> bytes:
    """The JSON the service worker reads; kept well under the 4 KB push limit."""
    data = {"title": title[:200], "body": body[:600], "url": url, "tag": tag, "urgent": urgent,
            "icon": "/icons/icon-192.png", "lang": lang}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def excerpt(text: str, limit: int = 280) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

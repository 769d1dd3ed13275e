"""Dates and times are stored as aware UTC and shown in Europe/Athens."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns store and return aware UTC values."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """Aware UTC for any datetime (naive values are taken to be UTC already)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def to_athens(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ATHENS)


# Babel (CLDR) locale of each language; ``core.formatting`` formats numbers with the same.
LOCALES = {"el": "el_GR", "en": "en_GB"}


def locale_of(lang: str | None) -> str:
    return LOCALES.get(lang or "el", LOCALES["el"])


def format_local(value: datetime, lang: str = "el") -> str:
    """``27 Νοε 2026, 14:30`` / ``27 Nov 2026, 14:30``: Athens time, in the reader's language."""
    from babel.dates import format_datetime

    return format_datetime(to_athens(value), "d MMM y, HH:mm", tzinfo=ATHENS, locale=locale_of(lang))

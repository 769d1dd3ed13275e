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


def format_local(value: datetime, lang: str = "el") -> str:
    """``27 Νοε 2026, 14:30`` in Athens time, in the reader's language (see ``core.formatting``)."""
    from .formatting import datetime_text  # formatting builds on this module

    return datetime_text(value, lang)

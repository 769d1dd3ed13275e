"""Numbers, percentages, money, dates and months as a reader of each language expects them.

One module, backed by Babel (CLDR), so no page writes "13.1%" or "2026-01" in Greek:
``13,1 %``, ``12.500 €``, ``5 Ιαν 2026, 14:30``, ``Ιανουάριος 2026``. Times are always
shown in Europe/Athens, whatever the server's zone. Views call these; pages never
format a number themselves.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, format_percent

from .timefmt import format_local, locale_of, to_athens


def number(value: int | float | None, lang: str = "el", *, digits: int = 0) -> str:
    """``1.234`` / ``1,234``; ``digits`` decimals at most (trailing zeros kept)."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def percent(value: float | None, lang: str = "el", *, digits: int = 1) -> str:
    """A share given as a fraction (0.131) → ``13,1 %`` (el) or ``13.1%`` (en)."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    text = format_percent(value, format=pattern, locale=locale_of(lang))
    if lang == "el":  # CLDR's Greek pattern has no space; Greek typography (ΕΛΟΤ) puts one
        text = text.replace("%", "\u00a0%")
    return text


def percent_points(value: float | None, lang: str = "el", *, digits: int = 1) -> str:
    """A share already given in percent points (13.1) → ``13,1 %``."""
    return percent(None if value is None else value / 100, lang, digits=digits)


def money(value: int | float | None, lang: str = "el", *, cents: bool = False) -> str:
    """Euros: ``12.500 €`` (el), ``€12,500`` (en)."""
    if value is None:
        return "–"
    fmt = None if cents else ("#,##0\u00a0¤" if lang == "el" else "¤#,##0")
    return format_currency(value, "EUR", format=fmt, locale=locale_of(lang), currency_digits=cents)


def datetime_text(value: datetime | None, lang: str = "el") -> str:
    """``5 Ιαν 2026, 14:30`` (el) / ``5 Jan 2026, 14:30`` (en), in Athens time."""
    return "" if value is None else format_local(value, lang)


def date_text(value: date | datetime | None, lang: str = "el") -> str:
    """``5 Ιανουαρίου 2026`` / ``5 January 2026`` (a datetime is taken in Athens time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_athens(value).date()
    return _babel_date(value, "d MMMM y", locale=locale_of(lang))


def month_text(value: date | datetime | str | None, lang: str = "el") -> str:
    """A month (a date, or ``"2026-01"``) → ``Ιανουάριος 2026`` / ``January 2026``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        year, month = value.split("-")[:2]
        value = date(int(year), int(month), 1)
    elif isinstance(value, datetime):
        value = to_athens(value).date()
    return _babel_date(value, "LLLL y", locale=locale_of(lang))

"""Numbers, shares, money and dates read as each language writes them (Babel/CLDR), in Athens time."""

from datetime import date, datetime, timezone

import pytest

from syros_app.core import formatting
from syros_app.core.timefmt import format_local

NBSP = "\u00a0"


@pytest.mark.parametrize(("fn", "args", "el", "en"), [
    (formatting.number, (12345,), "12.345", "12,345"),
    (formatting.number, (1234.567,), "1.235", "1,235"),
    (formatting.percent, (0.131,), f"13,1{NBSP}%", "13.1%"),
    (formatting.percent, (0.5,), f"50,0{NBSP}%", "50.0%"),
    (formatting.percent_points, (62.3,), f"62,3{NBSP}%", "62.3%"),
    (formatting.money, (12500,), f"12.500{NBSP}€", "€12,500"),
    (formatting.month_text, ("2026-01",), "Ιανουάριος 2026", "January 2026"),
    (formatting.date_text, (date(2026, 3, 25),), "25 Μαρτίου 2026", "25 March 2026"),
])
def test_each_language_has_its_own_form(fn, args, el, en):
    assert (fn(*args, "el"), fn(*args, "en")) == (el, en)


def test_decimals_only_when_asked():
    assert formatting.number(2.25, "el", digits=1) == "2,2" and formatting.number(2.25, "en", digits=2) == "2.25"


def test_times_are_athens_time_whatever_the_stored_zone():
    winter = datetime(2026, 1, 5, 22, 30, tzinfo=timezone.utc)  # already the 6th in Athens (UTC+2)
    summer = datetime(2026, 7, 5, 12, 0, tzinfo=timezone.utc)  # UTC+3
    assert formatting.datetime_text(winter, "el") == "6 Ιαν 2026, 00:30"
    assert formatting.datetime_text(summer, "en") == "5 Jul 2026, 15:00"
    assert formatting.date_text(winter, "el") == "6 Ιανουαρίου 2026"
    assert format_local(winter, "el") == formatting.datetime_text(winter, "el")
    naive = datetime(2026, 1, 5, 22, 30)  # naive values are stored UTC
    assert formatting.datetime_text(naive, "el") == "6 Ιαν 2026, 00:30"


def test_missing_values_show_a_dash_or_nothing():
    assert formatting.percent(None) == formatting.number(None) == formatting.money(None) == "–"
    assert formatting.datetime_text(None) == formatting.month_text("") == ""

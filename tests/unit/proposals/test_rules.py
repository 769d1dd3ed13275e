"""Pure rules of proposals: threshold arithmetic, lifecycle, overdue badge, age bands."""

from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from syros_app.opengov.proposals import rules

ATHENS = ZoneInfo("Europe/Athens")


def athens(*args) -> datetime:
    return datetime(*args, tzinfo=ATHENS).astimezone(timezone.utc)


@pytest.mark.parametrize("share, residents, needed", [
    ("0.02", 1000, 20),      # exact
    ("0.02", 1001, 21),      # 20.02 rounds up
    ("0.02", 373, 8),        # 7.46 rounds up
    ("0.07", 100, 7),        # binary floats say 7.000000000000001 → 8; decimals say 7
    ("0.1", 30, 3),          # 0.1 × 30 = 3.0000000000000004 in floats
    ("0.02", 0, 1),          # an empty roll still needs one support
    ("1", 5, 5),
])
def test_threshold_is_the_ceiling_of_share_times_residents(share, residents, needed):
    assert rules.threshold(Decimal(share), residents) == needed


def test_a_float_would_round_wrongly_where_the_rule_does_not():
    import math

    assert math.ceil(0.07 * 100) == 8  # the pitfall the rule avoids
    assert rules.threshold(rules.parse_share(0.07), 100) == 7


@pytest.mark.parametrize("raw, share", [("0.02", Decimal("0.02")), ("0,02", rules.DEFAULT_SHARE),
                                        ("0", rules.DEFAULT_SHARE), ("1.5", rules.DEFAULT_SHARE),
                                        ("", rules.DEFAULT_SHARE), ("0.005", Decimal("0.005"))])
def test_share_setting_is_parsed_or_falls_back(raw, share):
    assert rules.parse_share(raw) == share


def _life(**kw):
    base = dict(hidden=False, reached=False, answered=False, collect_until=athens(2026, 12, 31, 12), answer_due_at=None)
    return rules.Lifecycle(**{**base, **kw})


def test_lifecycle():
    now = athens(2026, 12, 1, 9)
    assert rules.status_of(_life(), now) == rules.COLLECTING
    assert rules.status_of(_life(), athens(2027, 1, 1, 9)) == rules.EXPIRED
    assert rules.status_of(_life(reached=True), athens(2027, 1, 1, 9)) == rules.REACHED
    assert rules.status_of(_life(reached=True, answered=True), now) == rules.ANSWERED
    assert rules.status_of(_life(reached=True, answered=True, hidden=True), now) == rules.HIDDEN


def test_answer_due_counts_working_days_and_the_overdue_badge_appears_by_itself():
    # Reached on Wednesday 23 Dec 2026: 25 and 26 Dec are holidays, 1 and 6 Jan too.
    reached = athens(2026, 12, 23, 10)
    due = rules.answer_due(reached, 5)
    # Elapsed working time: the rest of the 23rd, the 24th, 28th, 29th, 30th and the 31st
    # until 10:00 (the weekend and Christmas do not count).
    assert due == athens(2026, 12, 31, 10)
    life = _life(reached=True, answer_due_at=due)
    assert not rules.is_overdue(life, athens(2026, 12, 31, 9))
    assert rules.is_overdue(life, athens(2026, 12, 31, 11))
    assert rules.is_overdue(life, athens(2027, 1, 2, 9))
    assert not rules.is_overdue(_life(reached=True, answered=True, answer_due_at=due), athens(2027, 1, 2, 9))
    assert not rules.is_overdue(_life(reached=True, hidden=True, answer_due_at=due), athens(2027, 1, 2, 9))
    assert rules.answered_on_time(athens(2026, 12, 31, 9), due)
    assert not rules.answered_on_time(athens(2027, 1, 4, 9), due)


@pytest.mark.parametrize("birth_year, band", [(2009, "17–24"), (2010, rules.UNKNOWN), (2002, "17–24"),
                                              (2001, "25–39"), (1987, "25–39"), (1986, "40–64"),
                                              (1962, "40–64"), (1961, "65+"), (None, rules.UNKNOWN)])
def test_age_bands_by_birth_year(birth_year, band):
    assert rules.age_band(birth_year, 2026) == band

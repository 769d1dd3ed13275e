"""Pure rules: status machine, Greek working days, municipal units, figures arithmetic."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from syros_app.reports import rules

ATHENS = ZoneInfo("Europe/Athens")


def athens(*args) -> datetime:
    return datetime(*args, tzinfo=ATHENS).astimezone(timezone.utc)


# --- status machine ------------------------------------------------------------------------

@pytest.mark.parametrize("current, new", [
    ("submitted", "acknowledged"), ("acknowledged", "in_progress"), ("in_progress", "resolved"),
    ("submitted", "rejected"), ("acknowledged", "forwarded"), ("resolved", "in_progress"),
])
def test_legal_transitions(current, new):
    rules.check_transition(current, new, note="Σημείωση", forwarded_to="ΔΕΥΑ Σύρου")


@pytest.mark.parametrize("current, new", [
    ("submitted", "submitted"), ("resolved", "acknowledged"), ("rejected", "resolved"), ("merged", "acknowledged"),
    ("forwarded", "resolved"), ("in_progress", "submitted"), ("submitted", "merged"), ("resolved", "resolved"),
])
def test_illegal_transitions(current, new):
    with pytest.raises(rules.TransitionError) as err:
        rules.check_transition(current, new, note="x")
    assert err.value.key == "reports.errors.illegal_transition"


def test_every_change_needs_a_note_and_forwarding_needs_a_body():
    with pytest.raises(rules.TransitionError, match="note_required"):
        rules.check_transition("submitted", "acknowledged", note="  ")
    with pytest.raises(rules.TransitionError, match="forward_body_required"):
        rules.check_transition("submitted", "forwarded", note="Αρμοδιότητα ΔΕΥΑ", forwarded_to=" ")
    with pytest.raises(rules.TransitionError, match="unknown_status"):
        rules.check_transition("submitted", "done", note="x")


def test_open311_status():
    assert [rules.open311_status(s) for s in rules.STATUSES] == ["open", "open", "open", "closed", "closed", "closed", "closed"]


# --- calendar --------------------------------------------------------------------------------

@pytest.mark.parametrize("year, easter", [(2024, date(2024, 5, 5)), (2025, date(2025, 4, 20)),
                                          (2026, date(2026, 4, 12)), (2027, date(2027, 5, 2)),
                                          (2021, date(2021, 5, 2))])
def test_orthodox_easter(year, easter):
    assert rules.orthodox_easter(year) == easter


def test_greek_public_holidays_2026():
    assert sorted(rules.public_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 1, 6), date(2026, 2, 23), date(2026, 3, 25), date(2026, 4, 10),
        date(2026, 4, 13), date(2026, 5, 1), date(2026, 6, 1), date(2026, 8, 15), date(2026, 10, 28),
        date(2026, 12, 25), date(2026, 12, 26),
    ]


def test_local_holidays_of_the_municipality(monkeypatch):
    # default: St Nicholas (Sun 6 Dec 2026 falls on a weekend, so take 2027: a Monday)
    assert date(2027, 12, 6) in rules.public_holidays(2027, rules.local_holidays())
    # Fri 3 Dec 2027 12:00 → Tue 7 Dec 12:00: Friday's 12 h + Tuesday's 12 h; the Monday feast counts zero
    assert rules.working_days_between(athens(2027, 12, 3, 12), athens(2027, 12, 7, 12)) == pytest.approx(1.0)
    monkeypatch.setenv("SYROS_LOCAL_HOLIDAYS", "04-23, easter+39, 02-29")
    local = rules.local_holidays()
    days = rules.public_holidays(2026, local) - rules.public_holidays(2026)
    assert sorted(days) == [date(2026, 4, 23), date(2026, 5, 21)]  # St George; Ascension (Easter 12 Apr + 39)
    assert date(2028, 2, 29) in rules.public_holidays(2028, local)
    assert rules.working_days_between(athens(2027, 12, 3, 12), athens(2027, 12, 7, 12)) == pytest.approx(2.0)
    monkeypatch.setenv("SYROS_LOCAL_HOLIDAYS", "")
    assert rules.local_holidays() == ()
    for bad in ("13-01", "easter+x", "6 Dec"):
        monkeypatch.setenv("SYROS_LOCAL_HOLIDAYS", bad)
        with pytest.raises(ValueError, match="SYROS_LOCAL_HOLIDAYS"):
            rules.local_holidays()


def test_working_days_skip_weekend_and_easter_holidays():
    # Thu 9 Apr 2026 15:00 → Tue 14 Apr 09:00: Good Friday, the weekend and Easter Monday do not count.
    assert rules.working_days_between(athens(2026, 4, 9, 15), athens(2026, 4, 14, 9)) == pytest.approx(0.75)
    # an ordinary week: Mon 09:00 → Wed 21:00 = 0.625 + 1 + 0.875
    assert rules.working_days_between(athens(2026, 11, 23, 9), athens(2026, 11, 25, 21)) == pytest.approx(2.5)
    # reported on Saturday, answered on Monday at 06:00: only Monday's 6 hours count
    assert rules.working_days_between(athens(2026, 11, 28, 10), athens(2026, 11, 30, 6)) == pytest.approx(0.25)
    assert rules.working_days_between(athens(2026, 11, 30, 6), athens(2026, 11, 28, 10)) == 0.0


def test_adding_working_days():
    # 2 working days from Thu 9 Apr 15:00 (Easter 2026) end on Wed 15 Apr 15:00
    assert rules.add_working_days(athens(2026, 4, 9, 15), 2) == athens(2026, 4, 15, 15)
    # from a Saturday: the end of the second working day (Tuesday) = Wednesday 00:00
    assert rules.add_working_days(athens(2026, 11, 28, 10), 2) == athens(2026, 12, 2, 0)
    # Christmas: Thu 24 Dec 12:00 + 1 = Mon 28 Dec 12:00
    assert rules.add_working_days(athens(2026, 12, 24, 12), 1) == athens(2026, 12, 28, 12)
    # across the change to summer time (Sun 29 Mar 2026): Fri 27 Mar 10:00 + 1 = Mon 30 Mar 10:00
    assert rules.add_working_days(athens(2026, 3, 27, 10), 1) == athens(2026, 3, 30, 10)


# --- places ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lat, lon, unit", [
    (37.4448, 24.9427, "Ερμούπολη"),  # Miaouli Square
    (37.4490, 24.9350, "Άνω Σύρος"),  # Ano Syros old town
    (37.4880, 24.9130, "Άνω Σύρος"),  # Kini, the north
    (37.3880, 24.8830, "Ποσειδωνία"),  # Posidonia
    (37.4220, 24.8800, "Ποσειδωνία"),  # Galissas
    (37.9000, 23.7000, None),  # Athens
])
def test_unit_for_point(lat, lon, unit):
    assert rules.unit_for_point(lat, lon) == unit


def test_unit_for_address_and_distance():
    assert rules.unit_for_address("Παραλία Γαλησσά") == "Ποσειδωνία"
    assert rules.unit_for_address("Οδός Ερμού 12") == "Ερμούπολη"
    assert rules.distance_m(37.4448, 24.9427, 37.4457, 24.9427) == pytest.approx(100, abs=1)


# --- figures ---------------------------------------------------------------------------------

def fact(category="lighting", unit="Ερμούπολη", month="2026-10", status="resolved", ack=None, resolve=None,
         target=10, overdue=False, fixed=None, score=None):
    return rules.ReportFacts(category, unit, month, status, ack, resolve, target, overdue, fixed, score)


def test_figures_by_hand():
    facts = [
        fact(ack=0.5, resolve=4.0, fixed=True, score=5),
        fact(ack=1.5, resolve=12.0, fixed=False, score=2),
        fact(ack=3.0, resolve=10.0),
        fact(status="in_progress", ack=1.0, overdue=True),
        fact(status="submitted"),
        fact(category="water", ack=0.25, resolve=1.0, target=5, fixed=True, score=4),
        fact(month="2026-11", ack=2.0, resolve=2.0, fixed=True, score=3),
    ]
    rows = {(r.category, r.unit, r.month): r for r in rules.compute_figures(facts)}
    lighting = rows[("lighting", "Ερμούπολη", "2026-10")]
    assert lighting.received == 5
    assert lighting.median_ack_days == 1.25  # of 0.5, 1.5, 3.0, 1.0
    assert lighting.median_resolve_days == 10.0  # of 4, 12, 10
    assert lighting.resolved == 3 and lighting.resolved_within_target == 2  # 4 and 10 ≤ 10; 12 > 10
    assert lighting.share_within_target == pytest.approx(0.6667)
    assert lighting.overdue == 1
    assert lighting.rated == 2 and lighting.fixed_rate == 0.5 and lighting.average_satisfaction == 3.5
    assert rows[("water", "Ερμούπολη", "2026-10")].share_within_target == 1.0
    assert rows[("lighting", "Ερμούπολη", "2026-11")].received == 1

    totals = rules.compute_figures(facts, by=())
    assert len(totals) == 1
    total = totals[0]
    assert (total.category, total.unit, total.month) == ("*", "*", "*")
    assert total.received == 7
    assert total.median_ack_days == 1.25  # of 0.25, 0.5, 1.0, 1.5, 2.0, 3.0
    assert total.resolved == 5 and total.resolved_within_target == 4
    assert total.fixed_rate == 0.75 and total.average_satisfaction == 3.5  # (5+2+4+3)/4

    by_category = {r.category: r for r in rules.compute_figures(facts, by=("category",))}
    assert by_category["lighting"].received == 6 and by_category["water"].received == 1


def test_figures_of_nothing_are_empty_not_zero():
    row = rules.compute_figures([fact(status="submitted")])[0]
    assert row.median_ack_days is None and row.share_within_target is None and row.fixed_rate is None


def test_overdue():
    now = athens(2026, 11, 27, 12)
    early, late = athens(2026, 11, 26, 12), athens(2026, 11, 30, 12)
    assert rules.is_overdue("submitted", now, early, late)
    assert not rules.is_overdue("acknowledged", now, early, late)
    assert rules.is_overdue("in_progress", now, early, early)
    assert not rules.is_overdue("resolved", now, early, early)

"""Diavgeia's windows and records."""

from datetime import date, timedelta

from syros_app.opengov.decisions import rules


def test_windows_cover_the_range_with_at_most_180_days_each():
    start, end = date(2024, 1, 1), date(2026, 12, 31)
    windows = rules.windows(start, end)
    assert windows[0][0] == start and windows[-1][1] == end
    assert all((last - first).days + 1 <= 180 for first, last in windows)
    assert all(b[0] == a[1] + timedelta(days=1) for a, b in zip(windows, windows[1:]))
    assert rules.windows(start, start) == [(start, start)]
    assert rules.windows(end, start) == []


def test_record_from_the_api_shape():
    rec = rules.record({"ada": "ΩΘ73ΩΗΚ-Γ3Δ", "subject": " Έγκριση ", "issueDate": 1778234400000,
                        "decisionTypeId": "2.4.7.1", "documentUrl": "https://diavgeia.gov.gr/doc/ΩΘ73ΩΗΚ-Γ3Δ"})
    assert rec.subject == "Έγκριση" and rec.issue_date == date(2026, 5, 8) and rec.decision_type == "2.4.7.1"
    assert rules.record({"ada": "X", "subject": ""}) is None
    assert rules.record({"ada": "X", "subject": "s", "issueDate": "not a date"}) is None

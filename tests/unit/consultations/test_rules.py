"""Pure rules: phases from dates, edit window, text cleaning, links, diffs, file types."""

from datetime import datetime, timedelta, timezone

from syros_app.consultations import rules

T = datetime(2026, 11, 27, 12, tzinfo=timezone.utc)


def test_phase_follows_status_and_dates():
    opens, closes = T - timedelta(days=1), T + timedelta(days=1)
    assert rules.phase("draft", opens, closes, T) == "draft"
    assert rules.phase("open", opens, closes, T) == "open"
    assert rules.phase("open", T + timedelta(hours=1), closes, T) == "upcoming"
    assert rules.phase("open", opens, T, T) == "closed"  # the close instant is already closed
    assert rules.phase("closed", opens, closes, T) == "closed"
    assert rules.phase("report_published", opens, closes, T) == "report_published"
    assert rules.accepts_comments("open", opens, closes, T)
    assert not rules.accepts_comments("open", opens, T - timedelta(seconds=1), T)


def test_edit_window_is_fifteen_minutes():
    assert rules.within_edit_window(T, T + timedelta(minutes=15))
    assert not rules.within_edit_window(T, T + timedelta(minutes=15, seconds=1))


def test_clean_text_strips_controls_and_blank_runs():
    assert rules.clean_text("  a\r\n\r\n\r\n\r\nb\x00\x07c  ") == "a\n\nbc"


def test_links_are_text_until_approved():
    parts = rules.segments("Δείτε https://example.org/a. και τέλος", links_approved=False)
    assert [p.href for p in parts] == [""]
    assert "".join(p.text for p in parts) == "Δείτε https://example.org/a. και τέλος"
    parts = rules.segments("Δείτε https://example.org/a. και τέλος", links_approved=True)
    assert [(p.text, p.href) for p in parts] == [("Δείτε ", ""), ("https://example.org/a", "https://example.org/a"),
                                                 (". και τέλος", "")]
    assert all(not p.href for p in rules.segments("javascript:alert(1) data:text/html,x", links_approved=True))
    assert rules.contains_link("http://x.gr") and not rules.contains_link("www without scheme")


def test_diff_marks_added_and_removed_lines():
    diff = rules.diff_lines("α\nβ\nγ", "α\nβ2\nγ\nδ")
    assert [(d.kind, d.text) for d in diff] == [("same", "α"), ("removed", "β"), ("added", "β2"), ("same", "γ"),
                                                ("added", "δ")]


def test_file_type_comes_from_magic_bytes():
    assert rules.sniff_type(b"%PDF-1.7 ...") == "application/pdf"
    assert rules.sniff_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert rules.sniff_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert rules.sniff_type(b"<svg onload=alert(1)>") is None
    assert rules.sniff_type(b"GIF89a") is None


def test_safe_filename():
    assert rules.safe_filename("../../etc/passwd") == "passwd"
    assert rules.safe_filename("Σχέδιο <b>.pdf") == "Σχέδιο _b_.pdf"
    assert rules.safe_filename("") == "attachment"

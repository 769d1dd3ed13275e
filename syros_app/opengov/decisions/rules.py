"""Pure rules of the Diavgeia import: date windows and the shape of one decision."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

MAX_WINDOW_DAYS = 180  # the longest issue-date span one search asks for
# Diavgeia's decision types most seen in a municipality (its dictionary "DECISION_TYPES").
TYPES = ("Β.1.3", "Β.2.1", "Β.2.2", "Δ.1", "Δ.2.1", "Δ.2.2", "2.4.7.1", "Α.2", "Γ.3.4")
OTHER_TYPE = "other"


def windows(start: date, end: date, max_days: int = MAX_WINDOW_DAYS) -> list[tuple[date, date]]:
    """``[start, end]`` cut into consecutive inclusive windows of at most ``max_days`` days."""
    out: list[tuple[date, date]] = []
    cursor = start
    while cursor <= end:
        last = min(end, cursor + timedelta(days=max_days - 1))
        out.append((cursor, last))
        cursor = last + timedelta(days=1)
    return out


def fold(text: str) -> str:
    """Text as search compares it: without accents, case folded ("Πλατείας" → "πλατειας")."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class DecisionRecord:
    ada: str
    subject: str
    issue_date: date
    decision_type: str
    document_url: str


def _issue_date(value: object) -> date:
    """Diavgeia gives ``issueDate`` as milliseconds since the epoch (older clients: ISO text)."""
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc).date()
    return date.fromisoformat(str(value)[:10])


def record(item: Mapping) -> DecisionRecord | None:
    """One decision of a search answer, or None when it lacks what we keep."""
    ada, subject = str(item.get("ada") or "").strip(), str(item.get("subject") or "").strip()
    if not ada or not subject or item.get("issueDate") in (None, ""):
        return None
    try:
        issued = _issue_date(item["issueDate"])
    except (ValueError, OverflowError):
        return None
    url = str(item.get("documentUrl") or f"https://diavgeia.gov.gr/doc/{ada}")
    return DecisionRecord(ada=ada[:40], subject=subject[:4000], issue_date=issued,
                          decision_type=str(item.get("decisionTypeId") or OTHER_TYPE)[:20], document_url=url[:400])

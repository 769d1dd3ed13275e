"""Pure rules of residents' proposals: the support threshold, the lifecycle, the answer
deadline and the age bands of the participation figures. No database, no Reflex.

The threshold is ``ceil(p × verified residents)`` of the proposal's area (the island, or
one municipal unit), computed in decimal arithmetic: ``0.07 × 100`` is 7 supports, not
the 8 a binary float would give (``7.000000000000001`` rounded up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from syros_app.reports.rules import MUNICIPAL_UNITS, add_working_days  # the one working-days calendar

ISLAND = ""  # the area of an island-wide proposal
AREAS = (ISLAND, *MUNICIPAL_UNITS)

COLLECTING = "collecting"
REACHED = "reached"  # threshold reached, answer due
ANSWERED = "answered"
EXPIRED = "expired"
HIDDEN = "hidden"
STATUSES = (COLLECTING, REACHED, ANSWERED, EXPIRED, HIDDEN)
PUBLIC_STATUSES = (COLLECTING, REACHED, ANSWERED, EXPIRED)

LINK_KINDS = ("consultation", "vote")
LINK_URLS = {"consultation": "/consultations/{id}", "vote": "/votes/{id}"}

# An answer that starts a consultation makes a draft: these are its first dates and category
# (staff change them on the consultation's page before opening it).
DRAFT_OPENS_AFTER_DAYS = 14
DRAFT_CONSULTATION_DAYS = 30
DRAFT_CATEGORY = "other"
SUMMARY_MAX = 600  # a draft consultation's summary: the proposal's text, cut at a word

TITLE_MIN, TITLE_MAX = 8, 140
BODY_MIN, BODY_MAX = 30, 5000
ANSWER_MIN, ANSWER_MAX = 20, 5000
REASON_MIN, REASON_MAX = 3, 500
DEFAULT_SHARE = Decimal("0.02")

# Age bands of the participation figures (the youngest voters are 17).
AGE_BANDS = ("17–24", "25–39", "40–64", "65+")
_BAND_FLOORS = ((65, "65+"), (40, "40–64"), (25, "25–39"), (17, "17–24"))
UNKNOWN = "unknown"  # no birth year, no roll unit, or too young for a band


def parse_share(raw: str | float | Decimal | None) -> Decimal:
    """The setting as a share in (0, 1]; anything else is the default 2 %."""
    try:
        share = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return DEFAULT_SHARE
    return share if Decimal(0) < share <= Decimal(1) else DEFAULT_SHARE


def threshold(share: Decimal, residents: int) -> int:
    """Supports a proposal needs: ``ceil(share × residents)``, and never fewer than one."""
    needed = (share * Decimal(max(residents, 0))).to_integral_value(rounding=ROUND_CEILING)
    return max(1, int(needed))


def collect_until(created_at: datetime, days: int) -> datetime:
    return created_at + timedelta(days=days)


def answer_due(reached_at: datetime, working_days: int) -> datetime:
    """The moment ``working_days`` working days have elapsed since the threshold was reached
    (the reports' calendar: weekends, Greek public and local holidays do not count)."""
    return add_working_days(reached_at, working_days)


@dataclass(frozen=True)
class Lifecycle:
    """What a proposal's stored moments say about it at ``now``."""

    hidden: bool
    reached: bool
    answered: bool
    collect_until: datetime
    answer_due_at: datetime | None


def status_of(life: Lifecycle, now: datetime) -> str:
    """collecting → reached → answered; expired when the time ran out below the threshold;
    hidden by moderation whatever came before."""
    if life.hidden:
        return HIDDEN
    if life.answered:
        return ANSWERED
    if life.reached:
        return REACHED
    return EXPIRED if now > life.collect_until else COLLECTING


def is_overdue(life: Lifecycle, now: datetime) -> bool:
    """Past its threshold, unanswered, and past the answer's due moment: computed, never stored."""
    return (not life.hidden and life.reached and not life.answered and life.answer_due_at is not None
            and now > life.answer_due_at)


def answered_on_time(answered_at: datetime | None, due_at: datetime | None) -> bool:
    return answered_at is not None and due_at is not None and answered_at <= due_at


def progress(supports: int, needed: int) -> float:
    """Share of the threshold reached, capped at 1 (for the progress bar)."""
    return min(1.0, supports / needed) if needed > 0 else 1.0


def age_band(birth_year: int | None, year: int) -> str:
    """The age band of someone born in ``birth_year`` during ``year`` (age by birth year, as
    voting counts it)."""
    if birth_year is None:
        return UNKNOWN
    age = year - birth_year
    return next((band for floor, band in _BAND_FLOORS if age >= floor), UNKNOWN)


def summary_of(body: str, limit: int = SUMMARY_MAX) -> str:
    """The proposal's text as a summary: whole when short, else cut at a word with "…"."""
    text = " ".join(body.split())
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def clean_text(value: str | None, maximum: int) -> str:
    return (value or "").strip()[:maximum]

"""Pure rules of service reports: categories, the status machine, the working-day
calendar (Greek public holidays, Europe/Athens), municipal units from a point, and
the service-level arithmetic behind the public figures. No database, no Reflex.

Working time is measured in *working days*: every Monday–Friday that is not a
Greek national public holiday counts fully (24 h, in Athens local time), other
days count zero. A report made on Friday at 15:00 and acknowledged on Monday at
09:00 took 9/24 + 9/24 = 0.75 working days. A target of N working days ends at
the same local time N working days later (from the next working day's midnight
when a report arrives on a weekend or holiday).

National public holidays (Law 2026/1992 and ministerial practice), fixed:
1 Jan, 6 Jan (Epiphany), 25 Mar, 1 May, 15 Aug, 28 Oct, 25 Dec, 26 Dec; and
moving with Orthodox Easter: Clean Monday (Easter − 48 days), Good Friday
(Easter − 2), Easter Monday (Easter + 1), Whit Monday (Easter + 50). Local
holidays of the municipality come from ``SYROS_LOCAL_HOLIDAYS``: a comma-separated
list of ``MM-DD`` days and ``easter±N`` offsets; the default is ``12-06``, the feast
of St Nicholas, patron saint of Ermoupoli. The occasional move of 1 May is not included.
"""

from __future__ import annotations

import calendar
import math
import statistics
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from syros_app.core import settings

ATHENS = ZoneInfo("Europe/Athens")

# --- categories ------------------------------------------------------------------------

CATEGORIES = ("lighting", "roads", "cleanliness", "water", "greenery", "animals", "other")

# Default service-level targets (working days to acknowledge, to resolve).
DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    "lighting": (2, 10),
    "roads": (3, 20),
    "cleanliness": (1, 5),
    "water": (1, 5),
    "greenery": (3, 15),
    "animals": (2, 10),
    "other": (3, 20),
}

DEPARTMENTS = ("technical", "cleaning", "greenery", "lighting", "water_liaison", "animal_welfare", "citizen_service")

# Bodies outside the municipality to which a report may be forwarded (suggestions;
# staff may name another).
FORWARD_BODIES = ("ΔΕΥΑ Σύρου", "Λιμενικό Σώμα – Λιμεναρχείο Σύρου", "ΔΕΔΔΗΕ", "Περιφέρεια Νοτίου Αιγαίου",
                  "Ελληνική Αστυνομία")

MAX_PHOTOS = 3
MAX_DESCRIPTION = 2000
MIN_DESCRIPTION = 10
MAX_ADDRESS = 200
NEARBY_METRES = 200

# --- statuses ---------------------------------------------------------------------------

SUBMITTED = "submitted"
ACKNOWLEDGED = "acknowledged"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
FORWARDED = "forwarded"
REJECTED = "rejected"
MERGED = "merged"

STATUSES = (SUBMITTED, ACKNOWLEDGED, IN_PROGRESS, RESOLVED, FORWARDED, REJECTED, MERGED)
OPEN_STATUSES = frozenset({SUBMITTED, ACKNOWLEDGED, IN_PROGRESS})
CLOSED_STATUSES = frozenset({RESOLVED, FORWARDED, REJECTED, MERGED})

# Staff transitions. "merged" is reached only through merging duplicates.
TRANSITIONS: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({ACKNOWLEDGED, IN_PROGRESS, RESOLVED, FORWARDED, REJECTED}),
    ACKNOWLEDGED: frozenset({IN_PROGRESS, RESOLVED, FORWARDED, REJECTED}),
    IN_PROGRESS: frozenset({RESOLVED, FORWARDED, REJECTED}),
    RESOLVED: frozenset({IN_PROGRESS}),  # reopened by staff
    FORWARDED: frozenset({ACKNOWLEDGED}),  # the other body sent it back
    REJECTED: frozenset({ACKNOWLEDGED}),  # rejection reconsidered
    MERGED: frozenset(),
}
MERGEABLE = OPEN_STATUSES


class TransitionError(ValueError):
    """An illegal status change; ``key`` names the catalogue message."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def check_transition(current: str, new: str, *, note: str, forwarded_to: str | None = None) -> None:
    """Refuse illegal transitions and missing explanations (every change carries a public note)."""
    if new not in STATUSES or current not in STATUSES:
        raise TransitionError("reports.errors.unknown_status")
    if new not in TRANSITIONS[current]:
        raise TransitionError("reports.errors.illegal_transition")
    if not note or not note.strip():
        raise TransitionError("reports.errors.note_required")
    if new == FORWARDED and not (forwarded_to and forwarded_to.strip()):
        raise TransitionError("reports.errors.forward_body_required")


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


# --- municipal units from a point -------------------------------------------------------

MUNICIPAL_UNITS = ("Ερμούπολη", "Άνω Σύρος", "Ποσειδωνία")  # == identity.roles.MUNICIPAL_UNITS
SYROS_BBOX = (37.35, 24.85, 37.53, 24.98)  # south, west, north, east
SYROS_CENTRE = (37.4448, 24.9427)  # Miaouli Square, Ermoupoli
SYROS_CENTRE_VIEW = (37.440, 24.915)  # where a whole-island map is centred


def in_syros(lat: float, lon: float) -> bool:
    south, west, north, east = SYROS_BBOX
    return south <= lat <= north and west <= lon <= east


def unit_for_point(lat: float, lon: float) -> str | None:
    """A rough municipal unit for a point on Syros (boxes, not the cadastral borders).

    The north of the island and the medieval town of Ano Syros are Άνω Σύρος;
    Ermoupoli is the east-coast town and its surroundings; the south and west
    (Galissas, Finikas, Posidonia, Vari) are Ποσειδωνία.
    """
    if not in_syros(lat, lon):
        return None
    if 37.4455 <= lat <= 37.4535 and 24.9285 <= lon <= 24.9400:
        return "Άνω Σύρος"
    if lat >= 37.455:
        return "Άνω Σύρος"
    if lon >= 24.925 and lat >= 37.415:
        return "Ερμούπολη"
    return "Ποσειδωνία"


_UNIT_WORDS = {
    "Άνω Σύρος": ("άνω σύρ", "ανω συρ", "ano syro", "σαν μιχάλη", "κάμπος", "κινι", "κίνι", "delfini"),
    "Ποσειδωνία": ("ποσειδων", "posidonia", "poseidonia", "γαλησσ", "galissas", "φοίνικα", "finikas",
                   "βάρη", "vari", "αζόλιμνο", "azolimnos", "μέγας γιαλός", "megas gialos", "χρούσσα"),
}


def unit_for_address(address: str) -> str:
    """The municipal unit named by a few well-known place names; otherwise Ermoupoli,
    where most of the island's street addresses are."""
    text = address.lower()
    for unit, words in _UNIT_WORDS.items():
        if any(w in text for w in words):
            return unit
    return "Ερμούπολη"


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def bbox_around(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    dlat = metres / 111_320.0
    dlon = metres / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


# --- calendar ----------------------------------------------------------------------------

def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday (Meeus' Julian algorithm, shifted to the Gregorian calendar)."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month = (d + e + 114) // 31
    day = (d + e + 114) % 31 + 1
    julian = date(year, month, day)
    # Julian → Gregorian offset: 13 days for 1900–2099.
    offset = year // 100 - year // 400 - 2
    return julian + timedelta(days=offset)


FIXED_HOLIDAYS = ((1, 1), (1, 6), (3, 25), (5, 1), (8, 15), (10, 28), (12, 25), (12, 26))
EASTER_OFFSETS = (-48, -2, 1, 50)  # Clean Monday, Good Friday, Easter Monday, Whit Monday


DEFAULT_LOCAL_HOLIDAYS = settings.DEFAULT_LOCAL_HOLIDAYS


def parse_local_holidays(spec: str) -> tuple[tuple[str, int, int], ...]:
    """``"12-06, easter+1"`` → ``(("fixed", 12, 6), ("easter", 1, 0))``; ValueError names a bad entry."""
    parsed = []
    for raw in (spec or "").split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        try:
            if entry.startswith("easter"):
                parsed.append(("easter", int(entry[len("easter"):] or "0"), 0))
            else:
                month, day = (int(part) for part in entry.split("-"))
                date(2024, month, day)  # a leap year: 02-29 is a valid day
                parsed.append(("fixed", month, day))
        except ValueError:
            raise ValueError(f"SYROS_LOCAL_HOLIDAYS: {raw.strip()!r} is neither MM-DD nor easter±N") from None
    return tuple(parsed)


def local_holidays() -> tuple[tuple[str, int, int], ...]:
    return parse_local_holidays(settings.local_holidays_spec())


@lru_cache(maxsize=256)
def public_holidays(year: int, local: tuple[tuple[str, int, int], ...] = ()) -> frozenset[date]:
    """National holidays of ``year``, and the municipality's ``local`` ones (see ``local_holidays``)."""
    easter = orthodox_easter(year)
    days = {date(year, m, d) for m, d in FIXED_HOLIDAYS}
    days |= {easter + timedelta(days=n) for n in EASTER_OFFSETS}
    for kind, a, b in local:
        if kind == "easter":
            days.add(easter + timedelta(days=a))
        elif (a, b) != (2, 29) or calendar.isleap(year):
            days.add(date(year, a, b))
    return frozenset(days)


def is_working_day(day: date, local: tuple[tuple[str, int, int], ...] = ()) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year, local)


class WorkCalendar:
    """Working-day arithmetic with a prefix sum over days, so each call is O(log n).

    ``_cum[i]`` is the number of working days strictly before ``_start + i`` days.
    """

    def __init__(self, start: date, end: date, local: tuple[tuple[str, int, int], ...] = ()) -> None:
        self._start = start
        self._local = local
        n = (end - start).days + 2
        cum = [0] * (n + 1)
        day = start
        for i in range(n):
            cum[i + 1] = cum[i] + (1 if is_working_day(day, local) else 0)
            day += timedelta(days=1)
        self._cum = cum
        self._n = n

    def _index(self, day: date) -> int:
        i = (day - self._start).days
        if i < 0 or i >= self._n:
            raise ValueError("date outside the calendar range")
        return i

    def position(self, moment: datetime) -> float:
        """Working days elapsed from the calendar start until ``moment`` (Athens time)."""
        local = moment.astimezone(ATHENS)
        day = local.date()
        i = self._index(day)
        base = float(self._cum[i])
        if is_working_day(day, self._local):
            seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
            base += seconds / 86400.0
        return base

    def elapsed(self, start: datetime, end: datetime) -> float:
        if end <= start:
            return 0.0
        return self.position(end) - self.position(start)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The moment at which ``days`` working days have elapsed since ``start``."""
        target = self.position(start) + days
        whole = math.floor(target)
        fraction = target - whole
        # the first day index whose cumulative count exceeds ``whole`` is the working day
        # in which the target falls (when fraction == 0 it is the start of the next one)
        if fraction == 0:
            i = bisect_right(self._cum, whole - 1) - 1  # day index with cum == whole - 1, working
            # the end of working day number ``whole`` is the midnight after it
            day = self._start + timedelta(days=i)
            end_local = datetime.combine(day + timedelta(days=1), time(0), ATHENS)
            return end_local.astimezone(timezone.utc)
        i = bisect_right(self._cum, whole) - 1
        day = self._start + timedelta(days=i)
        seconds = round(fraction * 86400)
        local = datetime.combine(day, time(0), ATHENS) + timedelta(seconds=seconds)
        # re-attach the zone in case of a DST change during that day
        local = local.replace(tzinfo=ATHENS)
        return local.astimezone(timezone.utc)


@lru_cache(maxsize=8)
def calendar_for(first_year: int, last_year: int, local: tuple[tuple[str, int, int], ...] = ()) -> WorkCalendar:
    return WorkCalendar(date(first_year, 1, 1), date(last_year, 12, 31), local)


def default_calendar() -> WorkCalendar:
    """2015–2045 with the national holidays and the configured local ones."""
    return calendar_for(2015, 2045, local_holidays())


def working_days_between(start: datetime, end: datetime) -> float:
    return default_calendar().elapsed(start, end)


def add_working_days(start: datetime, days: int) -> datetime:
    return default_calendar().add_working_days(start, days)


def month_of(moment: datetime) -> str:
    """``YYYY-MM`` of a moment in Athens local time."""
    return moment.astimezone(ATHENS).strftime("%Y-%m")


# --- service-level figures ----------------------------------------------------------------

class ReportFacts(NamedTuple):
    """What the figures need of one report (precomputed when its status changes).

    A plain tuple, so rows straight from the database can be used as they are.
    """

    category: str
    unit: str
    month: str
    status: str
    ack_days: float | None  # working days from submission to first staff response
    resolve_days: float | None  # working days from submission to (last) resolution
    resolve_target: int  # the target in force when it was reported
    overdue: bool
    fixed: bool | None  # the reporter's answer to "was it fixed?"
    score: int | None  # 1–5 satisfaction


@dataclass
class FigureRow:
    category: str
    unit: str
    month: str
    received: int = 0
    median_ack_days: float | None = None
    median_resolve_days: float | None = None
    resolved: int = 0
    resolved_within_target: int = 0
    share_within_target: float | None = None  # of the resolved ones
    overdue: int = 0
    rated: int = 0
    fixed_rate: float | None = None  # of the rated ones
    average_satisfaction: float | None = None

    def as_dict(self) -> dict:
        return {
            "category": self.category,
            "municipal_unit": self.unit,
            "month": self.month,
            "received": self.received,
            "median_days_to_acknowledge": self.median_ack_days,
            "median_days_to_resolve": self.median_resolve_days,
            "resolved": self.resolved,
            "resolved_within_target": self.resolved_within_target,
            "share_resolved_within_target": self.share_within_target,
            "currently_overdue": self.overdue,
            "rated": self.rated,
            "fixed_rate": self.fixed_rate,
            "average_satisfaction": self.average_satisfaction,
        }


ALL = "*"


class _Acc:
    """Running totals of one group; the value lists are kept for exact medians."""

    __slots__ = ("received", "ack", "resolve", "within", "overdue", "rated", "fixed", "score_sum", "score_n")

    def __init__(self) -> None:
        self.received = self.within = self.overdue = self.rated = self.fixed = self.score_sum = self.score_n = 0
        self.ack: list[float] = []
        self.resolve: list[float] = []

    def merge(self, other: _Acc) -> None:
        self.received += other.received
        self.within += other.within
        self.overdue += other.overdue
        self.rated += other.rated
        self.fixed += other.fixed
        self.score_sum += other.score_sum
        self.score_n += other.score_n
        self.ack.extend(other.ack)
        self.resolve.extend(other.resolve)

    def row(self, key: tuple[str, str, str]) -> FigureRow:
        resolved = len(self.resolve)
        return FigureRow(
            *key,
            received=self.received,
            median_ack_days=round(statistics.median(self.ack), 3) if self.ack else None,
            median_resolve_days=round(statistics.median(self.resolve), 3) if self.resolve else None,
            resolved=resolved,
            resolved_within_target=self.within,
            share_within_target=round(self.within / resolved, 4) if resolved else None,
            overdue=self.overdue,
            rated=self.rated,
            fixed_rate=round(self.fixed / self.rated, 4) if self.rated else None,
            average_satisfaction=round(self.score_sum / self.score_n, 2) if self.score_n else None,
        )


def _finest(facts: Iterable[tuple]) -> dict[tuple[str, str, str], _Acc]:
    """One pass over the reports, grouped by (category, unit, month)."""
    groups: dict[tuple[str, str, str], _Acc] = {}
    for category, unit, month, status, ack, resolve, target, overdue, fixed, score in facts:
        key = (category, unit, month)
        acc = groups.get(key)
        if acc is None:
            acc = groups[key] = _Acc()
        acc.received += 1
        if ack is not None:
            acc.ack.append(ack)
        if status == RESOLVED and resolve is not None:
            acc.resolve.append(resolve)
            if resolve <= target:
                acc.within += 1
        if overdue:
            acc.overdue += 1
        if fixed is not None:
            acc.rated += 1
            if fixed:
                acc.fixed += 1
            if score is not None:
                acc.score_sum += score
                acc.score_n += 1
    return groups


def groups_from_totals(totals: Iterable[tuple], values: Iterable[tuple]) -> dict[tuple[str, str, str], _Acc]:
    """The same groups as :func:`_finest`, from totals a database aggregated per
    (category, unit, month) and the working-day values the medians need.

    ``totals``: (category, unit, month, received, resolved within target, overdue,
    rated, fixed, sum of scores, number of scores); ``values``: (category, unit, month,
    days to acknowledge or None, days to resolve — of resolved reports — or None).
    """
    groups: dict[tuple[str, str, str], _Acc] = {}
    for category, unit, month, received, within, overdue, rated, fixed, score_sum, score_n in totals:
        acc = groups[(category, unit, month)] = _Acc()
        acc.received, acc.within, acc.overdue = int(received), int(within or 0), int(overdue or 0)
        acc.rated, acc.fixed = int(rated or 0), int(fixed or 0)
        acc.score_sum, acc.score_n = int(score_sum or 0), int(score_n or 0)
    for category, unit, month, ack, resolve in values:
        acc = groups[(category, unit, month)]
        if ack is not None:
            acc.ack.append(ack)
        if resolve is not None:
            acc.resolve.append(resolve)
    return groups


def _sort_key(row: FigureRow):
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return (row.month, order.get(row.category, 99), row.unit)


def compute_figures_many(facts: Iterable[tuple], groupings: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], list[FigureRow]]:
    """Figures for several groupings at once: one pass over the reports, then the
    finest groups are merged into each coarser grouping (medians stay exact)."""
    return figures_from_groups(_finest(facts), groupings)


def figures_from_groups(finest: dict[tuple[str, str, str], _Acc],
                        groupings: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], list[FigureRow]]:
    result: dict[tuple[str, ...], list[FigureRow]] = {}
    for by in groupings:
        keep_c, keep_u, keep_m = "category" in by, "unit" in by, "month" in by
        merged: dict[tuple[str, str, str], _Acc] = {}
        for (c, u, m), acc in finest.items():
            key = (c if keep_c else ALL, u if keep_u else ALL, m if keep_m else ALL)
            if keep_c and keep_u and keep_m:
                merged[key] = acc
                continue
            target = merged.get(key)
            if target is None:
                target = merged[key] = _Acc()
            target.merge(acc)
        result[tuple(by)] = sorted((acc.row(key) for key, acc in merged.items()), key=_sort_key)
    return result


def compute_figures(facts: Iterable[tuple], *, by: tuple[str, ...] = ("category", "unit", "month")) -> list[FigureRow]:
    """Aggregate per group; ``by`` names the dimensions kept (the others become ``*``).

    Medians are of working days; the share within target is over resolved reports;
    the fixed rate and satisfaction are over reports the reporter rated.
    """
    return compute_figures_many(facts, [tuple(by)])[tuple(by)]


def is_overdue(status: str, now: datetime, ack_due: datetime | None, resolve_due: datetime | None) -> bool:
    if status not in OPEN_STATUSES:
        return False
    if status == SUBMITTED and ack_due is not None and now > ack_due:
        return True
    return resolve_due is not None and now > resolve_due

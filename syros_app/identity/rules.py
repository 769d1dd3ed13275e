"""Pure rules of identity (no database, no Reflex): roll files and nicknames."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from .hashing import is_valid_taxid
from .roles import MUNICIPAL_UNITS

MAX_ROLL_ENTRIES = 500_000
MAX_REPORTED_PROBLEMS = 50
NICKNAME_MIN, NICKNAME_MAX = 2, 40
ROLL_NAME_MIN, ROLL_NAME_MAX = 3, 120
_NICKNAME_RE = re.compile(r"^[\w][\w .'\-]*[\w.]$")
_HEADER_WORDS = {"αφμ", "afm", "taxid", "tin", "vat"}


def _fold(text: str) -> str:
    """Case- and accent-insensitive form («Άνω Σύρος» == «ανω συρος»)."""
    decomposed = unicodedata.normalize("NFD", " ".join(text.split()).casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


_UNITS_BY_FOLD = {_fold(unit): unit for unit in MUNICIPAL_UNITS}


def municipal_unit(raw: str) -> str | None:
    """The canonical spelling of a municipal unit, or None if it is not one of Syros'."""
    return _UNITS_BY_FOLD.get(_fold(raw))


@dataclass(frozen=True)
class RollProblem:
    line: int
    key: str  # catalogue key, identity.roll_problem.*
    params: dict = field(default_factory=dict)


@dataclass
class RollParse:
    entries: list[tuple[str, str | None]]  # (ΑΦΜ, municipal unit) — in memory only
    problems: list[RollProblem]
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.problem_count and bool(self.entries)


def parse_roll_csv(text: str) -> RollParse:
    """Read a roll file: one ΑΦΜ per line, optionally ``,unit`` (or ``;unit``).

    A first line naming the columns (ΑΦΜ, …) is skipped; blank lines are ignored.
    Every problem is reported with its line number; the caller stores nothing
    unless there is none.
    """
    text = (text or "").lstrip("\ufeff")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    entries: list[tuple[str, str | None]] = []
    problems: list[RollProblem] = []
    count = 0
    seen: dict[str, int] = {}

    def problem(line: int, key: str, **params) -> None:
        nonlocal count
        count += 1
        if len(problems) < MAX_REPORTED_PROBLEMS:
            problems.append(RollProblem(line, key, params))

    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        problem(1, "identity.roll_problem.unreadable")
        return RollParse([], problems, count)
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if number == 1 and _fold(cells[0]).replace(".", "") in _HEADER_WORDS:
            continue
        if len(cells) > 2:
            problem(number, "identity.roll_problem.columns", count=len(cells))
            continue
        taxid = cells[0]
        if not (len(taxid) == 9 and taxid.isascii() and taxid.isdigit()):
            problem(number, "identity.roll_problem.not_taxid")
            continue
        if not is_valid_taxid(taxid):
            problem(number, "identity.roll_problem.check_digit")
            continue
        unit: str | None = None
        if len(cells) == 2 and cells[1]:
            unit = municipal_unit(cells[1])
            if unit is None:
                problem(number, "identity.roll_problem.unit", unit=cells[1][:40], units=", ".join(MUNICIPAL_UNITS))
                continue
        if taxid in seen:
            problem(number, "identity.roll_problem.duplicate", first=seen[taxid])
            continue
        seen[taxid] = number
        entries.append((taxid, unit))
        if len(entries) > MAX_ROLL_ENTRIES:
            problem(number, "identity.roll_problem.too_many", limit=MAX_ROLL_ENTRIES)
            break
    if not entries and not count:
        problem(1, "identity.roll_problem.empty")
    return RollParse(entries, problems, count)


def clean_nickname(raw: str | None) -> str | None:
    """A valid nickname, None to clear it; raises ValueError naming the catalogue key."""
    value = " ".join(str(raw or "").split())
    if not value:
        return None
    if not (NICKNAME_MIN <= len(value) <= NICKNAME_MAX):
        raise ValueError("identity.errors.nickname_length")
    if not _NICKNAME_RE.match(value) or "_" in value:
        raise ValueError("identity.errors.nickname_characters")
    return value


def clean_roll_name(raw: str | None) -> str:
    value = " ".join(str(raw or "").split())
    if not (ROLL_NAME_MIN <= len(value) <= ROLL_NAME_MAX):
        raise ValueError("identity.errors.roll_name_length")
    return value

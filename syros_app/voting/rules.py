"""The rules of voting, as pure functions (no database, no Reflex).

Eligibility, choice validation per kind, tallying, the participatory-budget
winner rule, trackers and the recount from the published CSV all live here so
that they can be read, tested and re-implemented by anyone checking a result.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from syros_app.core.errors import InvalidInput
from syros_app.core.timefmt import as_utc

KINDS = ("yes_no", "single", "multiple", "budget")
STATUSES = ("draft", "scheduled", "open", "closed", "published")
DEFAULT_MIN_AGE = 17  # Greek voting age: those who turn 17 in the year vote

# Eligibility reasons (each is a catalogue key "voting.reason.<reason>").
NOT_LOGGED_IN = "not_logged_in"
NOT_ON_ROLL = "not_on_roll"
NOT_IN_UNIT = "not_in_unit"
TOO_YOUNG = "too_young"
AGE_UNKNOWN = "age_unknown"
NOT_YET_OPEN = "not_yet_open"
CLOSED = "closed"
ALREADY_VOTED = "already_voted"

# Trackers: 80 random bits written as 16 characters of Crockford's base32 (no I, L,
# O, U, so nothing reads as another letter) in 4 groups of 4: ``7KQ2-MZ9C-…``.
# When a tracker is typed back, O is read as 0 and I/L as 1, as that alphabet intends.
TRACKER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKER_GROUPS = 4
TRACKER_GROUP_LEN = 4
# Every pair of tracker characters, indexed by the 10 bits it writes (casting is hot).
_PAIRS = tuple(a + b for a in TRACKER_ALPHABET for b in TRACKER_ALPHABET)
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})

# A dealer accused in the key ceremony has this long to reveal the share; after it, staff may
# complete the key without them (their silence disqualifies them, as the record's verifier counts it).
COMPLAINT_ANSWER_TIME = timedelta(hours=48)


def _aware(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def effective_status(status: str, opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> str:
    """The status as time makes it: a scheduled vote opens at ``opens_at`` and an
    open one closes at ``closes_at`` even before the worker records it."""
    opens_at, closes_at = _aware(opens_at), _aware(closes_at)
    if status == "scheduled" and opens_at is not None and now >= opens_at:
        status = "open"
    if status == "open" and closes_at is not None and now >= closes_at:
        status = "closed"
    return status


@dataclass(frozen=True)
class VoterFacts:
    """What eligibility needs to know about the person (None = visitor)."""

    logged_in: bool
    on_roll: bool = False
    unit: str | None = None
    birth_year: int | None = None
    already_voted: bool = False


def age_in_year(birth_year: int, now: datetime) -> int:
    return now.year - birth_year


def ineligibility(
    voter: VoterFacts,
    *,
    status: str,
    vote_unit: str | None,
    min_age: int,
    now: datetime,
) -> str | None:
    """Why this person cannot cast now, or None if they can.

    Order: time first (it applies to everyone), then login, then whether they
    voted, then roll, unit and age. ``status`` is the effective status.
    """
    if status in ("draft", "scheduled"):
        return NOT_YET_OPEN
    if status in ("closed", "published"):
        return CLOSED
    if not voter.logged_in:
        return NOT_LOGGED_IN
    if voter.already_voted:
        return ALREADY_VOTED
    if not voter.on_roll:
        return NOT_ON_ROLL
    if vote_unit and voter.unit != vote_unit:
        return NOT_IN_UNIT
    if voter.birth_year is None:
        return AGE_UNKNOWN
    if age_in_year(voter.birth_year, now) < min_age:
        return TOO_YOUNG
    return None


# The same rules as the casting statement's condition (``vote`` joined to the person's
# ``voter_roll_entry``: being on the roll *is* the join; logged in: a ``:taxid`` to join
# on; once: the unique voter key). Written once here, beside ``ineligibility``, which
# says which of them failed when the statement inserts nothing. ``:now`` and ``:age``
# are parameters (``:age`` NULL when the year of birth is unknown: nothing passes).
ELIGIBLE_SQL = {
    NOT_YET_OPEN: "(vote.status = 'open' OR (vote.status = 'scheduled' AND vote.opens_at <= :now))",
    CLOSED: "(vote.closes_at IS NULL OR vote.closes_at > :now)",
    NOT_IN_UNIT: "(vote.municipal_unit IS NULL OR vote.municipal_unit = voter_roll_entry.municipal_unit)",
    TOO_YOUNG: "vote.min_age <= :age",
}
ELIGIBLE_FROM = (
    "FROM vote JOIN voter_roll_entry\n"
    "  ON voter_roll_entry.roll_id = vote.roll_id AND voter_roll_entry.taxid_hmac = :taxid\n"
    "WHERE vote.id = :vote_id\n  AND " + "\n  AND ".join(ELIGIBLE_SQL.values()))


@dataclass(frozen=True)
class OptionRule:
    id: int
    cost: int | None = None


def validate_choice(
    kind: str,
    options: Sequence[OptionRule],
    chosen: Iterable[object],
    *,
    max_choices: int | None = None,
    budget_total: int | None = None,
) -> tuple[int, ...]:
    """The chosen option ids, checked against the kind's rules; sorted, unique.

    Raises ``InvalidInput`` with a ``voting.errors.*`` key on any breach: an id
    that is not an option of this vote, a duplicate, the wrong number of
    choices (exactly one for yes/no and single, 1..k for multiple, at least one
    for a budget) or projects costing more than the budget.
    """
    by_id = {o.id: o for o in options}
    ids: list[int] = []
    for raw in chosen:
        try:
            value = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidInput("voting.errors.unknown_option") from None
        if isinstance(raw, bool) or value not in by_id:
            raise InvalidInput("voting.errors.unknown_option")
        if value in ids:
            raise InvalidInput("voting.errors.duplicate_option")
        ids.append(value)
    if not ids:
        raise InvalidInput("voting.errors.empty_choice")
    if kind in ("yes_no", "single"):
        if len(ids) != 1:
            raise InvalidInput("voting.errors.choose_one")
    elif kind == "multiple":
        k = max_choices or len(options)
        if len(ids) > k:
            raise InvalidInput("voting.errors.too_many", k=k)
    elif kind == "budget":
        total = sum(by_id[i].cost or 0 for i in ids)
        if budget_total is None or total > budget_total:
            raise InvalidInput("voting.errors.over_budget", total=_thousands(total), budget=_thousands(budget_total or 0))
    else:
        raise InvalidInput("voting.errors.bad_kind")
    return tuple(sorted(ids))


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def encode_choice(ids: Iterable[int]) -> str:
    return ";".join(str(i) for i in sorted(ids))


def decode_choice(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(";") if part.strip())


def make_tracker() -> str:
    """A uniformly random tracker: 80 bits from the OS CSPRNG."""
    return tracker_text(int.from_bytes(secrets.token_bytes(10), "big"))


def tracker_text(n: int) -> str:
    """80 bits as ``XXXX-XXXX-XXXX-XXXX`` (trackers, and receipts of encrypted ballots)."""
    p = _PAIRS
    return (f"{p[n >> 70]}{p[n >> 60 & 1023]}-{p[n >> 50 & 1023]}{p[n >> 40 & 1023]}-"
            f"{p[n >> 30 & 1023]}{p[n >> 20 & 1023]}-{p[n >> 10 & 1023]}{p[n & 1023]}")


def normalise_tracker(raw: str) -> str:
    """Upper-case, spaces and dashes tolerated, O→0 and I/L→1: ``abcd efgh…`` → ``ABCD-EFGH-…``;
    "" if it cannot be a tracker."""
    chars = "".join(ch for ch in str(raw).upper() if ch.isalnum()).translate(_TYPED)
    if len(chars) != TRACKER_GROUPS * TRACKER_GROUP_LEN or any(ch not in TRACKER_ALPHABET for ch in chars):
        return ""
    return "-".join(chars[i : i + TRACKER_GROUP_LEN] for i in range(0, len(chars), TRACKER_GROUP_LEN))


def tally(option_ids: Sequence[int], choices: Iterable[Iterable[int]]) -> tuple[dict[int, int], int]:
    """Votes per option and the number of ballots; an unknown id is an error."""
    counts = {i: 0 for i in option_ids}
    ballots = 0
    for choice in choices:
        ballots += 1
        for option_id in choice:
            if option_id not in counts:
                raise ValueError(f"ballot names option {option_id}, which is not an option of this vote")
            counts[option_id] += 1
    return counts, ballots


def budget_winners(
    projects: Sequence[OptionRule], counts: Mapping[int, int], budget_total: int, order: Mapping[int, int] | None = None
) -> list[int]:
    """Winning projects of a participatory budget: greedy by votes within the budget.

    Rule (the one most municipal budgets use): rank projects by votes, most
    first (ties: the cheaper first, then the earlier listed). Walk down the
    ranking and fund each project that still fits in what is left of the
    budget; a project that does not fit is skipped and the walk goes on, so a
    cheaper project further down can still be funded. Projects with no votes
    are never funded.
    """
    order = order or {p.id: n for n, p in enumerate(projects)}
    ranked = sorted(projects, key=lambda p: (-counts.get(p.id, 0), p.cost or 0, order.get(p.id, 0)))
    left = budget_total
    winners: list[int] = []
    for project in ranked:
        cost = project.cost or 0
        if counts.get(project.id, 0) > 0 and cost <= left:
            winners.append(project.id)
            left -= cost
    return winners


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def build_results(
    *,
    vote_id: int,
    kind: str,
    options: Sequence[Mapping[str, object]],
    choices: Iterable[Iterable[int]],
    participations: int,
    roll_size: int,
    turnout_by_unit: Sequence[Mapping[str, object]] = (),
    budget_total: int | None = None,
) -> dict:
    """The published result: a plain JSON-able dict (also what ``results.json`` serves).

    Percentages are of the ballots cast (for multiple choice and budgets, the
    share of ballots that chose the option, so they may add up to over 100).
    """
    counts, ballots = tally([int(o["id"]) for o in options], choices)
    return results_from_counts(vote_id=vote_id, kind=kind, options=options, counts=counts, ballots=ballots,
                               participations=participations, roll_size=roll_size,
                               turnout_by_unit=turnout_by_unit, budget_total=budget_total)


def results_from_counts(
    *,
    vote_id: int,
    kind: str,
    options: Sequence[Mapping[str, object]],
    counts: Mapping[int, int],
    ballots: int,
    participations: int,
    roll_size: int,
    turnout_by_unit: Sequence[Mapping[str, object]] = (),
    budget_total: int | None = None,
) -> dict:
    """The published result from counts per option (a plaintext tally, or an encrypted vote's decryption)."""
    result = {
        "vote_id": vote_id,
        "kind": kind,
        "ballots": ballots,
        "participations": participations,
        "roll_size": roll_size,
        "turnout_percent": percent(participations, roll_size),
        "turnout_by_unit": [dict(u) for u in turnout_by_unit],
        "options": [
            {
                "id": int(o["id"]),
                "title": o["title"],
                "cost": o.get("cost"),
                "votes": counts[int(o["id"])],
                "percent": percent(counts[int(o["id"])], ballots),
            }
            for o in options
        ],
    }
    if kind == "budget":
        rules = [OptionRule(int(o["id"]), o.get("cost")) for o in options]  # type: ignore[arg-type]
        winners = budget_winners(rules, counts, budget_total or 0)
        result["budget_total"] = budget_total
        result["winners"] = winners
        result["winners_cost"] = sum(int(o.get("cost") or 0) for o in options if int(o["id"]) in winners)
    return result


CSV_HEADER = ["tracker", "choice"]


def ballots_csv(option_ids: Sequence[int], ballots: Iterable[tuple[str, str]]) -> str:
    """The published ballot list: tracker, choice (ids ';'-separated) and one 0/1
    column per option so that a spreadsheet sums each column. Sorted by tracker."""
    out = io.StringIO()
    out.write("\ufeff")  # the platform's one CSV shape (api/csv_files.py): BOM, CRLF
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*CSV_HEADER, *(f"option_{i}" for i in option_ids)])
    for tracker, choice in sorted(ballots):
        chosen = set(decode_choice(choice))
        writer.writerow([tracker, choice, *(1 if i in chosen else 0 for i in option_ids)])
    return out.getvalue()


def parse_ballots_csv(text: str) -> list[tuple[str, tuple[int, ...]]]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if not header or header[:2] != CSV_HEADER:
        raise ValueError("not a ballots CSV: the first columns must be 'tracker,choice'")
    rows = []
    for line in reader:
        if not line:
            continue
        rows.append((line[0], decode_choice(line[1])))
    return rows


@dataclass(frozen=True)
class RecountReport:
    ok: bool
    differences: list[str]
    recounted: dict


def recount(csv_text: str, published: Mapping) -> RecountReport:
    """Recount the ballots of a published CSV and compare with a published result."""
    rows = parse_ballots_csv(csv_text)
    differences: list[str] = []
    trackers = [t for t, _ in rows]
    if len(set(trackers)) != len(trackers):
        differences.append("duplicate trackers in the CSV")
    options = published.get("options", [])
    try:
        recounted = build_results(
            vote_id=int(published.get("vote_id", 0)),
            kind=str(published.get("kind", "")),
            options=options,
            choices=[c for _, c in rows],
            participations=int(published.get("participations", 0)),
            roll_size=int(published.get("roll_size", 0)),
            turnout_by_unit=published.get("turnout_by_unit", []),
            budget_total=published.get("budget_total"),
        )
    except ValueError as exc:
        return RecountReport(False, [str(exc)], {})
    if recounted["ballots"] != published.get("ballots"):
        differences.append(f"ballots: published {published.get('ballots')}, recounted {recounted['ballots']}")
    if published.get("ballots") != published.get("participations"):
        differences.append(f"ballots ({published.get('ballots')}) differ from participations ({published.get('participations')})")
    for mine, theirs in zip(recounted["options"], options):
        if mine["votes"] != theirs.get("votes"):
            differences.append(f"option {mine['id']} ({mine['title']}): published {theirs.get('votes')}, recounted {mine['votes']}")
    if published.get("kind") == "budget" and recounted.get("winners") != published.get("winners"):
        differences.append(f"winners: published {published.get('winners')}, recounted {recounted.get('winners')}")
    return RecountReport(not differences, differences, recounted)


def results_to_json(results: Mapping) -> str:
    return json.dumps(results, ensure_ascii=False, sort_keys=True, indent=1)

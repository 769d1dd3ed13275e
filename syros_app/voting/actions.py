"""Writes of voting: setting votes up (staff), their lifecycle, and casting.

Every write is an action (``core.actions.action``): the role matrix is checked
first, then the typed input; the body runs in the caller's transaction and never
commits. Every staff step is audited in that transaction. Casting writes a
participation and an anonymous ballot in ONE statement; the unique
``(vote_id, voter_key)`` constraint is what makes "one person, one vote" hold under
any concurrency, and its ``IntegrityError`` becomes the typed "already voted" refusal.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Connection, bindparam, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, delete, select

from syros_app.core import events
from syros_app.core.actions import action, audit
from syros_app.core.db import is_postgresql
from syros_app.core.errors import AgoraError, InvalidInput, NotFound
from syros_app.core.timefmt import ATHENS, as_utc, utcnow
from syros_app.identity.models import VoterRoll
from syros_app.identity.roles import MUNICIPAL_UNITS, Actor

from . import queries, rules, sealing
from .models import Vote, VoteDocument, VoteOption, VoteParticipation
from .permissions import MATRIX

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
CLOSING_SOON = timedelta(hours=24)
EDITABLE = ("draft", "scheduled")


@dataclass(frozen=True)
class OptionInput:
    title: str
    description: str = ""
    cost: int | None = None


@dataclass(frozen=True)
class CastReceipt:
    vote_id: int
    tracker: str


def vote_url(vote_id: int) -> str:
    return f"/votes/{vote_id}"


def _event_payload(vote: Vote) -> dict:
    return {"vote_id": vote.id, "title": vote.title, "area": vote.municipal_unit, "url": vote_url(vote.id)}


def _editable_vote(session: Session, vote_id: int, now: datetime, refusal: str = "voting.errors.frozen") -> Vote:
    """The vote, locked, while it may still change (draft, or scheduled and not yet open)."""
    vote = queries.get_vote(session, vote_id, lock=True)
    if queries.status_of(vote, now) not in EDITABLE:
        raise AgoraError(refusal)
    return vote


def _audited(session: Session, actor: Actor | None, verb: str, vote: Vote, now: datetime, **details) -> Vote:
    """Flush the staff step and write its audit row beside it."""
    session.add(vote)
    session.flush()
    audit(session, actor, f"voting.{verb}", f"vote:{vote.id}", now=now, details=details or None)
    return vote


# --- setting up (staff) -------------------------------------------------------------------

def _positive(value: int | None, key: str, minimum: int = 1) -> int:
    if value is None or value < minimum:
        raise InvalidInput(key)
    return value


def _clean_fields(session: Session, *, title: str, question: str, explanation: str, kind: str, roll_id: int | None,
                  municipal_unit: str | None, min_age: int | None, max_choices: int | None,
                  budget_total: int | None) -> dict:
    title, question, explanation = title.strip(), question.strip(), explanation.strip()
    if not title or len(title) > 200:
        raise InvalidInput("voting.errors.title_required")
    if not question or len(question) > 500:
        raise InvalidInput("voting.errors.question_required")
    if kind not in rules.KINDS:
        raise InvalidInput("voting.errors.bad_kind")
    if roll_id is None or session.get(VoterRoll, roll_id) is None:
        raise InvalidInput("voting.errors.roll_required")
    unit = (municipal_unit or "").strip() or None
    if unit is not None and unit not in MUNICIPAL_UNITS:
        raise InvalidInput("voting.errors.bad_unit")
    age = rules.DEFAULT_MIN_AGE if min_age is None else min_age
    if not 0 <= age <= 120:
        raise InvalidInput("voting.errors.bad_min_age")
    k = _positive(max_choices, "voting.errors.bad_max_choices") if kind == "multiple" else None
    budget = _positive(budget_total, "voting.errors.bad_budget") if kind == "budget" else None
    return dict(title=title, question=question, explanation=explanation, kind=kind, roll_id=roll_id,
                municipal_unit=unit, min_age=age, max_choices=k, budget_total=budget)


def _clean_options(kind: str, options: list[OptionInput] | None) -> list[OptionInput]:
    cleaned = []
    for option in options or []:
        title = option.title.strip()
        if not title:
            continue
        if len(title) > 200:
            raise InvalidInput("voting.errors.option_title_too_long")
        cost = None
        if kind == "budget":
            if option.cost is None or option.cost <= 0:
                raise InvalidInput("voting.errors.option_cost_required", option=title)
            cost = option.cost
        cleaned.append(OptionInput(title, option.description.strip(), cost))
    if kind == "yes_no" and not cleaned:
        cleaned = [OptionInput("Ναι"), OptionInput("Όχι")]
    return cleaned


def _replace_options(session: Session, vote_id: int, options: list[OptionInput]) -> None:
    session.exec(delete(VoteOption).where(VoteOption.vote_id == vote_id))
    for position, option in enumerate(options):
        session.add(VoteOption(vote_id=vote_id, position=position, title=option.title,
                               description=option.description, cost=option.cost))
    session.flush()


def _check_ready(session: Session, vote: Vote) -> None:
    """A vote may be scheduled or opened only when its options make sense."""
    options = queries.options_of(session, vote.id)
    if len(options) < 2:
        raise InvalidInput("voting.errors.two_options")
    if vote.kind == "yes_no" and len(options) != 2:
        raise InvalidInput("voting.errors.yes_no_two")
    if vote.kind == "multiple" and not (1 <= (vote.max_choices or 0) <= len(options)):
        raise InvalidInput("voting.errors.bad_max_choices")
    if vote.kind == "budget":
        if not vote.budget_total or any(not o.cost or o.cost <= 0 for o in options):
            raise InvalidInput("voting.errors.bad_budget")
    if vote.encrypted and not queries.election_key_is_current(session, vote):
        raise InvalidInput("voting.errors.key_not_ready")


def _reset_election_key(session: Session, vote: Vote) -> None:
    """An edit changes the parameters every trustee proof is bound to: the trustees start again."""
    if vote.encrypted:
        session.execute(text("UPDATE vote_trustee SET commitments = NULL WHERE vote_id = :v"), {"v": vote.id})
        session.execute(text("DELETE FROM vote_trustee_complaint WHERE vote_id = :v"), {"v": vote.id})
        vote.election_json = None


@action(MATRIX, "manage_votes")
def create_vote(session: Session, *, actor: Actor, title: str, question: str, explanation: str = "",
                kind: str = "yes_no", roll_id: int | None, municipal_unit: str | None = None,
                min_age: int | None = None, max_choices: int | None = None, budget_total: int | None = None,
                options: list[OptionInput] | None = None, now: datetime) -> Vote:
    """A new draft with its options (yes/no gets Ναι/Όχι when none are given). Every new vote is
    encrypted: it can open only once its trustees' key ceremony has fixed the election key."""
    fields = _clean_fields(session, title=title, question=question, explanation=explanation, kind=kind,
                           roll_id=roll_id, municipal_unit=municipal_unit, min_age=min_age,
                           max_choices=max_choices, budget_total=budget_total)
    vote = Vote(**fields, status="draft", encrypted=True, created_at=now,
                created_by=actor.person_id if actor.person_id > 0 else None)
    session.add(vote)
    session.flush()
    _replace_options(session, vote.id, _clean_options(kind, options))
    return _audited(session, actor, "create", vote, now, title=vote.title, kind=vote.kind, roll_id=vote.roll_id)


@action(MATRIX, "manage_votes")
def update_vote(session: Session, *, actor: Actor, vote_id: int, title: str, question: str, explanation: str = "",
                kind: str = "yes_no", roll_id: int | None, municipal_unit: str | None = None,
                min_age: int | None = None, max_choices: int | None = None, budget_total: int | None = None,
                options: list[OptionInput] | None = None, now: datetime) -> Vote:
    """Edit a vote and its options: only while draft or scheduled (frozen once open)."""
    vote = _editable_vote(session, vote_id, now)
    fields = _clean_fields(session, title=title, question=question, explanation=explanation, kind=kind,
                           roll_id=roll_id, municipal_unit=municipal_unit, min_age=min_age,
                           max_choices=max_choices, budget_total=budget_total)
    for key, value in fields.items():
        setattr(vote, key, value)
    session.add(vote)
    _replace_options(session, vote.id, _clean_options(kind, options))
    _reset_election_key(session, vote)
    if vote.status == "scheduled":
        _check_ready(session, vote)
    return _audited(session, actor, "update", vote, now, title=vote.title, kind=vote.kind)


@action(MATRIX, "manage_votes")
def attach_document(session: Session, *, actor: Actor, vote_id: int, filename: str, content_type: str,
                    data: bytes, now: datetime) -> VoteDocument:
    """Attach (or replace) the vote's PDF: type and size are checked on the bytes."""
    vote = _editable_vote(session, vote_id, now)
    if len(data) == 0:
        raise InvalidInput("voting.errors.document_empty")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput("voting.errors.document_too_large", max_mb=MAX_DOCUMENT_BYTES // (1024 * 1024))
    if not data[:5] == b"%PDF-" or (content_type or "application/pdf") != "application/pdf":
        raise InvalidInput("voting.errors.document_not_pdf")
    name = "".join(ch for ch in (filename or "document.pdf") if ch.isalnum() or ch in "._- ")[:200] or "document.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    document = session.get(VoteDocument, vote.id)
    if document is None:
        document = VoteDocument(vote_id=vote.id, filename=name, content_type="application/pdf", size=len(data), data=data)
    else:
        document.filename, document.size, document.data = name, len(data), data
    session.add(document)
    session.flush()
    _audited(session, actor, "attach_document", vote, now, filename=name, size=len(data))
    return document


def _when(value: datetime | None) -> datetime | None:
    """A form's time without a zone is an Athens wall-clock time."""
    if value is None:
        return None
    return as_utc(value.replace(tzinfo=ATHENS) if value.tzinfo is None else value)


@action(MATRIX, "manage_votes")
def schedule_vote(session: Session, *, actor: Actor, vote_id: int, opens_at: datetime | None,
                  closes_at: datetime | None, now: datetime) -> Vote:
    vote = _editable_vote(session, vote_id, now, "voting.errors.bad_transition")
    opens, closes = _when(opens_at), _when(closes_at)
    if opens is None or closes is None or opens <= now or closes <= opens:
        raise InvalidInput("voting.errors.bad_schedule")
    _check_ready(session, vote)
    vote.status, vote.opens_at, vote.closes_at = "scheduled", opens, closes
    return _audited(session, actor, "schedule", vote, now, opens_at=opens.isoformat(), closes_at=closes.isoformat())


def _mark_open(session: Session, vote: Vote, now: datetime) -> None:
    vote.status = "open"
    vote.opened_at = now
    session.add(vote)
    session.flush()
    events.publish(session, "vote.opened", _event_payload(vote), now=now)


@action(MATRIX, "manage_votes")
def open_vote(session: Session, *, actor: Actor, vote_id: int, closes_at: datetime | None = None,
              now: datetime) -> Vote:
    """Open now (from draft or scheduled). A vote never opens without an end date: the one
    given, or the one already set if it is still ahead (residents must know until when)."""
    vote = queries.get_vote(session, vote_id, lock=True)
    if vote.status not in EDITABLE:
        raise AgoraError("voting.errors.bad_transition")
    _check_ready(session, vote)
    closes = _when(closes_at) or (as_utc(vote.closes_at) if vote.closes_at is not None else None)
    if closes is None:
        raise InvalidInput("voting.errors.end_date_required")
    if closes <= now:
        raise InvalidInput("voting.errors.bad_schedule")
    vote.closes_at = closes
    vote.opens_at = vote.opens_at if vote.opens_at and as_utc(vote.opens_at) <= now else now
    _mark_open(session, vote, now)
    return _audited(session, actor, "open", vote, now,
                    closes_at=vote.closes_at.isoformat() if vote.closes_at else None)


def _lock_for_close(session: Session) -> None:
    """PostgreSQL: a close takes the ballot table before it touches a vote row.

    A cast locks the ballot table (its statement inserts into it) before it locks the
    vote row, so a close that held the row first could wait for a cast waiting for it.
    The close re-orders the ballot table (``CLUSTER``) anyway, which needs the table to
    itself: it waits for the casts in flight, holds new ones off until it commits (they
    then see the vote closed), and casts on every vote pause for that moment."""
    if is_postgresql(session):
        session.execute(text("LOCK TABLE vote_ballot, vote_encrypted_ballot IN ACCESS EXCLUSIVE MODE"))


def _recluster_ballots(session: Session) -> None:
    """PostgreSQL keeps rows in insertion order on disk; rewrite the ballot table in
    random-id order so the physical order no longer follows the order of casting."""
    if is_postgresql(session):
        session.execute(text("CLUSTER vote_ballot USING vote_ballot_pkey"))
        session.execute(text("CLUSTER vote_encrypted_ballot USING vote_encrypted_ballot_pkey"))


@action(MATRIX, "manage_votes")
def close_vote(session: Session, *, actor: Actor, vote_id: int, reason: str = "", now: datetime) -> Vote:
    """Close an open vote. Before its scheduled close (or with none), a reason is required."""
    _lock_for_close(session)
    vote = queries.get_vote(session, vote_id, lock=True)
    status = queries.status_of(vote, now)
    if status != "open" and not (status == "closed" and vote.status == "open"):
        raise AgoraError("voting.errors.bad_transition")
    reason = reason.strip()
    early = vote.closes_at is None or now < as_utc(vote.closes_at)
    if early and not reason:
        raise InvalidInput("voting.errors.reason_required")
    if len(reason) > 500:
        raise InvalidInput("voting.errors.reason_too_long")
    if vote.status == "scheduled":  # opened by time, never recorded
        vote.opened_at = as_utc(vote.opens_at) if vote.opens_at else now
    vote.status, vote.closed_at = "closed", now
    if early:
        vote.close_reason = reason
        vote.closes_at = now
    session.add(vote)
    session.flush()
    _recluster_ballots(session)
    return _audited(session, actor, "close", vote, now, early=early, reason=reason or None)


@action(MATRIX, "manage_votes")
def publish_results(session: Session, *, actor: Actor, vote_id: int, now: datetime) -> Vote:
    """Tally and publish a closed vote (results, ballot list and trackers become public)."""
    vote = queries.get_vote(session, vote_id, lock=True)
    if vote.status != "closed":
        raise AgoraError("voting.errors.bad_transition")
    results = queries.compute_results(session, vote)
    if results["ballots"] != results["participations"]:  # cannot happen: one statement writes both
        raise AgoraError("voting.errors.inconsistent")
    results["published_at"] = now.isoformat()
    vote.results_json = rules.results_to_json(results)
    vote.status, vote.published_at = "published", now
    _audited(session, actor, "publish", vote, now, ballots=results["ballots"])
    events.publish(session, "vote.results_published", _event_payload(vote), now=now)
    return vote


@action(MATRIX, "manage_votes")
def return_to_draft(session: Session, *, actor: Actor, vote_id: int, now: datetime) -> Vote:
    vote = queries.get_vote(session, vote_id, lock=True)
    if vote.status != "scheduled" or queries.status_of(vote, now) != "scheduled":
        raise AgoraError("voting.errors.bad_transition")
    vote.status = "draft"
    return _audited(session, actor, "unschedule", vote, now)


def advance_schedules(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Record what time has done (the worker's / ``voting tick``'s, no person's: no matrix):
    open due scheduled votes, close votes past their end, announce closing soon."""
    now = as_utc(now or utcnow())
    done = {"opened": 0, "closed": 0, "closing_soon": 0}
    due = session.exec(select(Vote.id, Vote.closes_at).where(Vote.status.in_(("scheduled", "open")))).all()
    closing = {vote_id for vote_id, closes_at in due if closes_at is not None and as_utc(closes_at) <= now}
    if closing:  # the close locks before any vote row (see ``_lock_for_close``)
        _lock_for_close(session)
    for vote_id, _ in due:
        vote = queries.get_vote(session, vote_id, lock=True)
        if vote.status == "scheduled" and vote.encrypted and not queries.election_key_is_current(session, vote):
            continue  # never opens without its election key (the staff page says why)
        if vote.status == "scheduled" and vote.opens_at and as_utc(vote.opens_at) <= now:
            _mark_open(session, vote, as_utc(vote.opens_at))
            _audited(session, None, "open", vote, now, scheduled=True)
            done["opened"] += 1
        if vote.status == "open" and vote.closes_at and as_utc(vote.closes_at) <= now and vote.id in closing:
            vote.status, vote.closed_at = "closed", as_utc(vote.closes_at)
            session.add(vote)
            session.flush()
            _recluster_ballots(session)
            _audited(session, None, "close", vote, now, scheduled=True)
            done["closed"] += 1
        elif (vote.status == "open" and vote.closes_at and not vote.closing_soon_sent
              and as_utc(vote.closes_at) - now <= CLOSING_SOON):
            done["closing_soon"] += announce_closing_soon(session, vote, now=now)
    return done


def announce_closing_soon(session: Session, vote: Vote, *, now: datetime | None = None) -> int:
    if vote.closing_soon_sent or vote.closes_at is None:
        return 0
    vote.closing_soon_sent = True
    session.add(vote)
    session.flush()
    events.publish(session, "vote.closing_soon", {**_event_payload(vote), "closes_at": as_utc(vote.closes_at).isoformat()}, now=now)
    return 1


# --- casting ------------------------------------------------------------------------------

# ONE statement writes both rows, only if the person may vote: the eligibility
# condition is ``rules.ELIGIBLE_FROM`` (written once, beside ``rules.ineligibility``),
# plus "the same vote row as the options we checked the choice against"
# (``row_token``). Plain SQL handed to the driver: SQLAlchemy's per-execution
# cache-key walk and parameter processing cost a tenth to a fifth of a cast.
_SELECT_ELIGIBLE = (
    "SELECT {participation}, vote.id, :voter_key, voter_roll_entry.municipal_unit, :voted_on, :sealed_tracker{ballot}\n"
    + rules.ELIGIBLE_FROM + "\n  AND vote.row_token = :row_token")
# PostgreSQL: a data-modifying CTE; the outer INSERT's rowcount tells whether they went
# in. ``FOR SHARE OF vote`` makes a close and this statement wait for each other: a
# close holding the vote row (FOR UPDATE) makes it wait, then re-check its WHERE on the
# closed row (READ COMMITTED re-evaluation), so nothing goes in after a close.
_CAST_PG = re.sub(r":(\w+)", r"%(\1)s", (
    "WITH p AS (INSERT INTO vote_participation (id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker)\n"
    + _SELECT_ELIGIBLE.format(participation=":id", ballot="") + "\nFOR SHARE OF vote\nRETURNING vote_id)\n"
    "INSERT INTO vote_ballot (id, vote_id, tracker, choice) SELECT :b_id, vote_id, :tracker, :choice FROM p"))
# SQLite: both rows through the view ``vote_cast`` (its INSTEAD OF trigger inserts them;
# see ``models``). A writing statement that opens the transaction takes the write lock
# before it reads, so its checks and its inserts see the same database.
_CAST_SQLITE = (
    "INSERT INTO vote_cast (participation_id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker, "
    "ballot_id, tracker, choice)\n" + _SELECT_ELIGIBLE.format(participation=":id", ballot=", :b_id, :tracker, :choice"))

# Encrypted votes: the participation and the encrypted ballot, the same way.
_CAST_ENCRYPTED_PG = re.sub(r":(\w+)", r"%(\1)s", (
    "WITH p AS (INSERT INTO vote_participation (id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker)\n"
    + _SELECT_ELIGIBLE.format(participation=":id", ballot="") + "\nFOR SHARE OF vote\nRETURNING vote_id)\n"
    "INSERT INTO vote_encrypted_ballot (id, vote_id, fingerprint, ballot) SELECT :b_id, vote_id, :fingerprint, :ballot "
    "FROM p"))
_CAST_ENCRYPTED_SQLITE = (
    "INSERT INTO vote_cast_encrypted (participation_id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker, "
    "ballot_id, fingerprint, ballot)\n"
    + _SELECT_ELIGIBLE.format(participation=":id", ballot=", :b_id, :fingerprint, :ballot"))

_FACTS = (
    sa_select(Vote.status, Vote.kind, Vote.max_choices, Vote.budget_total, Vote.row_token, Vote.encrypted,
              VoteOption.id, VoteOption.cost)
    .select_from(Vote).join(VoteOption, VoteOption.vote_id == Vote.id, isouter=True)
    .where(Vote.id == bindparam("vote_id")))


@dataclass(frozen=True)
class _Frozen:
    """What the choice is checked against; it cannot change once the vote is open."""

    row_token: str
    kind: str
    max_choices: int | None
    budget_total: int | None
    options: tuple[rules.OptionRule, ...]
    encrypted: bool = False


_FROZEN: dict[int, _Frozen] = {}  # votes recorded open, by id (checked against row_token by the INSERT)


@lru_cache(maxsize=4)
def _column_writers(dialect) -> tuple:
    """How the time and the day are written for this database, exactly as their
    columns' types write them (the statement goes straight to the driver)."""
    columns = (Vote.__table__.c.closes_at, VoteParticipation.__table__.c.voted_on)
    return tuple(c.type.dialect_impl(dialect).bind_processor(dialect) or _unchanged for c in columns)


def _unchanged(value):
    return value


def _vote_facts(connection, vote_id: int) -> tuple[_Frozen, bool]:
    """Kind, limits and options of the vote, and whether they came from memory.

    Read once per vote and process while it is open (then nothing of it can change).
    SQLite: the write lock is taken before the read (``BEGIN IMMEDIATE``; the busy
    timeout queues us), so the INSERT that follows never has to upgrade a read
    transaction — the one case SQLite refuses at once instead of waiting."""
    frozen = _FROZEN.get(vote_id)
    if frozen is not None:
        return frozen, True
    if connection.dialect.name == "sqlite":
        dbapi = connection.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            dbapi.execute("BEGIN IMMEDIATE")
    rows = connection.execute(_FACTS, {"vote_id": vote_id}).all()
    if not rows:
        raise NotFound("voting.errors.not_found")
    status, kind, max_choices, budget_total, row_token, encrypted = rows[0][:6]
    frozen = _Frozen(row_token, kind, max_choices, budget_total,
                     tuple(rules.OptionRule(r[6], r[7]) for r in rows if r[6] is not None), bool(encrypted))
    if status == "open":
        if len(_FROZEN) > 10_000:
            _FROZEN.clear()
        _FROZEN[vote_id] = frozen
    return frozen, False


def _refuse_if_ineligible(session: Session, actor: Actor, vote_id: int, now: datetime) -> None:
    """The exact reason this person cannot vote, by ``rules.ineligibility`` (what the
    vote's page shows, too)."""
    vote = queries.get_vote(session, vote_id)
    reason = queries.ineligibility_for(session, actor, vote, now=now)
    if reason is not None:
        raise AgoraError(f"voting.reason.{reason}", unit=vote.municipal_unit or "", min_age=vote.min_age)


def _insert_if_eligible(connection, frozen: _Frozen, actor: Actor, vote_id: int, chosen: tuple[int, ...],
                        now: datetime) -> str | None:
    """The tracker if both rows went in, None if the person may not vote (no row written)."""
    tracker = rules.make_tracker()
    inserted = insert_cast(connection, row_token=frozen.row_token, actor=actor, vote_id=vote_id, now=now, ballot={
        "sealed_tracker": sealing.seal(tracker, vote_id=vote_id, person_taxid_hmac=actor.taxid_hmac),
        "tracker": tracker, "choice": rules.encode_choice(chosen)})
    return tracker if inserted else None


def insert_cast(connection, *, row_token: str, actor: Actor, vote_id: int, now: datetime, ballot: dict) -> bool:
    """ONE statement: the participation and the ballot (plaintext: ``tracker``/``choice``; encrypted:
    ``fingerprint``/``ballot``), only if the person may vote now. False when nothing went in."""
    write_time, write_day = _column_writers(connection.dialect)
    encrypted = "fingerprint" in ballot
    ids = secrets.token_hex(32)
    values = {
        "id": ids[:32], "vote_id": vote_id, "voter_key": queries.voter_key(actor, vote_id),
        "taxid": actor.taxid_hmac, "voted_on": write_day(now.date()), "row_token": row_token,
        "now": write_time(now), "sealed_tracker": None,
        "age": rules.age_in_year(actor.birth_year, now) if actor.birth_year is not None else None,
        "b_id": ids[32:], **ballot}
    try:
        if connection.dialect.name == "postgresql":
            inserted = connection.exec_driver_sql(_CAST_ENCRYPTED_PG if encrypted else _CAST_PG, values).rowcount == 1
        else:  # rows written by the view's trigger do not count in rowcount, but in total_changes
            dbapi = connection.connection.dbapi_connection
            before = dbapi.total_changes
            connection.exec_driver_sql(_CAST_ENCRYPTED_SQLITE if encrypted else _CAST_SQLITE, values)
            inserted = dbapi.total_changes - before == 2
    except IntegrityError as exc:
        if "fingerprint" in str(exc.orig):
            raise AgoraError("voting.errors.ballot_on_board") from None
        if "voter_key" not in str(exc.orig):
            raise
        raise AgoraError("voting.reason.already_voted") from None
    except OperationalError as exc:  # SQLite gave up waiting (busy timeout): nothing was recorded
        if "locked" not in str(exc.orig).lower() and "busy" not in str(exc.orig).lower():
            raise
        raise AgoraError("voting.errors.busy") from None
    return inserted


@action(MATRIX, "cast_ballot")
def cast_ballot(session: Session, *, actor: Actor, vote_id: int, choice: list[int], now: datetime) -> CastReceipt:
    """Cast ``actor``'s ballot: participation + anonymous ballot, in the caller's transaction.

    One path: the choice is checked against the vote's options (``rules.validate_choice``),
    then one ``INSERT … SELECT`` writes both rows only if the person may vote now. When it
    writes nothing, ``rules.ineligibility`` names the reason. The unique
    ``(vote_id, voter_key)`` refuses a second ballot. No retries here: SQLite waits on
    its busy timeout; call this off the event loop (``run_action`` does).

    ``session`` may also be a Core ``Connection`` inside a transaction (bulk loads, the
    bench): casting itself needs no ORM, only the refusal's explanation does."""
    if isinstance(session, Connection):
        connection, session = session, Session(bind=session)
    else:
        connection = session.connection()
    frozen, remembered = _vote_facts(connection, vote_id)
    if frozen.encrypted and remembered:  # the memory may be another database's vote with this id: read it again
        _FROZEN.pop(vote_id, None)
        frozen, remembered = _vote_facts(connection, vote_id)
    if frozen.encrypted:  # its ballots are encrypted in the voter's browser (``encrypted.cast_encrypted_ballot``)
        raise AgoraError("voting.errors.encrypted_only")
    try:
        chosen = rules.validate_choice(frozen.kind, frozen.options, choice, max_choices=frozen.max_choices,
                                       budget_total=frozen.budget_total)
        tracker = _insert_if_eligible(connection, frozen, actor, vote_id, chosen, now)
    except InvalidInput:
        if not remembered:
            _refuse_if_ineligible(session, actor, vote_id, now)  # "closed" says more than "choose one"
            raise
        tracker = None
    if tracker is None:
        if remembered:  # what we remembered may be another row (a new database): read it again, once
            _FROZEN.pop(vote_id, None)
            return cast_ballot.__wrapped__(session, actor=actor, vote_id=vote_id, choice=choice, now=now)
        _refuse_if_ineligible(session, actor, vote_id, now)
        raise AgoraError("voting.errors.busy")  # eligible, yet nothing went in: the vote changed meanwhile
    return CastReceipt(vote_id=vote_id, tracker=tracker)

"""Writes of voting: setting votes up (staff), their lifecycle, and casting.

Every staff step is audited. Casting writes a participation and an anonymous
ballot in ONE transaction; the unique ``(vote_id, voter_key)`` constraint is
what makes "one person, one vote" hold under any concurrency, and its
``IntegrityError`` becomes the typed "already voted" refusal.
"""

from __future__ import annotations

import random
import re
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, delete, select

from syros_app.core import audit, events
from syros_app.core import db as core_db
from syros_app.core.db import is_postgresql
from syros_app.core.errors import AgoraError, InvalidInput, NotFound
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.identity.hashing import scoped_hmac
from syros_app.identity.models import VoterRoll, VoterRollEntry
from syros_app.identity.roles import MUNICIPAL_UNITS, Actor

from . import rules, sealing
from .models import Ballot, Vote, VoteDocument, VoteOption, VoteParticipation
from .permissions import require_manage_votes

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


def voter_key(actor: Actor, vote_id: int) -> str:
    return scoped_hmac(actor.taxid_hmac, f"vote:{vote_id}")


def vote_url(vote_id: int) -> str:
    return f"/votes/{vote_id}"


def _event_payload(vote: Vote) -> dict:
    return {"vote_id": vote.id, "title": vote.title, "area": vote.municipal_unit, "url": vote_url(vote.id)}


def _get_vote(session: Session, vote_id: object, *, lock: bool = False) -> Vote:
    try:
        vid = int(vote_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("voting.errors.not_found") from None
    query = select(Vote).where(Vote.id == vid)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    vote = session.exec(query).first()
    if vote is None:
        raise NotFound("voting.errors.not_found")
    return vote


def options_of(session: Session, vote_id: int) -> list[VoteOption]:
    return list(session.exec(select(VoteOption).where(VoteOption.vote_id == vote_id).order_by(VoteOption.position, VoteOption.id)))


def _status(vote: Vote, now: datetime) -> str:
    return rules.effective_status(vote.status, vote.opens_at, vote.closes_at, now)


# --- setting up (staff) -------------------------------------------------------------------

def _clean_fields(session: Session, *, title: str, question: str, explanation: str, kind: str, roll_id: object,
                  municipal_unit: str | None, min_age: object, max_choices: object, budget_total: object) -> dict:
    title, question, explanation = (title or "").strip(), (question or "").strip(), (explanation or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput("voting.errors.title_required")
    if not question or len(question) > 500:
        raise InvalidInput("voting.errors.question_required")
    if kind not in rules.KINDS:
        raise InvalidInput("voting.errors.bad_kind")
    try:
        roll = session.get(VoterRoll, int(roll_id))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        roll = None
    if roll is None:
        raise InvalidInput("voting.errors.roll_required")
    unit = (municipal_unit or "").strip() or None
    if unit is not None and unit not in MUNICIPAL_UNITS:
        raise InvalidInput("voting.errors.bad_unit")
    try:
        age = int(min_age) if str(min_age or "").strip() else rules.DEFAULT_MIN_AGE  # type: ignore[arg-type]
    except ValueError:
        raise InvalidInput("voting.errors.bad_min_age") from None
    if not 0 <= age <= 120:
        raise InvalidInput("voting.errors.bad_min_age")
    k = None
    budget = None
    if kind == "multiple":
        try:
            k = int(max_choices)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidInput("voting.errors.bad_max_choices") from None
        if k < 1:
            raise InvalidInput("voting.errors.bad_max_choices")
    if kind == "budget":
        try:
            budget = int(budget_total)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidInput("voting.errors.bad_budget") from None
        if budget <= 0:
            raise InvalidInput("voting.errors.bad_budget")
    return dict(title=title, question=question, explanation=explanation, kind=kind, roll_id=roll.id,
                municipal_unit=unit, min_age=age, max_choices=k, budget_total=budget)


def _clean_options(kind: str, options: list[OptionInput] | None) -> list[OptionInput]:
    cleaned = []
    for option in options or []:
        title = (option.title or "").strip()
        if not title:
            continue
        if len(title) > 200:
            raise InvalidInput("voting.errors.option_title_too_long")
        cost = None
        if kind == "budget":
            try:
                cost = int(option.cost)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise InvalidInput("voting.errors.option_cost_required", option=title) from None
            if cost <= 0:
                raise InvalidInput("voting.errors.option_cost_required", option=title)
        cleaned.append(OptionInput(title, (option.description or "").strip(), cost))
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
    options = options_of(session, vote.id)
    if len(options) < 2:
        raise InvalidInput("voting.errors.two_options")
    if vote.kind == "yes_no" and len(options) != 2:
        raise InvalidInput("voting.errors.yes_no_two")
    if vote.kind == "multiple" and not (1 <= (vote.max_choices or 0) <= len(options)):
        raise InvalidInput("voting.errors.bad_max_choices")
    if vote.kind == "budget":
        if not vote.budget_total or any(not o.cost or o.cost <= 0 for o in options):
            raise InvalidInput("voting.errors.bad_budget")


def create_vote(session: Session, *, actor: Actor | None, title: str, question: str, explanation: str = "",
                kind: str = "yes_no", roll_id: object, municipal_unit: str | None = None, min_age: object = 17,
                max_choices: object = None, budget_total: object = None, options: list[OptionInput] | None = None,
                now: datetime | None = None) -> Vote:
    actor = require_manage_votes(actor)
    now = as_utc(now or utcnow())
    fields = _clean_fields(session, title=title, question=question, explanation=explanation, kind=kind, roll_id=roll_id,
                           municipal_unit=municipal_unit, min_age=min_age, max_choices=max_choices, budget_total=budget_total)
    vote = Vote(**fields, status="draft", created_at=now, created_by=actor.person_id if actor.person_id > 0 else None)
    session.add(vote)
    session.flush()
    _replace_options(session, vote.id, _clean_options(kind, options))
    audit.record(session, actor=actor.audit_name, action="voting.create", target=f"vote:{vote.id}",
                 details={"title": vote.title, "kind": vote.kind, "roll_id": vote.roll_id}, now=now)
    return vote


def update_vote(session: Session, *, actor: Actor | None, vote_id: object, title: str, question: str,
                explanation: str = "", kind: str = "yes_no", roll_id: object, municipal_unit: str | None = None,
                min_age: object = 17, max_choices: object = None, budget_total: object = None,
                options: list[OptionInput] | None = None, now: datetime | None = None) -> Vote:
    """Edit a vote and its options: only while draft or scheduled (frozen once open)."""
    actor = require_manage_votes(actor)
    now = as_utc(now or utcnow())
    vote = _get_vote(session, vote_id, lock=True)
    if _status(vote, now) not in EDITABLE:
        raise AgoraError("voting.errors.frozen")
    fields = _clean_fields(session, title=title, question=question, explanation=explanation, kind=kind, roll_id=roll_id,
                           municipal_unit=municipal_unit, min_age=min_age, max_choices=max_choices, budget_total=budget_total)
    for key, value in fields.items():
        setattr(vote, key, value)
    session.add(vote)
    _replace_options(session, vote.id, _clean_options(kind, options))
    if vote.status == "scheduled":
        _check_ready(session, vote)
    audit.record(session, actor=actor.audit_name, action="voting.update", target=f"vote:{vote.id}",
                 details={"title": vote.title, "kind": vote.kind}, now=now)
    return vote


def attach_document(session: Session, *, actor: Actor | None, vote_id: object, filename: str, content_type: str,
                    data: bytes, now: datetime | None = None) -> VoteDocument:
    """Attach (or replace) the vote's PDF: type and size are checked on the bytes."""
    actor = require_manage_votes(actor)
    now = as_utc(now or utcnow())
    vote = _get_vote(session, vote_id, lock=True)
    if _status(vote, now) not in EDITABLE:
        raise AgoraError("voting.errors.frozen")
    if not isinstance(data, (bytes, bytearray)) or len(data) == 0:
        raise InvalidInput("voting.errors.document_empty")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput("voting.errors.document_too_large", max_mb=MAX_DOCUMENT_BYTES // (1024 * 1024))
    if not bytes(data[:5]) == b"%PDF-" or (content_type or "application/pdf") != "application/pdf":
        raise InvalidInput("voting.errors.document_not_pdf")
    name = "".join(ch for ch in (filename or "document.pdf") if ch.isalnum() or ch in "._- ")[:200] or "document.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    document = session.get(VoteDocument, vote.id)
    if document is None:
        document = VoteDocument(vote_id=vote.id, filename=name, content_type="application/pdf", size=len(data), data=bytes(data))
    else:
        document.filename, document.size, document.data = name, len(data), bytes(data)
    session.add(document)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="voting.attach_document", target=f"vote:{vote.id}",
                 details={"filename": name, "size": len(data)}, now=now)
    return document


def _parse_when(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("voting.errors.bad_date") from None
    if parsed.tzinfo is None:  # a local (Athens) wall-clock time from a form
        from syros_app.core.timefmt import ATHENS

        parsed = parsed.replace(tzinfo=ATHENS)
    return as_utc(parsed)


def schedule_vote(session: Session, *, actor: Actor | None, vote_id: object, opens_at: object, closes_at: object,
                  now: datetime | None = None) -> Vote:
    actor = require_manage_votes(actor)
    now = as_utc(now or utcnow())
    vote = _get_vote(session, vote_id, lock=True)
    if _status(vote, now) not in EDITABLE:
        raise AgoraError("voting.errors.bad_transition")
    opens, closes = _parse_when(opens_at), _parse_when(closes_at)
    if opens is None or closes is None or opens <= now or closes <= opens:
        raise InvalidInput("voting.errors.bad_schedule")
    _check_ready(session, vote)
    vote.status, vote.opens_at, vote.closes_at = "scheduled", opens, closes
    session.add(vote)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="voting.schedule", target=f"vote:{vote.id}",
                 details={"opens_at": opens.isoformat(), "closes_at": closes.isoformat()}, now=now)
    return vote


def _mark_open(session: Session, vote: Vote, now: datetime) -> None:
    vote.status = "open"
    vote.opened_at = now
    session.add(vote)
    session.flush()
    events.publish(session, "vote.opened", _event_payload(vote), now=now)


def open_vote(session: Session, *, actor: Actor | None, vote_id: object, closes_at: object = None,
              now: datetime | None = None) -> Vote:
    """Open now (from draft or scheduled); ``closes_at`` optional (else closed by hand)."""
    actor = require_manage_votes(actor)
    now = as_utc(now or utcnow())
    vote = _get_vote(session, vote_id, lock=True)
    if vote.status not in EDITABLE:
        raise AgoraError("voting.errors.bad_transition")
    closes = _parse_when(closes_at)
    if closes is not None:
        if closes <= now:
            raise InvalidInput("voting.errors.bad_schedule")
        vote.closes_at = closes
    elif vote.closes_at is not None and as_utc(vote.closes_at) <= now:
        vote.closes_at = None
    _check_ready(session, vote)
    vote.opens_at = vote.opens_at if vote.opens_at and as_utc(vote.opens_at) <= now else now
    _mark_open(session, vote, now)
    audit.record(session, actor=actor.audit_name, action="voting.open", target=f"vote:{vote.id}",
                 details={"closes_at": vote.closes_at.isoformat() if vote.closes_at else None}, now=now)
    return vote


def _recluster_ballots(session: Session) -> None:
    """PostgreSQL keeps rows in insertion order on disk; rewrite the ballot table in
    random-id order so the physical order no longer follows the order of casting."""
    if is_postgresql(session):
        session.execute(text("CLUSTER vote_ballot USING vote_ballot_pkey"))


def close_vote(session: Session, *, actor: Actor | None, vote_id: object, reason: str = "",
               now: datetime | None = None) -> Vote:
    """Close an open vote. Before its scheduled close (or with none), a reason is required."""
    actor = require_manage_votes(actor)
    now = as_utc(now or utcnow())
    _lock_for_close(session, [_vote_id(vote_id)])
    vote = _get_vote(session, vote_id, lock=True)
    status = _status(vote, now)
    if status != "open" and not (status == "closed" and vote.status == "open"):
        raise AgoraError("voting.errors.bad_transition")
    reason = (reason or "").strip()
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
    audit.record(session, actor=actor.audit_name, action="voting.close", target=f"vote:{vote.id}",
                 details={"early": early, "reason": reason or None}, now=now)
    return vote


def compute_results(session: Session, vote: Vote) -> dict:
    from . import queries

    options = options_of(session, vote.id)
    choices = (rules.decode_choice(c) for c in session.exec(select(Ballot.choice).where(Ballot.vote_id == vote.id)))
    turnout = queries.turnout(session, vote)
    return rules.build_results(
        vote_id=vote.id, kind=vote.kind,
        options=[{"id": o.id, "title": o.title, "cost": o.cost} for o in options],
        choices=choices, participations=turnout.participations, roll_size=turnout.roll_size,
        turnout_by_unit=[{"unit": u.unit, "participations": u.participations, "roll_size": u.roll_size,
                          "turnout_percent": rules.percent(u.participations, u.roll_size)} for u in turnout.by_unit],
        budget_total=vote.budget_total,
    )


def publish_results(session: Session, *, actor: Actor | None, vote_id: object, now: datetime | None = None) -> Vote:
    """Tally and publish a closed vote (results, ballot list and trackers become public)."""
    actor = require_manage_votes(actor)
    now = as_utc(now or utcnow())
    vote = _get_vote(session, vote_id, lock=True)
    if vote.status != "closed":
        raise AgoraError("voting.errors.bad_transition")
    results = compute_results(session, vote)
    if results["ballots"] != results["participations"]:  # cannot happen: one transaction writes both
        raise AgoraError("voting.errors.inconsistent")
    results["published_at"] = now.isoformat()
    vote.results_json = rules.results_to_json(results)
    vote.status, vote.published_at = "published", now
    session.add(vote)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="voting.publish", target=f"vote:{vote.id}",
                 details={"ballots": results["ballots"]}, now=now)
    events.publish(session, "vote.results_published", _event_payload(vote), now=now)
    return vote


def return_to_draft(session: Session, *, actor: Actor | None, vote_id: object, now: datetime | None = None) -> Vote:
    actor = require_manage_votes(actor)
    now = as_utc(now or utcnow())
    vote = _get_vote(session, vote_id, lock=True)
    if vote.status != "scheduled" or _status(vote, now) != "scheduled":
        raise AgoraError("voting.errors.bad_transition")
    vote.status = "draft"
    session.add(vote)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="voting.unschedule", target=f"vote:{vote.id}", now=now)
    return vote


def advance_schedules(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Record what time has done (called by the worker / ``voting tick``):
    open due scheduled votes, close votes past their end, announce closing soon."""
    now = as_utc(now or utcnow())
    done = {"opened": 0, "closed": 0, "closing_soon": 0}
    due = session.exec(select(Vote.id, Vote.closes_at).where(Vote.status.in_(("scheduled", "open")))).all()
    closing = {vote_id for vote_id, closes_at in due if closes_at is not None and as_utc(closes_at) <= now}
    if closing:  # the close locks before any vote row (see ``_lock_for_close``)
        _lock_for_close(session, closing)
    for vote_id, _ in due:
        vote = _get_vote(session, vote_id, lock=True)
        if vote.status == "scheduled" and vote.opens_at and as_utc(vote.opens_at) <= now:
            _mark_open(session, vote, as_utc(vote.opens_at))
            audit.record(session, actor="system", action="voting.open", target=f"vote:{vote.id}",
                         details={"scheduled": True}, now=now)
            done["opened"] += 1
        if vote.status == "open" and vote.closes_at and as_utc(vote.closes_at) <= now and vote.id in closing:
            vote.status, vote.closed_at = "closed", as_utc(vote.closes_at)
            session.add(vote)
            session.flush()
            _recluster_ballots(session)
            audit.record(session, actor="system", action="voting.close", target=f"vote:{vote.id}",
                         details={"scheduled": True}, now=now)
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

# A fast cast inserts its rows only when the vote (this very row: its random
# ``row_token``) is still open and the person is on its roll, in its unit and old
# enough: the database checks it in the statement that inserts. Only votes
# recorded as open are remembered for the fast path, and "open" never goes back to
# "scheduled", so the status test is just "open, and not past its close". Plain SQL
# text, because SQLAlchemy keys its statement cache by walking the expression tree
# on every execution, which for a tree this size cost about as much as the INSERT.
_IF_ELIGIBLE = """
FROM vote JOIN voter_roll_entry
  ON voter_roll_entry.roll_id = vote.roll_id AND voter_roll_entry.taxid_hmac = :taxid
WHERE vote.id = :vote_id AND vote.row_token = :row_token
  AND vote.status = 'open' AND (vote.closes_at IS NULL OR vote.closes_at > :now)
  AND (vote.municipal_unit IS NULL OR vote.municipal_unit = voter_roll_entry.municipal_unit)
  AND vote.min_age <= :age"""
_INSERT_IF_ELIGIBLE = (
    "INSERT INTO vote_participation (id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker)\n"
    "SELECT :id, vote.id, :voter_key, voter_roll_entry.municipal_unit, :voted_on, :sealed_tracker" + _IF_ELIGIBLE)
# PostgreSQL: participation (if eligible) and ballot in ONE statement; the command
# tag of the outer INSERT (rowcount) tells whether they went in. ``FOR SHARE OF
# vote`` makes a close and this statement wait for each other: a close holding the
# vote row (FOR UPDATE) makes it wait, then re-check its WHERE on the closed row
# (READ COMMITTED re-evaluation), so nothing goes in after a close; and a close
# waits for the casts that already hold the row. No separate lock round trip.
_CAST_IF_ELIGIBLE_PG = re.sub(r":(\w+)", r"%(\1)s", (
    f"WITH p AS ({_INSERT_IF_ELIGIBLE}\nFOR SHARE OF vote\nRETURNING vote_id)\n"
    "INSERT INTO vote_ballot (id, vote_id, tracker, choice) SELECT :b_id, vote_id, :tracker, :choice FROM p"))
# SQLite: both rows through the view ``vote_cast`` (its trigger inserts them; see ``models``).
_CAST_COLUMNS = "(participation_id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker, ballot_id, tracker, choice)"
_CAST_IF_ELIGIBLE_SQLITE = (
    f"INSERT INTO vote_cast {_CAST_COLUMNS}\n"
    "SELECT :id, vote.id, :voter_key, voter_roll_entry.municipal_unit, :voted_on, :sealed_tracker, :b_id, :tracker, :choice"
    + _IF_ELIGIBLE)


def _typed(sql: str):
    """A text statement whose day parameter is stored like the column's values."""
    return text(sql).bindparams(bindparam("voted_on", type_=VoteParticipation.__table__.c.voted_on.type))


@lru_cache(maxsize=4)
def _column_writers(dialect) -> tuple:
    """How the closing time and the day are written for this database, exactly as
    their columns' types write them. The fast path hands its statement straight to
    the driver (``exec_driver_sql``), which skips SQLAlchemy's per-execution
    cache-key walk and parameter processing: a tenth to a fifth of a cast."""
    columns = (Vote.__table__.c.closes_at, VoteParticipation.__table__.c.voted_on)
    return tuple(c.type.dialect_impl(dialect).bind_processor(dialect) or _unchanged for c in columns)


def _unchanged(value):
    return value


def _cast_statements():
    """Casting statements, built once (compiled once, cached by SQLAlchemy)."""
    global _CAST_STATEMENTS
    if _CAST_STATEMENTS is None:
        facts = (
            sa_select(Vote.id, Vote.status, Vote.opens_at, Vote.closes_at, Vote.kind, Vote.max_choices,
                      Vote.budget_total, Vote.municipal_unit, Vote.min_age, VoteOption.id, VoteOption.cost,
                      VoterRollEntry.id, VoterRollEntry.municipal_unit, Vote.row_token)
            .select_from(Vote)
            .join(VoteOption, VoteOption.vote_id == Vote.id, isouter=True)
            .join(VoterRollEntry, and_(VoterRollEntry.roll_id == Vote.roll_id,
                                       VoterRollEntry.taxid_hmac == bindparam("taxid")), isouter=True)
            .where(Vote.id == bindparam("vote_id"))
        )
        _CAST_STATEMENTS = {
            "facts": facts,
            "share_lock": text("SELECT pg_advisory_xact_lock_shared(:space, :vote_id)"),
            # SQLite: both rows in one statement, through the view.
            "both_sqlite": _typed(f"INSERT INTO vote_cast {_CAST_COLUMNS} VALUES (:id, :vote_id, :voter_key, "
                                  ":municipal_unit, :voted_on, :sealed_tracker, :b_id, :tracker, :choice)"),
            # PostgreSQL: both rows in one statement (one round trip), still one transaction.
            "both_pg": text(
                "WITH p AS (INSERT INTO vote_participation (id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker) "
                "VALUES (:id, :vote_id, :voter_key, :municipal_unit, :voted_on, :sealed_tracker) RETURNING vote_id) "
                "INSERT INTO vote_ballot (id, vote_id, tracker, choice) SELECT :b_id, vote_id, :tracker, :choice FROM p"),
        }
    return _CAST_STATEMENTS


_CAST_STATEMENTS: dict | None = None


def _cast_facts(connection, vote_id: int, taxid: str, *, postgres: bool):
    """Everything casting needs in ONE read: the vote, its options and the
    person's roll entry (one row per option). On PostgreSQL a shared advisory
    lock on the vote is taken first (an in-memory lock, no row write), so a
    close — which takes it exclusively — waits for the casts in flight, and
    casts that start after it read the new status."""
    statements = _cast_statements()
    if postgres:
        connection.execute(statements["share_lock"], {"space": VOTE_LOCK_SPACE, "vote_id": vote_id})
    return connection.execute(statements["facts"], {"vote_id": vote_id, "taxid": taxid}).all()


VOTE_LOCK_SPACE = 5_004  # advisory lock key space of votes (two-int keys: (space, vote id))


def _lock_for_close(session: Session, vote_ids) -> None:
    """PostgreSQL: what closing needs before it touches a vote row, taken in this order.

    The votes' advisory locks, exclusively: casts that read first hold them shared,
    so the close waits for those in flight and holds new ones off. Then the ballot
    table: fast casts lock it (to insert) before they lock the vote row, so a close
    that held the row first could wait for a cast waiting for it. The close re-orders
    the ballot table (``CLUSTER``) anyway, which needs the table to itself; casts on
    every vote pause for that moment."""
    if is_postgresql(session):
        for vote_id in sorted(vote_ids):
            session.execute(text("SELECT pg_advisory_xact_lock(:space, :vote_id)"),
                            {"space": VOTE_LOCK_SPACE, "vote_id": vote_id})
        session.execute(text("LOCK TABLE vote_ballot IN ACCESS EXCLUSIVE MODE"))


def _begin_immediate(connection) -> None:
    """SQLite: take the write lock now (BEGIN IMMEDIATE) so the reads that follow
    are consistent with the writes and the busy timeout queues us cleanly."""
    dbapi = connection.connection.dbapi_connection
    if dbapi is not None and not dbapi.in_transaction:
        dbapi.execute("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class _Frozen:
    """What cannot change about a vote once it is open (and the row it belongs to)."""

    row_token: str
    kind: str
    max_choices: int | None
    budget_total: int | None
    options: tuple[rules.OptionRule, ...]


_FROZEN: dict[int, _Frozen] = {}


def _remember(vote_id: int, frozen: _Frozen) -> None:
    if len(_FROZEN) > 10_000:
        _FROZEN.clear()
    _FROZEN[vote_id] = frozen


def _raise_already_voted(exc: IntegrityError):
    if "voter_key" not in str(exc.orig):
        raise exc
    raise AgoraError("voting.reason.already_voted") from None


def _fast_cast(connection, frozen: _Frozen, *, actor: Actor, vid: int, choice, now: datetime,
               postgres: bool) -> CastReceipt | None:
    """The common case in one statement: participation and ballot are inserted by
    ``INSERT … SELECT`` only if the vote (the same row: ``row_token``) is open and
    the person is on its roll, in its unit and old enough. None when no row was
    inserted: the caller then finds and reports the exact reason.

    On SQLite both rows go in through the view ``vote_cast`` in that one
    statement. It needs no ``BEGIN IMMEDIATE``: a writing statement that opens
    the transaction takes the write lock before it reads, so its checks and its
    inserts see the same database (and the lock is held for the SQL alone)."""
    try:
        chosen = rules.validate_choice(frozen.kind, frozen.options, choice, max_choices=frozen.max_choices,
                                       budget_total=frozen.budget_total)
    except InvalidInput:
        return None  # the slow path gives the authoritative answer
    write_time, write_day = _column_writers(connection.dialect)
    tracker, ids = rules.make_tracker(), secrets.token_hex(32)
    values = {
        "id": ids[:32], "vote_id": vid, "voter_key": voter_key(actor, vid), "taxid": actor.taxid_hmac,
        "voted_on": write_day(now.date()), "row_token": frozen.row_token, "now": write_time(now),
        "sealed_tracker": sealing.seal(tracker, vote_id=vid, person_taxid_hmac=actor.taxid_hmac),
        "age": rules.age_in_year(actor.birth_year, now),
        "b_id": ids[32:], "tracker": tracker, "choice": rules.encode_choice(chosen)}
    # Everything is prepared: the locks are taken by the statement, and held for the SQL alone.
    try:
        if postgres:
            inserted = connection.exec_driver_sql(_CAST_IF_ELIGIBLE_PG, values).rowcount == 1
        else:  # SQLite: rows written by the view's trigger do not count in rowcount, but in total_changes
            dbapi = connection.connection.dbapi_connection
            before = dbapi.total_changes
            connection.exec_driver_sql(_CAST_IF_ELIGIBLE_SQLITE, values)
            inserted = dbapi.total_changes - before == 2
    except IntegrityError as exc:
        _raise_already_voted(exc)
    return CastReceipt(vote_id=vid, tracker=tracker) if inserted else None


def cast_ballot(session: Session, *, actor: Actor | None, vote_id: object, choice: list[object] | tuple,
                now: datetime | None = None) -> CastReceipt:
    """Cast ``actor``'s ballot: participation + anonymous ballot, in the caller's transaction.

    Once a vote is known open, one ``INSERT … SELECT`` that writes both rows
    only if the person may vote (``_fast_cast``); otherwise, or when it wrote
    nothing, one read (vote, options, roll entry) that finds the exact reason,
    then the participation and the ballot. The unique ``(vote_id, voter_key)``
    refuses a second ballot. PostgreSQL: the read path takes a shared advisory
    lock on the vote before the read, the fast path locks the vote row; a close
    takes both exclusively (see ``_lock_for_close``), so it waits for casts in
    flight and no cast lands after it. SQLite: the
    write lock is taken before anything is read (by the fast path's
    ``INSERT … SELECT`` itself, else by ``BEGIN IMMEDIATE``), so nothing
    changes between the read and the writes.
    """
    return _cast_on(session.connection(), actor=actor, vote_id=vote_id, choice=choice, now=now)


def _cast_on(connection, *, actor: Actor | None, vote_id: object, choice: list[object] | tuple,
             now: datetime | None = None) -> CastReceipt:
    now = as_utc(now or utcnow())
    vid = _vote_id(vote_id)
    postgres = connection.dialect.name == "postgresql"
    if actor is not None and actor.taxid_hmac and actor.birth_year is not None and isinstance(choice, (list, tuple)):
        frozen = _FROZEN.get(vid)
        if frozen is not None:
            receipt = _fast_cast(connection, frozen, actor=actor, vid=vid, choice=choice, now=now, postgres=postgres)
            if receipt is not None:
                return receipt
    if not postgres:  # the write lock before the read, so nothing changes in between
        _begin_immediate(connection)
    rows = _cast_facts(connection, vid, actor.taxid_hmac if actor is not None else "", postgres=postgres)
    if not rows:
        raise NotFound("voting.errors.not_found")
    (_, status, opens_at, closes_at, kind, max_choices, budget_total, vote_unit, min_age, _, _, entry_id, entry_unit,
     row_token) = rows[0]
    options = [rules.OptionRule(r[9], r[10]) for r in rows if r[9] is not None]
    if status == "open":  # recorded as open: options, kind and limits can never change again
        _remember(vid, _Frozen(row_token, kind, max_choices, budget_total, tuple(options)))
    status = rules.effective_status(status, opens_at, closes_at, now)
    logged_in = actor is not None and bool(actor.taxid_hmac)
    facts = rules.VoterFacts(logged_in=logged_in, on_roll=entry_id is not None, unit=entry_unit,
                             birth_year=actor.birth_year if actor is not None else None)
    reason = rules.ineligibility(facts, status=status, vote_unit=vote_unit, min_age=min_age, now=now)
    if reason is not None:
        raise AgoraError(f"voting.reason.{reason}", unit=vote_unit or "", min_age=min_age)
    assert actor is not None
    if not isinstance(choice, (list, tuple)):
        raise InvalidInput("voting.errors.unknown_option")
    chosen = rules.validate_choice(kind, options, choice, max_choices=max_choices, budget_total=budget_total)
    tracker = rules.make_tracker()
    ids = secrets.token_hex(32)
    values = {
        "id": ids[:32], "vote_id": vid, "voter_key": voter_key(actor, vid), "municipal_unit": entry_unit,
        "voted_on": now.date(), "sealed_tracker": sealing.seal(tracker, vote_id=vid, person_taxid_hmac=actor.taxid_hmac),
        "b_id": ids[32:], "tracker": tracker, "choice": rules.encode_choice(chosen)}
    try:  # both rows in one statement: the data-modifying CTE (PostgreSQL), the view (SQLite)
        connection.execute(_cast_statements()["both_pg" if postgres else "both_sqlite"], values)
    except IntegrityError as exc:
        _raise_already_voted(exc)
    return CastReceipt(vote_id=vid, tracker=tracker)


def _vote_id(vote_id: object) -> int:
    try:
        return int(vote_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("voting.errors.not_found") from None


def _is_busy(exc: OperationalError) -> bool:
    message = str(exc.orig).lower() if exc.orig else str(exc).lower()
    return "locked" in message or "busy" in message or "deadlock" in message or "serializ" in message


def cast(actor: Actor | None, vote_id: object, choice: list[object] | tuple, *, engine=None,
         now: datetime | None = None, attempts: int = 50) -> CastReceipt:
    """``cast_ballot`` in its own transaction (on a plain connection: no ORM session
    is needed), retried while SQLite reports the database busy."""
    engine = engine or core_db.get_engine()
    for attempt in range(attempts):
        try:
            with engine.begin() as connection:
                return _cast_on(connection, actor=actor, vote_id=vote_id, choice=choice, now=now)
        except OperationalError as exc:
            if not _is_busy(exc) or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.001, 0.01 * (attempt + 1)))
    raise AssertionError("unreachable")

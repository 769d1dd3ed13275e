"""Tables of voting: votes, their options, participations and anonymous ballots.

Secrecy is a property of these tables, so it is spelled out here:

* ``vote_participation`` says *that* a person took part: ``voter_key`` is
  ``scoped_hmac(taxid_hmac, "vote:<id>")`` (unique per vote, so one person
  casts once). It never says what was chosen.
* ``vote_ballot`` says *what* was chosen: a random id, the choice and a random
  tracker. It has no person column, no foreign key to a person or a
  participation, and no time column at all, so ballots cannot be joined to
  participations by id, by time or by a reference.
* On SQLite both tables are ``WITHOUT ROWID`` (stored in random-key order, so
  there is no hidden insertion counter); on PostgreSQL the ballot table is
  re-clustered on its random key when a vote closes (see ``actions``).
* On SQLite the view ``vote_cast`` holds nothing: inserting one row into it
  inserts the participation and the ballot (its ``INSTEAD OF`` trigger), so a
  cast is one statement, as the data-modifying CTE makes it on PostgreSQL.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import DDL, Column, LargeBinary, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel


class Vote(SQLModel, table=True):
    __tablename__ = "vote"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    question: str = Field(max_length=500)
    explanation: str = Field(default="", sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=20, description="yes_no | single | multiple | budget")
    max_choices: int | None = Field(default=None, description="k for multiple choice")
    budget_total: int | None = Field(default=None, description="euros, for participatory budgets")
    roll_id: int = Field(foreign_key="voter_roll.id", index=True)
    municipal_unit: str | None = Field(default=None, max_length=40)
    min_age: int = 17
    status: str = Field(default="draft", max_length=20, index=True)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    close_reason: str | None = Field(default=None, max_length=500)
    published_at: datetime | None = None
    results_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    closing_soon_sent: bool = False
    # Random, set once: identifies this row beyond its id (casting remembers a vote's
    # frozen options under it and its statement checks it; see ``actions.cast_ballot``).
    row_token: str = Field(default_factory=lambda: secrets.token_hex(8), max_length=16)
    # Encrypted votes (issue 12): ballots are encrypted in the voter's browser; k of n
    # trustees decrypt only the tally. ``election_json`` is the record's manifest
    # (parameters, trustees' commitments, election key), set when the last trustee
    # has posted their commitments (or staff completed the ceremony with k of n). Every
    # vote created since is encrypted; older rows (False) keep their plaintext ballots.
    encrypted: bool = Field(default=True, sa_column_kwargs={"server_default": "0"})
    trustee_threshold: int | None = None
    election_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")


class VoteOption(SQLModel, table=True):
    __tablename__ = "vote_option"

    id: int | None = Field(default=None, primary_key=True)
    vote_id: int = Field(foreign_key="vote.id", index=True)
    position: int = 0
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    cost: int | None = Field(default=None, description="euros, for budget projects")


class VoteDocument(SQLModel, table=True):
    """The optional attached document (a PDF), one per vote."""

    __tablename__ = "vote_document"

    vote_id: int = Field(foreign_key="vote.id", primary_key=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=80)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class _RandomIdRow(SQLModel):
    """A row of one vote under a random id (no sequence whose order could pair a
    participation with a ballot)."""

    id: str = Field(primary_key=True, max_length=32)
    vote_id: int = Field(foreign_key="vote.id")  # indexed by the table's unique constraint


class VoteParticipation(_RandomIdRow, table=True):
    """That a person voted (never what). Random id; the day only."""

    __tablename__ = "vote_participation"
    __table_args__ = (UniqueConstraint("vote_id", "voter_key"), {"sqlite_with_rowid": False})

    voter_key: str = Field(max_length=64)
    municipal_unit: str | None = Field(default=None, max_length=40)
    voted_on: date
    # Plaintext votes only: the tracker sealed with a key only this person's live
    # session can derive (see ``sealing``). Encrypted votes store nothing here: no
    # value of the participation row leads to its ballot, not even with the server secret.
    sealed_tracker: str | None = Field(default=None, max_length=120)


class Ballot(_RandomIdRow, table=True):
    """An anonymous ballot: random id, the choice, a random tracker. Nothing else."""

    __tablename__ = "vote_ballot"
    __table_args__ = (UniqueConstraint("vote_id", "tracker"), {"sqlite_with_rowid": False})

    tracker: str = Field(max_length=19)
    choice: str = Field(max_length=2000, description="chosen option ids, ascending, ';'-separated")


class EncryptedBallot(SQLModel, table=True):
    """A cast encrypted ballot on the bulletin board: random id, its fingerprint, the ciphertexts
    and proofs. No person, no time, no participation reference (like ``Ballot``)."""

    __tablename__ = "vote_encrypted_ballot"
    __table_args__ = (UniqueConstraint("vote_id", "fingerprint"), {"sqlite_with_rowid": False})

    id: str = Field(primary_key=True, max_length=32)
    vote_id: int = Field(foreign_key="vote.id")  # indexed by the unique constraint
    fingerprint: str = Field(max_length=64)
    ballot: str = Field(sa_column=Column(Text, nullable=False))


class SpoiledBallot(SQLModel, table=True):
    """A ballot its voter audited (Benaloh challenge): opened, published, never counted."""

    __tablename__ = "vote_spoiled_ballot"
    __table_args__ = (UniqueConstraint("vote_id", "fingerprint"), {"sqlite_with_rowid": False})

    id: str = Field(primary_key=True, max_length=32)
    vote_id: int = Field(foreign_key="vote.id")
    fingerprint: str = Field(max_length=64)
    audit: str = Field(sa_column=Column(Text, nullable=False))


class VoteTrustee(SQLModel, table=True):
    """Trustee ``index`` (1..n) of an encrypted vote: who, their published commitments, their
    partial decryptions of the tally. Their secret share never reaches the server."""

    __tablename__ = "vote_trustee"

    vote_id: int = Field(foreign_key="vote.id", primary_key=True)
    index: int = Field(primary_key=True)
    name: str = Field(max_length=200)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    # X25519 public key the other trustees seal this trustee's shares to (hex)
    transport_key: str | None = Field(default=None, max_length=64)
    commitments: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # {recipient index: base64 sealed box of f_i(recipient)}: only the recipient can open it
    sealed_shares: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    partials: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class TrusteeComplaint(SQLModel, table=True):
    """Trustee ``complainant`` says the share trustee ``dealer`` sealed to it does not match the
    dealer's commitments (public). ``share``: f_dealer(complainant) as the dealer then revealed it
    (hex scalar; None while unanswered). A revealed share that does not match disqualifies the dealer,
    and so does silence: staff may complete the key without a dealer whose complaint has waited
    ``rules.COMPLAINT_ANSWER_TIME`` since ``filed_at``."""

    __tablename__ = "vote_trustee_complaint"

    vote_id: int = Field(foreign_key="vote.id", primary_key=True)
    dealer: int = Field(primary_key=True)
    complainant: int = Field(primary_key=True)
    share: str | None = Field(default=None, max_length=64)
    filed_at: datetime


_PARTICIPATION_COLUMNS = ("participation_id", "vote_id", "voter_key", "municipal_unit", "voted_on", "sealed_tracker")


def _cast_view_ddl(view: str, ballot_table: str, ballot_columns: tuple[str, ...], sealed_tracker: str) -> dict:
    """A view whose INSERT writes the participation and its ballot in one statement (SQLite:
    an INSTEAD OF trigger); ``sealed_tracker`` is what the participation keeps of it."""
    columns = (*_PARTICIPATION_COLUMNS, "ballot_id", *ballot_columns)
    return {
        "sqlite": [
            DDL(f"CREATE VIEW IF NOT EXISTS {view} ({', '.join(columns)}) "
                f"AS SELECT {', '.join(['NULL'] * len(columns))} WHERE 0"),
            DDL(f"CREATE TRIGGER IF NOT EXISTS {view}_insert INSTEAD OF INSERT ON {view} BEGIN "
                "INSERT INTO vote_participation (id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker) "
                "VALUES (NEW.participation_id, NEW.vote_id, NEW.voter_key, NEW.municipal_unit, NEW.voted_on, "
                f"{sealed_tracker}); "
                f"INSERT INTO {ballot_table} (id, vote_id, {', '.join(ballot_columns)}) "
                f"VALUES (NEW.ballot_id, NEW.vote_id, {', '.join('NEW.' + c for c in ballot_columns)}); END"),
        ],
    }


CAST_VIEW_DDL = _cast_view_ddl("vote_cast", "vote_ballot", ("tracker", "choice"), "NEW.sealed_tracker")
CAST_VIEW_DROP = {"sqlite": ["DROP VIEW IF EXISTS vote_cast"]}


def _with_table(table, ddl: dict, drops: dict) -> None:
    """Create a cast view (and its trigger) with ``table``, drop it before the table goes."""
    for dialect, statements in ddl.items():
        for statement in statements:
            event.listen(table, "after_create", statement.execute_if(dialect=dialect))
        for drop in drops[dialect]:
            event.listen(table, "before_drop", DDL(drop).execute_if(dialect=dialect))


_with_table(VoteParticipation.__table__, CAST_VIEW_DDL, CAST_VIEW_DROP)


# Encrypted votes: the same one-statement cast through a second view, writing the
# participation (no sealed tracker) and the encrypted ballot.
CAST_ENCRYPTED_VIEW_DDL = _cast_view_ddl("vote_cast_encrypted", "vote_encrypted_ballot", ("fingerprint", "ballot"), "NULL")
CAST_ENCRYPTED_VIEW_DROP = {"sqlite": ["DROP VIEW IF EXISTS vote_cast_encrypted"]}
_with_table(EncryptedBallot.__table__, CAST_ENCRYPTED_VIEW_DDL, CAST_ENCRYPTED_VIEW_DROP)


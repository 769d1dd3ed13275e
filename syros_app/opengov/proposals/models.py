"""Tables of residents' proposals: the proposal (with its answer and moderation), its
supports (one per verified person) and its photo (bytes in the database, so every
instance serves it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Proposal(SQLModel, table=True):
    __tablename__ = "proposal"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=140)
    body: str = Field(sa_column=Column(Text, nullable=False))
    area: str = Field(default="", max_length=40, index=True)  # "" = the whole island
    # None once the author deleted their account (the proposal stays when it was answered or due).
    author_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    created_at: datetime = Field(index=True)
    collect_until: datetime
    # The threshold is fixed when the proposal is made: ceil(share × residents of its area).
    share: str = Field(max_length=12)
    residents: int
    threshold: int
    support_count: int = 0
    reached_at: datetime | None = None
    answer_due_at: datetime | None = None
    answered_at: datetime | None = None
    answer: str = Field(default="", sa_column=Column(Text, nullable=False))
    answered_by: int | None = Field(default=None, foreign_key="person.id")
    # What the answer opened, as (kind, id): no foreign key into another capability.
    link_kind: str | None = Field(default=None, max_length=20)
    link_id: int | None = None
    hidden_at: datetime | None = None
    hidden_reason: str = Field(default="", max_length=500)
    hidden_by: int | None = Field(default=None, foreign_key="person.id")


class ProposalSupport(SQLModel, table=True):
    __tablename__ = "proposal_support"
    __table_args__ = (UniqueConstraint("proposal_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    # None once the supporter deleted their account (the support still counts).
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    created_at: datetime


class ProposalPhoto(SQLModel, table=True):
    """A cleaned photo (re-encoded JPEG, no metadata). Uploaded before the proposal is sent:
    until then ``proposal_id`` is None and only its uploader may attach it (by ``token``)."""

    __tablename__ = "proposal_photo"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=40, unique=True)
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", index=True, unique=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    width: int
    height: int
    created_at: datetime

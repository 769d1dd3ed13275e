"""Decisions of the municipality imported from Diavgeia, and staff links from a
decision to the projects, proposals and consultation reports it concerns."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Decision(SQLModel, table=True):
    __tablename__ = "decision"

    ada: str = Field(primary_key=True, max_length=40)  # Diavgeia's ΑΔΑ
    subject: str = Field(sa_column=Column(Text, nullable=False))
    # The subject folded (no accents, one case) for searching it the same way on every database.
    subject_folded: str = Field(sa_column=Column(Text, nullable=False))
    issue_date: date = Field(index=True)
    decision_type: str = Field(max_length=20, index=True)
    document_url: str = Field(max_length=400)
    imported_at: datetime


class DecisionLink(SQLModel, table=True):
    __tablename__ = "decision_link"
    __table_args__ = (UniqueConstraint("ada", "kind", "target"),)

    id: int | None = Field(default=None, primary_key=True)
    ada: str = Field(foreign_key="decision.ada", max_length=40, index=True)
    kind: str = Field(max_length=20)
    target: str = Field(max_length=40)
    title: str = Field(default="", max_length=300)
    created_at: datetime

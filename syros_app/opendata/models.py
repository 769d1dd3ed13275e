"""The nightly archives of all public data, kept in the database so that every app
machine serves the same file (no machine-local disk)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel


class OpenDataArchive(SQLModel, table=True):
    """One archive a day: a second export on the same day replaces the first."""

    __tablename__ = "open_data_archive"

    id: int | None = Field(default=None, primary_key=True)
    export_date: date = Field(unique=True, index=True)
    created_at: datetime
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))

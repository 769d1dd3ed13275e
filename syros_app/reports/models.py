"""Tables of service reports: reports, their public history, photos, "me too"
supports, per-category service-level targets and Open311 API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Report(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (
        Index("ix_report_cat_created", "category", "created_at"),
        Index("ix_report_status_created", "status", "created_at"),
        # Covers the figures query, so it reads a narrow index and never the wide rows.
        Index("ix_report_figures", "created_month", "category", "municipal_unit", "status", "ack_work_days",
              "resolve_work_days", "resolve_target_days", "rating_fixed", "rating_score", "resolve_due_at",
              "ack_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=20)
    description: str = Field(sa_column=Column(Text, nullable=False))
    lat: float | None = None
    lon: float | None = None
    address: str | None = Field(default=None, max_length=200)
    municipal_unit: str = Field(max_length=40, index=True)
    status: str = Field(max_length=20)
    # None for reports that came in through Open311 from another system.
    reporter_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    show_name: bool = False
    source: str = Field(default="web", max_length=20)
    department: str | None = Field(default=None, max_length=40)
    # The department officer working it (staff only: never in public pages or open data).
    assigned_to: int | None = Field(default=None, foreign_key="person.id", index=True)
    forwarded_to: str | None = Field(default=None, max_length=120)
    merged_into_id: int | None = Field(default=None, foreign_key="report.id", index=True)
    supporters: int = 0
    created_at: datetime = Field(index=True)
    created_month: str = Field(max_length=7)
    updated_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    ack_due_at: datetime
    resolve_due_at: datetime
    ack_target_days: int
    resolve_target_days: int
    # Precomputed working days (see rules), so the public figures need no calendar work.
    ack_work_days: float | None = None
    resolve_work_days: float | None = None
    rating_fixed: bool | None = None
    rating_score: int | None = None
    rating_comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    rated_at: datetime | None = None
    open311_token: str | None = Field(default=None, max_length=40, unique=True)


class ReportUpdate(SQLModel, table=True):
    """One public step in a report's life: a status change with its note."""

    __tablename__ = "report_update"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    created_at: datetime
    status_from: str | None = Field(default=None, max_length=20)
    status_to: str = Field(max_length=20)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    by_staff: bool = False
    person_id: int | None = Field(default=None, foreign_key="person.id")
    forwarded_to: str | None = Field(default=None, max_length=120)


class ReportPhoto(SQLModel, table=True):
    __tablename__ = "report_photo"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    filename: str = Field(max_length=64, unique=True)
    width: int
    height: int
    created_at: datetime


class ReportSupport(SQLModel, table=True):
    """A resident saying "me too" instead of filing a duplicate."""

    __tablename__ = "report_support"
    __table_args__ = (UniqueConstraint("report_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime


class ServiceTarget(SQLModel, table=True):
    __tablename__ = "report_service_target"

    category: str = Field(primary_key=True, max_length=20)
    ack_days: int
    resolve_days: int
    updated_at: datetime
    updated_by: int | None = Field(default=None, foreign_key="person.id")


class Open311Key(SQLModel, table=True):
    """An Open311 API key issued by staff; only its SHA-256 is kept."""

    __tablename__ = "report_open311_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=8)
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")
    revoked_at: datetime | None = None


class ReportInternalNote(SQLModel, table=True):
    """A note staff keep on a report for each other: never on a public page, in open
    data, Open311 or a resident's export (only the triage desk reads this table)."""

    __tablename__ = "report_internal_note"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="person.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime

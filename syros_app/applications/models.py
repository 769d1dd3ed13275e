"""Tables of e-applications: the service catalogue, forms as versioned data, drafts,
applications with their public timeline, staff notes, files, protocol counters and
pickup slots.

Files (uploads, receipts, signed answers) live in the database (``application_file``),
so every app machine sees them. JSON columns are plain text (``json.dumps``), the same
on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Service(SQLModel, table=True):
    """One entry of the catalogue. A national service (``govgr_url`` set) is only a link."""

    __tablename__ = "application_service"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    title_el: str = Field(max_length=160)
    title_en: str = Field(max_length=160)
    purpose_el: str = Field(default="", sa_column=Column(Text, nullable=False))
    purpose_en: str = Field(default="", sa_column=Column(Text, nullable=False))
    eligibility_el: str = Field(default="", sa_column=Column(Text, nullable=False))  # who may apply
    eligibility_en: str = Field(default="", sa_column=Column(Text, nullable=False))
    documents_el: str = Field(default="", sa_column=Column(Text, nullable=False))  # one per line
    documents_en: str = Field(default="", sa_column=Column(Text, nullable=False))
    fee_el: str = Field(default="", max_length=200)  # empty: free; paid outside the app for now
    fee_en: str = Field(default="", max_length=200)
    target_days: int = 10  # working days, the reports' calendar
    department: str = Field(max_length=40, index=True)  # a registered department value
    mitos_id: str | None = Field(default=None, max_length=40)  # ΜΙΤΟΣ registry id; None: local
    govgr_url: str | None = Field(default=None, max_length=300)  # national service: a link, no form
    paper_pages: int = 1  # pages one paper submission took ("paper saved")
    protocol_at_submission: bool = True  # incoming protocol number given at once
    uses_pickup_slots: bool = False  # the resident picks a day among PickupSlot rows of her area
    active: bool = True
    sort_order: int = 0
    created_at: datetime
    updated_at: datetime
    updated_by: int | None = Field(default=None, foreign_key="person.id")


class FormVersion(SQLModel, table=True):
    """The fields of a service's form, as data. Never changed once published: an edit
    makes the next version (unpublished until staff publish it) (``fields`` is a JSON list of field objects:
    key, type text|textarea|number|date|choice|address|attachment, required, label_el,
    label_en, help_el, help_en, choices [{value, label_el, label_en}], max_bytes, types)."""

    __tablename__ = "application_form_version"
    __table_args__ = (UniqueConstraint("service_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="application_service.id", index=True)
    version: int
    fields: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")
    # False while staff are still editing it (``catalogue_actions``): residents and the
    # counter only ever get the latest published version.
    published: bool = True


class Application(SQLModel, table=True):
    __tablename__ = "application"
    __table_args__ = (
        Index("ix_application_queue", "department", "status", "due_at"),
        Index("ix_application_person_submitted", "person_id", "submitted_at"),
        Index("ix_application_service_submitted", "service_id", "submitted_at"),
        UniqueConstraint("in_protocol_year", "in_protocol_number"),
        UniqueConstraint("out_protocol_year", "out_protocol_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=24, unique=True)  # e.g. ΑΙΤ-2026-000123
    # None once the applicant deleted her account (the municipality's record stays).
    person_id: int | None = Field(default=None, foreign_key="person.id")
    service_id: int = Field(foreign_key="application_service.id")
    form_version_id: int = Field(foreign_key="application_form_version.id")
    department: str = Field(max_length=40)  # the service's, at submission (desk scope)
    answers: str = Field(sa_column=Column(Text, nullable=False))  # JSON object: field key -> value
    status: str = Field(max_length=20)  # received|in_progress|info_requested|answered|closed
    channel: str = Field(default="online", max_length=10)  # online|counter
    filed_by: int | None = Field(default=None, foreign_key="person.id")  # staff at the counter
    started_at: datetime | None = None  # the draft's start (completion rate); None at the counter
    submitted_at: datetime
    updated_at: datetime
    in_protocol_year: int | None = None
    in_protocol_number: int | None = None
    in_protocol_at: datetime | None = None
    out_protocol_year: int | None = None
    out_protocol_number: int | None = None
    assigned_to: int | None = Field(default=None, foreign_key="person.id", index=True)
    target_days: int
    due_at: datetime  # moves later by the working days the clock was paused
    paused_days: float = 0.0  # working days spent waiting for the resident
    paused_since: datetime | None = None  # set while information is requested
    # The applicant answered a request for information and no desk step followed yet
    # (the queue marks it "resident answered"; the desk's next write clears it).
    resident_answered_at: datetime | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    decision_work_days: float | None = None  # working days to the answer, pauses excluded
    pickup_slot_id: int | None = Field(default=None, foreign_key="application_pickup_slot.id", index=True)
    rating_score: int | None = None  # 1..5, asked after the answer
    rating_comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    rated_at: datetime | None = None


class ApplicationDraft(SQLModel, table=True):
    """A form being filled, kept on the server so it resumes on any device after login."""

    __tablename__ = "application_draft"
    __table_args__ = (UniqueConstraint("person_id", "service_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    service_id: int = Field(foreign_key="application_service.id", index=True)
    form_version_id: int = Field(foreign_key="application_form_version.id")
    answers: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    started_at: datetime
    updated_at: datetime


class ApplicationEvent(SQLModel, table=True):
    """One public step of the timeline: received, protocolled, in_progress,
    info_requested, info_provided, answered, closed (message shown to the applicant)."""

    __tablename__ = "application_event"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    kind: str = Field(max_length=20)
    message: str = Field(default="", sa_column=Column(Text, nullable=False))
    by_staff: bool = False
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime


class ApplicationNote(SQLModel, table=True):
    """Staff-only note on an application: never shown to the applicant or exported to her."""

    __tablename__ = "application_internal_note"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="person.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime


class ApplicationFile(SQLModel, table=True):
    """A file kept in the database: an upload (of a draft, then of its application),
    the receipt, or the signed answer (found by application and kind: one receipt and at
    most one answer per application)."""

    __tablename__ = "application_file"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # upload|receipt|answer
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    draft_id: int | None = Field(default=None, foreign_key="application_draft.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)  # the uploader
    field_key: str | None = Field(default=None, max_length=40)  # the form field of an upload
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime


class ProtocolCounter(SQLModel, table=True):
    """A yearly, gap-free protocol sequence per direction (``in``, ``out``) and the
    reference numbers (``ref``): the row is locked while a number is taken, in the same
    transaction as the application, so a rolled-back submission leaves no gap."""

    __tablename__ = "application_protocol_counter"

    direction: str = Field(primary_key=True, max_length=3)
    year: int = Field(primary_key=True)
    last_number: int = 0


class PickupSlot(SQLModel, table=True):
    """A day a pickup crew serves an area, with the number of pickups it can take."""

    __tablename__ = "application_pickup_slot"
    __table_args__ = (
        UniqueConstraint("area", "day"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_application_pickup_slot_capacity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    area: str = Field(max_length=40)  # a municipal unit (reports' MUNICIPAL_UNITS)
    day: date
    capacity: int
    booked: int = 0

"""Tables of open meetings and events: the events and the residents' registrations
(a seat, or a place on the waitlist)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from syros_app.identity import models as _identity_models  # noqa: F401  (the "person" table our keys point to)


class Event(SQLModel, table=True):
    __tablename__ = "opengov_event"
    __table_args__ = (Index("ix_opengov_event_status_start", "status", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, description="council | workshop | open_day")
    title: str = Field(max_length=160)
    description: str = Field(sa_column=Column(Text, nullable=False))
    place: str = Field(max_length=200)
    lat: float | None = None
    lon: float | None = None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = Field(default=None, description="None: no limit")
    registration_open: bool = True
    status: str = Field(default="scheduled", max_length=12, description="scheduled | cancelled")
    minutes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    recording_url: str | None = Field(default=None, max_length=500)
    minutes_published_at: datetime | None = None
    # How many people were present (a headcount recorded with the minutes; walk-ins included).
    attendance: int | None = None
    created_at: datetime
    updated_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")


class EventRegistration(SQLModel, table=True):
    """One person's place at one event: a seat (``registered``), a place in the queue
    (``waitlisted``, ordered by ``queued_at`` then id) or ``cancelled`` (kept for the
    figures; registering again reuses the row at the back of the queue)."""

    __tablename__ = "opengov_event_registration"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        Index("ix_opengov_event_registration_queue", "event_id", "status", "queued_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="opengov_event.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    status: str = Field(max_length=12, description="registered | waitlisted | cancelled")
    queued_at: datetime
    registered_at: datetime | None = None
    promoted_at: datetime | None = None
    cancelled_at: datetime | None = None
    # The outbox message of this seat's reminder (its pending deliveries wait for their time).
    reminder_source: str | None = Field(default=None, max_length=120)
    # Marked by staff at the door: True attended, False did not come, None not marked yet.
    attended: bool | None = None
    attendance_marked_at: datetime | None = None

"""Tables of notices: the notice board, subscriptions, the outbox.

A published notice (or an automatic announcement from another capability)
becomes one ``OutboundMessage``; each recipient and channel gets one
``Delivery`` row written in the same transaction. The worker claims
deliveries with a lease (``claim_token`` + ``lease_until``), so several
workers never send the same row and a killed worker's rows come back when
its lease expires.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from syros_app.identity import models as _identity_models  # noqa: F401  (the "person" table our keys point to)


class Notice(SQLModel, table=True):
    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=160)
    body: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(max_length=40, index=True)
    area: str | None = Field(default=None, max_length=40, description="None = the whole island")
    urgent: bool = False
    link: str | None = Field(default=None, max_length=500)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    created_at: datetime
    published_at: datetime | None = Field(default=None, index=True)
    created_by: int | None = Field(default=None, foreign_key="person.id")
    # A mistaken notice is withdrawn, never deleted: the public correction stays beside it.
    withdrawn_at: datetime | None = None
    correction: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Subscription(SQLModel, table=True):
    """One channel address that receives notices of some categories and areas.

    ``channel`` is ``push`` (address = the push endpoint, with ``p256dh`` and
    ``auth``), ``email`` (address lower-cased) or ``sms`` (address in E.164).
    ``categories`` and ``areas`` are comma-separated keys; empty ``areas``
    means every area. E-mail and SMS deliver only once ``confirmed_at`` is set.
    """

    __tablename__ = "notice_subscription"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=10, index=True)
    address: str = Field(max_length=1000)
    p256dh: str | None = Field(default=None, max_length=200)
    auth: str | None = Field(default=None, max_length=100)
    categories: str = Field(default="", max_length=400)
    areas: str = Field(default="", max_length=200)
    lang: str = Field(default="el", max_length=5)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    created_at: datetime
    confirmed_at: datetime | None = None
    code_hash: str | None = Field(default=None, max_length=64)
    code_attempts: int = 0
    code_expires_at: datetime | None = None


class OutboundMessage(SQLModel, table=True):
    """What is announced: a notice, or an automatic message (one per event and person)."""

    __tablename__ = "notice_message"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=120, unique=True, description="e.g. notice:12, vote.opened:3")
    notice_id: int | None = Field(default=None, foreign_key="notice.id", index=True)
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    url: str = Field(max_length=500)
    urgent: bool = False
    created_at: datetime


class Delivery(SQLModel, table=True):
    """One message to one subscription on one channel: the outbox row."""

    __tablename__ = "notice_delivery"
    __table_args__ = (UniqueConstraint("message_id", "subscription_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int | None = Field(default=None, foreign_key="notice_message.id", index=True)
    subscription_id: int | None = Field(default=None, index=True, description="no FK: the row outlives a dead subscription")
    kind: str = Field(default="message", max_length=20, description="message | confirm_email | confirm_sms")
    channel: str = Field(max_length=10)
    address: str = Field(max_length=1000)
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    priority: int = Field(default=1, description="0 = urgent, sent first")
    status: str = Field(default="pending", max_length=10, index=True, description="pending | sent | failed")
    attempts: int = 0
    next_attempt_at: datetime = Field(index=True)
    claim_token: str | None = Field(default=None, max_length=40, index=True)
    lease_until: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime
    sent_at: datetime | None = None


class StaffAlertOff(SQLModel, table=True):
    """A kind of "work has arrived" alert a staff person turned off (no row: the alert is on).

    Kinds: ``staff_alerts.KINDS``. The alerts go to the person's own subscriptions (push,
    e-mail), so turning them all off, or having none, means no alert at all.
    """

    __tablename__ = "notice_staff_alert_off"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    kind: str = Field(max_length=20, primary_key=True)
    created_at: datetime

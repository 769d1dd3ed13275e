"""Numbers that must be unique and gap-free: the yearly incoming (``in``) and outgoing
(``out``) protocol sequences and the applications' reference numbers (``ref``), and the
capacity of pickup slots.

A number is taken by ``UPDATE … SET last_number = last_number + 1 … RETURNING`` in the
caller's transaction: on PostgreSQL the UPDATE holds the counter row's lock (what
``SELECT … FOR UPDATE`` would take, in one round trip) until the transaction ends; on
SQLite it takes the database's write lock. Either way a concurrent submission waits,
and a submission that rolls back gives its number back — no gaps, no duplicates.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from syros_app.core.errors import AgoraError

from .models import PickupSlot, ProtocolCounter

DIRECTIONS = ("in", "out", "ref")
_COUNTER = ProtocolCounter.__table__
_SLOT = PickupSlot.__table__


class SlotFull(AgoraError):
    """The chosen pickup day has no capacity left (or is no longer offered)."""

    def __init__(self) -> None:
        super().__init__("applications.errors.slot_full")


def next_number(session: Session, direction: str, year: int) -> int:
    """The next number of ``direction``'s sequence for ``year`` (the first is 1)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown protocol direction {direction!r}")
    bump = (update(_COUNTER).where(_COUNTER.c.direction == direction, _COUNTER.c.year == year)
            .values(last_number=_COUNTER.c.last_number + 1).returning(_COUNTER.c.last_number))
    number = session.execute(bump).scalar()
    if number is None:  # the year's first number: create the row (another may race us to it)
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(_COUNTER).values(direction=direction, year=year, last_number=0)
                        .on_conflict_do_nothing(index_elements=["direction", "year"]))
        number = session.execute(bump).scalar()
    return int(number)


def book_slot(session: Session, slot_id: int, *, area: str, not_before) -> None:
    """Take one place of a pickup slot of ``area`` on or after ``not_before`` (a date),
    or raise :class:`SlotFull`; a single conditional UPDATE, so capacity holds under
    concurrency on both databases."""
    taken = session.execute(
        update(_SLOT).where(_SLOT.c.id == slot_id, _SLOT.c.area == area, _SLOT.c.day >= not_before,
                            _SLOT.c.booked < _SLOT.c.capacity)
        .values(booked=_SLOT.c.booked + 1)).rowcount
    if taken != 1:
        raise SlotFull()


def release_slot(session: Session, slot_id: int) -> None:
    """Give a place back (an application withdrawn or closed before its pickup)."""
    session.execute(update(_SLOT).where(_SLOT.c.id == slot_id, _SLOT.c.booked > 0)
                    .values(booked=_SLOT.c.booked - 1))

"""Capabilities register what they add to the shared shell from one place.

A capability calls :func:`register_capability` at import time (from its
``__init__``) with its navigation entries and an "open now" provider for the
home page; the shell and the home page only show what is registered, so the
navigation never lists a capability that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session


@dataclass(frozen=True)
class NavEntry:
    route: str
    label_key: str
    icon: str
    staff_only: bool = False
    # For staff entries: how many items wait for staff (shown as a count beside
    # the label), e.g. flagged comments. Called with (session, actor).
    waiting_count: Callable[[Session, object], int] | None = None
    # (capability, matrix entry): the entry shows only to whom that role-matrix entry
    # allows (navigation shows each person only what they may use). None: everyone.
    permission: tuple[str, str] | None = None

    def shown_to(self, actor: object) -> bool:
        if self.permission is None:
            return not self.staff_only or bool(getattr(actor, "is_staff", False))
        from .actions import RoleMatrix  # the matrices register themselves at import

        capability, name = self.permission
        matrix = next((m for m in RoleMatrix.all() if m.capability == capability), None)
        return matrix is not None and matrix.allows(actor, name)


@dataclass(frozen=True)
class OpenItem:
    """Something residents can take part in now, for the home page."""

    kind_key: str  # catalogue key of the kind, e.g. "consultations.kind"
    title: str
    url: str
    closes_at: datetime | None = None
    pinned: bool = False  # shown before everything else (e.g. an urgent civil-protection notice)


OpenNowProvider = Callable[[Session, datetime], list[OpenItem]]


@dataclass(frozen=True)
class TodayItem:
    """Something that waits for this staff member today, one click from its action."""

    text_key: str  # catalogue key, formatted with ``count`` and ``title``
    url: str
    count: int = 0
    title: str = ""
    urgent: bool = False  # past a target, failing: shown first


# Called with (session, actor, now); returns only what the actor may act on.
TodayProvider = Callable[[Session, object, datetime], list[TodayItem]]


@dataclass
class Capability:
    name: str
    nav: list[NavEntry] = field(default_factory=list)
    open_now: OpenNowProvider | None = None
    # Departments of the municipality this capability routes work to, as
    # (value, catalogue key of its name); a department officer's grant names one.
    departments: tuple[tuple[str, str], ...] = ()
    today: TodayProvider | None = None
    # A section of the public /measurement page (a callable returning a Reflex component,
    # usually ``lazy("syros_app.<cap>.pages", "measurement_section")``): each capability
    # publishes its own figures there, with their definitions and a CSV.
    measurement_section: Callable[[], object] | None = None
    # Links back from another capability's page to this one's items that point at it, e.g. a
    # consultation page's "from proposal X": called with the page's kind ("consultation",
    # "vote"), returns a Reflex component that reads the item's id from the URL itself.
    backlinks: Callable[[str], object] | None = None


_CAPABILITIES: dict[str, Capability] = {}


def register_capability(capability: Capability) -> None:
    _CAPABILITIES[capability.name] = capability


def capabilities() -> list[Capability]:
    return list(_CAPABILITIES.values())


def nav_entries(*, staff: bool = False) -> list[NavEntry]:
    return [entry for cap in capabilities() for entry in cap.nav if staff or not entry.staff_only]


def departments() -> list[tuple[str, str]]:
    """Every registered department as (value, label key), in registration order."""
    return [d for cap in capabilities() for d in cap.departments]


def today(session: Session, actor: object, now: datetime) -> list[TodayItem]:
    """What waits for ``actor`` across capabilities: urgent first, then as registered."""
    items = [item for cap in capabilities() if cap.today is not None for item in cap.today(session, actor, now)]
    return sorted(items, key=lambda item: not item.urgent)


def open_now(session: Session, now: datetime) -> list[OpenItem]:
    items: list[OpenItem] = []
    for cap in capabilities():
        if cap.open_now is not None:
            items.extend(cap.open_now(session, now))
    return sorted(items, key=lambda item: (not item.pinned, item.closes_at is None,
                                           item.closes_at or datetime.max))


def measurement_sections() -> list:
    """Every capability's section of the /measurement page, in registration order."""
    return [cap.measurement_section() for cap in capabilities() if cap.measurement_section is not None]


def backlinks(kind: str) -> list:
    """Every capability's links back to a page of ``kind`` (the page adds them where it likes)."""
    return [cap.backlinks(kind) for cap in capabilities() if cap.backlinks is not None]


def lazy(module: str, name: str) -> Callable:
    """``module.name``, imported at the first call: a capability's ``__init__`` registers its
    providers without importing its queries (and the database layer) at start-up."""

    def call(*args, **kwargs):
        import importlib

        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__qualname__ = f"lazy({module}.{name})"
    return call

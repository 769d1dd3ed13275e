"""What events hold about a person: the GDPR export section and account deletion.

Export: every registration (event, its time, seat or waitlist or cancelled, when, and whether
the person was marked as attending at the door).
Deletion (``identity.person_deleted``): each place at an event not yet started is
cancelled — a freed seat goes to the first in line, in the same transaction, who is
told — and the person's rows for events not yet held are removed. Seats at events already held
stay as counts (they point at a person row with no identifying data left).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, select

from syros_app.core import events as core_events
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.identity.actions import register_export_section

from . import rules
from .actions import withdraw
from .models import Event, EventRegistration


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    rows = session.exec(select(EventRegistration, Event).join(Event, Event.id == EventRegistration.event_id)
                        .where(EventRegistration.person_id == person_id)
                        .order_by(Event.starts_at, EventRegistration.id)).all()
    return {"registrations": [{
        "event_id": e.id, "title": e.title, "kind": e.kind, "starts_at": _iso(e.starts_at), "place": e.place,
        "status": r.status, "queued_at": _iso(r.queued_at), "registered_at": _iso(r.registered_at),
        "promoted_at": _iso(r.promoted_at), "cancelled_at": _iso(r.cancelled_at), "attended": r.attended,
    } for r, e in rows]}


@core_events.on_person_deleted
def erase(session: Session, person_id: int) -> None:
    now = utcnow()
    upcoming = session.exec(select(EventRegistration.event_id).join(Event, Event.id == EventRegistration.event_id)
                            .where(EventRegistration.person_id == person_id, Event.ends_at > now)).all()
    for event_id in sorted(upcoming):
        withdraw(session, event_id, person_id, now)
    session.flush()
    if upcoming:
        session.execute(delete(EventRegistration).where(EventRegistration.person_id == person_id,
                                                        EventRegistration.event_id.in_(list(upcoming)),
                                                        EventRegistration.status == rules.WITHDRAWN))


register_export_section("events", export_section)

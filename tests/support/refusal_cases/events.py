"""Refusal cases of events: the organisers' desk (create, edit, cancel, publish minutes),
on the demo events."""

from __future__ import annotations

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.opengov.events.models import Event
from tests.support.refusal import StaffCase, ViewCase

DESK = "syros_app.opengov.events.state.StaffEventsState"

# As the browser sends the form (datetime-local fields in island time, the checkbox "on").
FORM = {"event_id": "0", "kind": "workshop", "title": "Εργαστήριο ανακύκλωσης", "place": "Νεώριο",
        "description": "Πρακτικό εργαστήριο για την ανακύκλωση στη γειτονιά.", "starts_at": "2031-03-10T18:00",
        "ends_at": "2031-03-10T20:00", "capacity": "25", "registration_open": "on", "lat": "", "lon": ""}


def _upcoming(session: Session) -> int:
    found = session.exec(select(Event.id).where(Event.status == "scheduled", Event.starts_at > utcnow())
                         .order_by(Event.id)).first()
    assert found is not None, "the demo data has no upcoming event"
    return found


def _past(session: Session) -> int:
    found = session.exec(select(Event.id).where(Event.starts_at < utcnow()).order_by(Event.id)).first()
    assert found is not None, "the demo data has no past event"
    return found


CHECKIN = "syros_app.opengov.events.state.EventCheckinState"


def _seat_at_past(session: Session) -> list:
    """A seat at the demo's past meeting, and a mark for it (the opposite of the demo's)."""
    from syros_app.opengov.events.models import EventRegistration

    reg = session.exec(select(EventRegistration).where(EventRegistration.event_id == _past(session),
                                                       EventRegistration.status == "registered")
                       .order_by(EventRegistration.id)).first()
    assert reg is not None, "the demo's past meeting has no seat"
    return [reg.id, not reg.attended]


CASES = [
    StaffCase(CHECKIN, "mark", _seat_at_past, ("opengov_event_registration",), persona="moderator"),
    StaffCase(DESK, "save", lambda s: [dict(FORM)], ("opengov_event",), persona="moderator"),
    StaffCase(DESK, "save", lambda s: [{**FORM, "event_id": str(_upcoming(s)), "capacity": "80"}],
              ("opengov_event",)),
    StaffCase(DESK, "confirm", lambda s: [{"step": "cancel", "target": str(_upcoming(s)), "payload": ""}],
              ("opengov_event",)),
    StaffCase(DESK, "publish", lambda s: [{"event_id": str(_past(s)), "minutes": "Εγκρίθηκαν όλα τα θέματα.",
                                           "recording_url": "https://video.example/syros", "attendance": "30"}],
              ("opengov_event",)),
]

READ_ONLY = {DESK: {"load", "edit", "new", "ask_cancel"}, CHECKIN: {"load"}}

VIEW_CHECKIN = "syros_app.opengov.events.state.EventCheckinState"


def _seat_at_past(session: Session) -> list:
    """A seat at the demo's past meeting, and a mark for it (the opposite of the demo's)."""
    from syros_app.opengov.events.models import EventRegistration

    reg = session.exec(select(EventRegistration).where(EventRegistration.event_id == _past(session),
                                                       EventRegistration.status == "registered")
                       .order_by(EventRegistration.id)).first()
    assert reg is not None, "the demo's past meeting has no seat"
    return [reg.id, not reg.attended]


VIEW_CASES = [ViewCase(DESK)]

"""Events and the GDPR: the export lists the person's registrations; deleting the account
cancels their places at events not yet held and promotes the waitlist (who is told)."""

from sqlmodel import select

from syros_app.core import events as core_events
from syros_app.identity import actions as identity
from syros_app.identity.actions import EXPORT_SECTIONS
from syros_app.notices.models import OutboundMessage
from syros_app.opengov.events import actions, gdpr, queries
from tests.support import personas

from .helpers import make_event, residents


def test_export_and_deletion_promote_the_waitlist(session):
    assert EXPORT_SECTIONS["events"] is gdpr.export_section
    assert gdpr.erase.subscriber in core_events.subscribers("identity.person_deleted")
    staff = personas.moderator(session)
    full = make_event(session, staff, capacity=1)
    other = make_event(session, staff, capacity=5, title="Ημέρα ανοιχτών θυρών στο Δημαρχείο", kind="open_day")
    leaving, waiting = residents(session, 2)
    actions.register(session, actor=leaving, event_id=full.id)
    actions.register(session, actor=leaving, event_id=other.id)
    actions.register(session, actor=waiting, event_id=full.id)
    session.commit()

    export = identity.export_my_data(session, actor=leaving)["events"]["registrations"]
    assert sorted((r["title"], r["status"]) for r in export) == sorted(
        [(full.title, "registered"), (other.title, "registered")])

    identity.delete_account(session, actor=leaving, now=None)
    session.commit()
    assert queries.registration(session, full.id, leaving.person_id) is None
    assert queries.registration(session, other.id, leaving.person_id) is None
    promoted = queries.registration(session, full.id, waiting.person_id)
    assert promoted.status == "registered" and promoted.promoted_at is not None
    assert session.exec(select(OutboundMessage).where(OutboundMessage.source.like("event.promoted:%"))).all()

"""The desk hears when the applicant answers a request for information (on SQLite and
PostgreSQL): the assigned officer, else the department's officers, through the notices
outbox on their own subscriptions; the queue marks the application until the desk acts."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from syros_app.applications import actions, desk_actions, desk_queries, desk_views
from syros_app.notices.models import Delivery, OutboundMessage, Subscription
from tests.support import personas

from .conftest import NOW, bulky_answers

BULKY = "bulky-waste-pickup"


def _subscribe(session, actor, address, channel="push", confirmed=True):
    sub = Subscription(person_id=actor.person_id, channel=channel, address=address, categories="", areas="",
                       created_at=NOW, confirmed_at=NOW if confirmed else None)
    session.add(sub)
    session.commit()
    return sub


def _asked(session, people, *, assigned=None):
    application = actions.submit_application(session, actor=people["eleni"], service_slug=BULKY,
                                             answers=bulky_answers(session), now=NOW)
    if assigned is not None:
        desk_actions.assign_application(session, actor=people["admin"], application_id=application.id,
                                        officer_id=assigned.person_id, now=NOW)
    desk_actions.request_information(session, actor=people["admin"], application_id=application.id,
                                     message="Ποιος όροφος;", now=NOW + timedelta(hours=1))
    session.commit()
    return application


def _desk_messages(session):
    """The "applicant answered" messages (an application's arrival is a staff alert of its own)."""
    from syros_app.applications.notify import DESK_EVENT

    return session.exec(select(OutboundMessage).where(OutboundMessage.url == "/staff/applications",
                                                      OutboundMessage.source.startswith(DESK_EVENT))).all()


def _addresses(session, message):
    return sorted(d.address for d in session.exec(select(Delivery).where(Delivery.message_id == message.id)))


def _queue_row(session, application_id, actor):
    rows, _more = desk_queries.queue(session, department=None, filters=desk_queries.QueueFilters(status="all"),
                                     person_id=actor.person_id, now=NOW)
    return next(r for r in rows if r.id == application_id)


def test_unassigned_the_departments_officers_are_told_and_the_queue_marks_it(session, catalogue, people):
    cleaning, lighting = people["cleaning"], people["lighting"]
    _subscribe(session, cleaning, "https://push.example/cleaning")
    _subscribe(session, cleaning, "officer@example.org", channel="email")
    _subscribe(session, cleaning, "unconfirmed@example.org", channel="email", confirmed=False)
    _subscribe(session, lighting, "https://push.example/lighting")
    application = _asked(session, people)
    assert not _queue_row(session, application.id, cleaning).resident_answered
    assert _desk_messages(session) == []
    actions.provide_information(session, actor=people["eleni"], application_id=application.id,
                                message="Δεύτερος όροφος.", now=NOW + timedelta(hours=2))
    session.commit()
    [message] = _desk_messages(session)
    assert application.reference in message.title and "Δεύτερος" not in message.body  # her words stay in the app
    assert _addresses(session, message) == ["https://push.example/cleaning", "officer@example.org"]
    row = _queue_row(session, application.id, cleaning)
    assert row.resident_answered
    item = desk_views.queue_item(row, NOW, "el")
    assert item.resident_answered
    detail = desk_views.detail(session, application.id, cleaning, NOW, "en")
    assert detail.resident_answered
    # the desk's next step clears the mark
    desk_actions.add_internal_note(session, actor=cleaning, application_id=application.id, body="Το είδα.",
                                   now=NOW + timedelta(hours=3))
    session.commit()
    assert not _queue_row(session, application.id, cleaning).resident_answered


def test_assigned_only_her_officer_is_told(session, catalogue, people):
    other = personas.officer(session, "cleaning", key="officer_cleaning_two")
    _subscribe(session, people["cleaning"], "https://push.example/cleaning")
    _subscribe(session, other, "https://push.example/two")
    application = _asked(session, people, assigned=other)
    actions.provide_information(session, actor=people["eleni"], application_id=application.id,
                                message="Δεύτερος όροφος.", now=NOW + timedelta(hours=2))
    session.commit()
    [message] = _desk_messages(session)
    assert _addresses(session, message) == ["https://push.example/two"]


def test_a_refused_answer_tells_nobody(session, catalogue, people):
    _subscribe(session, people["cleaning"], "https://push.example/cleaning")
    application = _asked(session, people)
    try:
        actions.provide_information(session, actor=people["nikos"], application_id=application.id,
                                    message="Δεν είναι δική μου.", now=NOW + timedelta(hours=2))
    except Exception:  # noqa: BLE001 - refused: not her application
        session.rollback()
    assert _desk_messages(session) == []
    assert not _queue_row(session, application.id, people["cleaning"]).resident_answered

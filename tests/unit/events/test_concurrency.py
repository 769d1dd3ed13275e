"""Seats under concurrency, on SQLite and PostgreSQL: many residents register at once
(and seat-holders cancel at once) from threads with their own sessions; the capacity is
never exceeded, everyone gets exactly one place, and the queue has no gaps or repeats."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sqlmodel import Session, select

from syros_app.core.db import session_scope
from syros_app.opengov.events import actions, queries
from syros_app.opengov.events.models import EventRegistration
from tests.support import personas

from .helpers import make_event, residents

CAPACITY, PEOPLE = 3, 10


def _all_at_once(engine, people, work):
    barrier = Barrier(len(people))

    def run(actor):
        barrier.wait()
        with session_scope(engine) as session:
            return work(session, actor)

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return list(pool.map(run, people))


def _places(engine, event_id):
    with Session(engine) as session:
        return session.exec(select(EventRegistration).where(EventRegistration.event_id == event_id)).all()


def test_concurrent_registrations_never_exceed_capacity(engine, session):
    event = make_event(session, personas.moderator(session), capacity=CAPACITY)
    people = residents(session, PEOPLE)
    statuses = _all_at_once(engine, people,
                            lambda s, actor: actions.register(s, actor=actor, event_id=event.id).status)
    assert sorted(statuses).count("registered") == CAPACITY
    rows = _places(engine, event.id)
    assert len(rows) == PEOPLE
    assert sum(r.status == "registered" for r in rows) == CAPACITY
    with Session(engine) as s:
        positions = sorted(queries.waitlist_position(s, r) for r in rows if r.status == "waitlisted")
    assert positions == list(range(1, PEOPLE - CAPACITY + 1))


def test_concurrent_cancellations_promote_each_next_person_once(engine, session):
    event = make_event(session, personas.moderator(session), capacity=CAPACITY)
    people = residents(session, PEOPLE)
    for actor in people:  # in order: the first three seated, the rest queued
        actions.register(session, actor=actor, event_id=event.id)
        session.commit()
    _all_at_once(engine, people[:CAPACITY],
                 lambda s, actor: actions.cancel_registration(s, actor=actor, event_id=event.id).status)
    rows = {r.person_id: r.status for r in _places(engine, event.id)}
    assert [rows[p.person_id] for p in people] == (
        ["cancelled"] * CAPACITY + ["registered"] * CAPACITY + ["waitlisted"] * (PEOPLE - 2 * CAPACITY))

"""Under concurrency, on SQLite and PostgreSQL: 50 simultaneous submissions get 50
distinct, consecutive protocol and reference numbers; a pickup slot is never overbooked."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sqlmodel import select

from syros_app.applications import actions, protocol
from syros_app.applications.models import Application, PickupSlot
from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError

from .conftest import NOW, bulky_answers

THREADS = 50


def _race(engine, work):
    barrier = Barrier(THREADS)

    def one(i):
        barrier.wait()
        try:
            with session_scope(engine) as session:
                return work(session, i)
        except AgoraError as exc:
            return exc.key

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(THREADS)))


def test_fifty_submissions_get_fifty_consecutive_protocol_numbers(engine, session, catalogue, people):
    eleni = people["eleni"]
    answers = {"full_name": "Ε", "father_name": "Γ", "phone": "1", "deceased": "Χ", "cemetery": "posidonia"}
    service = "water-meter-change"
    answers = {**answers, "address": "Οδός 1", "meter_number": "A1", "reason": "broken"}

    def submit(s, i):
        return actions.submit_application(s, actor=eleni, service_slug=service, answers=answers, now=NOW).id

    results = _race(engine, submit)
    assert all(isinstance(r, int) for r in results), results
    apps = session.exec(select(Application)).all()
    assert sorted(a.in_protocol_number for a in apps) == list(range(1, THREADS + 1))
    assert sorted(int(a.reference[-6:]) for a in apps) == list(range(1, THREADS + 1))
    assert len({a.reference for a in apps}) == THREADS


def test_counter_gives_numbers_back_on_rollback(engine, session):
    with session_scope(engine) as s:
        assert protocol.next_number(s, "out", 2027) == 1
    try:
        with session_scope(engine) as s:
            assert protocol.next_number(s, "out", 2027) == 2
            raise RuntimeError("the answer failed")
    except RuntimeError:
        pass
    with session_scope(engine) as s:
        assert protocol.next_number(s, "out", 2027) == 2  # no gap
        assert protocol.next_number(s, "out", 2028) == 1  # a new year starts again


def test_slot_capacity_is_never_exceeded(engine, session, catalogue, people):
    eleni = people["eleni"]
    answers = bulky_answers(session)
    slot = session.get(PickupSlot, answers["pickup_slot"])
    slot.capacity = 20
    session.add(slot)
    session.commit()

    def submit(s, i):
        return actions.submit_application(s, actor=eleni, service_slug="bulky-waste-pickup", answers=answers,
                                          now=NOW).id

    results = _race(engine, submit)
    assert sum(isinstance(r, int) for r in results) == 20
    assert results.count("applications.errors.slot_full") == THREADS - 20
    session.expire_all()
    assert session.get(PickupSlot, slot.id).booked == 20
    apps = session.exec(select(Application)).all()
    assert sorted(a.in_protocol_number for a in apps) == list(range(1, 21))  # refusals left no gaps

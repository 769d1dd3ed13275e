"""The staff hub's "Today": what waits for each role, and nothing for anyone else."""

from __future__ import annotations

from datetime import timedelta

from syros_app.consultations import actions as consultation_actions
from syros_app.core import registry
from syros_app.core.timefmt import utcnow
from syros_app.reports import actions as report_actions
from syros_app.reports.models import Report
from tests.support import personas

SQUARE = (37.4448, 24.9427)


def _world(session):
    now = utcnow()
    admin = personas.administrator(session)
    c = consultation_actions.create_consultation(
        session, actor=admin, title="Κανονισμός λιμένα", summary="", category="other",
        opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=1), sections=[("Άρθρο", "Κείμενο")],
        moderation_mode="pre", now=now - timedelta(days=6))
    consultation_actions.open_consultation(session, actor=admin, consultation_id=c.id, now=now - timedelta(days=5))
    eleni = personas.resident(session, "eleni")
    consultation_actions.post_comment(session, actor=eleni, consultation_id=c.id, body="Σχόλιο σε αναμονή")
    late = report_actions.create_report(session, actor=eleni, category="lighting", lat=SQUARE[0], lon=SQUARE[1],
                                        description="Σβηστή λάμπα εδώ και μήνες", now=now - timedelta(days=40))
    late.department = "lighting"
    other = report_actions.create_report(session, actor=eleni, category="cleanliness", lat=SQUARE[0],
                                         lon=SQUARE[1], description="Σκουπίδια στην παραλία",
                                         now=now - timedelta(days=40))
    other.department = "cleaning"
    session.add_all([late, other])
    session.commit()
    return admin, c, late, now


def _texts(session, actor, now):
    return [(i.text_key, i.count, i.url) for i in registry.today(session, actor, now)]


def test_each_role_sees_what_waits_for_it(session):
    admin, c, late, now = _world(session)
    moderator, officer = personas.moderator(session), personas.officer(session, "lighting")
    session.commit()
    got = _texts(session, admin, now)
    assert got[0] == ("reports.today.late", 2, "/staff/reports")  # urgent first
    assert ("consultations.today.waiting", 1, "/staff/moderation") in got
    assert ("consultations.today.closing", 0, f"/staff/consultations/{c.id}") in got
    mod = _texts(session, moderator, now)
    assert ("consultations.today.waiting", 1, "/staff/moderation") in mod
    assert not any(key == "consultations.today.closing" for key, _n, _u in mod)  # administrators' work
    off = _texts(session, officer, now)
    assert off == [("reports.today.late", 1, "/staff/reports")]  # her department only
    report_actions.assign_officer(session, actor=admin, report_id=late.id, officer_id=officer.person_id)
    session.commit()
    assert ("reports.today.mine", 1, "/staff/reports") in _texts(session, officer, now)


def test_residents_and_visitors_get_nothing(session):
    _admin, _c, _late, now = _world(session)
    assert registry.today(session, None, now) == []
    assert registry.today(session, personas.resident(session, "nikos"), now) == []
    assert session.get(Report, _late.id) is not None

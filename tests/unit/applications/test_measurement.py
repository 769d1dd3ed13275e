"""The applications' figures, each recomputed here from the raw rows."""

from __future__ import annotations

import statistics
from datetime import timedelta

from sqlmodel import select

from syros_app.applications import measurement
from syros_app.applications.models import Application, ApplicationDraft, FormVersion
from tests.unit.applications.test_desk_actions import MONDAY, make_application, make_service
from tests.support import personas

NOW = MONDAY + timedelta(days=30)


def _fill(session):
    bulky = make_service(session, paper_pages=2)
    tables = make_service(session, department="finance", slug="tables", title="Τραπεζοκαθίσματα", target_days=10,
                          paper_pages=5)
    person = personas.resident(session, "stella").person_id
    long_ago = MONDAY - timedelta(days=1200)  # outside every window (36 months at most)
    rows = [
        # service, channel, started, decision days, rating, answered
        (bulky, "online", True, 3.0, 5), (bulky, "online", True, 6.5, 2), (bulky, "online", True, None, None),
        (bulky, "counter", False, 4.0, 4), (tables, "online", True, 12.0, None), (tables, "counter", False, None, None),
    ]
    for service, channel, started, days, rating in rows:
        make_application(session, service, person, channel=channel,
                         started=None if not started else MONDAY - timedelta(minutes=5),
                         decision_work_days=days, answered_at=MONDAY + timedelta(days=5) if days is not None else None,
                         status="answered" if days is not None else "received",
                         rating_score=rating, rated_at=MONDAY + timedelta(days=6) if rating else None)
    # a stale row the window leaves out, and an abandoned draft (started, never submitted)
    make_application(session, bulky, person, submitted=long_ago, decision_work_days=1.0,
                     answered_at=long_ago, status="answered", rating_score=1, rated_at=long_ago)
    form = session.exec(select(FormVersion).where(FormVersion.service_id == bulky.id)).first()
    other = personas.resident(session, "nikos").person_id
    session.add(ApplicationDraft(person_id=other, service_id=bulky.id, form_version_id=form.id, started_at=MONDAY,
                                 updated_at=MONDAY))
    session.commit()
    return bulky, tables


def test_each_figure_recomputed_from_the_rows(session):
    bulky, tables = _fill(session)
    per_service, total = measurement.figures(session, months=12, now=NOW)
    by = {f.service: f for f in per_service}
    apps = [a for a in session.exec(select(Application)).all() if a.submitted_at.year >= 2026]  # the window's
    for service, f in ((bulky, by["bulky"]), (tables, by["tables"])):
        mine = [a for a in apps if a.service_id == service.id]
        online = [a for a in mine if a.channel == "online"]
        assert (f.online, f.counter) == (len(online), len(mine) - len(online))
        drafts = session.exec(select(ApplicationDraft).where(ApplicationDraft.service_id == service.id)).all()
        assert (f.started, f.completed) == (len(online) + len(drafts), len(online))
        days = [a.decision_work_days for a in mine if a.decision_work_days is not None]
        assert f.median_decision_days == (statistics.median(days) if days else None)
        assert f.within_target == sum(1 for d in days if d <= service.target_days)
        scores = [a.rating_score for a in mine if a.rating_score]
        assert f.ratings == len(scores) and f.mean_rating == (round(statistics.fmean(scores), 2) if scores else None)
        assert f.paper_saved == len(online) * service.paper_pages
    assert (by["bulky"].online, by["bulky"].counter, by["bulky"].started) == (3, 1, 4)
    assert by["bulky"].completion_rate == 0.75 and by["bulky"].median_decision_days == 4.0
    assert by["bulky"].within_target == 2 and by["bulky"].satisfied == 2 and by["bulky"].mean_rating == 3.67
    assert by["tables"].share_within_target == 0.0
    assert total.submitted == 6 and total.paper_saved == 3 * 2 + 1 * 5
    assert total.median_decision_days == statistics.median([3.0, 6.5, 4.0, 12.0])
    assert total.online_share == 4 / 6


def test_the_api_part_prints_the_formula(session):
    _fill(session)
    data = measurement.service_levels(session, months=36)
    assert data["paper_saved_formula"] == measurement.PAPER_FORMULA
    assert data["total"]["submitted"] == 6 and {s["service"] for s in data["services"]} == {"bulky", "tables"}
    assert data["total"]["completion_rate"] == round(4 / 5, 4)


def test_the_page_lines_are_formatted_in_each_language(session, monkeypatch):
    from syros_app.applications import desk_views

    _fill(session)
    original = measurement.figures
    monkeypatch.setattr(measurement, "figures", lambda s, months: original(s, months=months, now=NOW))
    el = desk_views.figure_lines(session, 12, "el")
    bulky = el["figures"][0]
    assert bulky.submitted == "4 (3 ηλεκτρονικά · 1 στο γκισέ)" and bulky.completion == "75,0\u00a0% (3 από 4)"
    assert bulky.decision.startswith("4,0 εργάσιμες, στόχος 5") and bulky.paper == "6 σελίδες"
    assert el["figures"][-1].service == "Σύνολο" and el["paper_total"] == "11"
    assert desk_views.figure_lines(session, 12, "en")["figures"][0].satisfaction == "3.7/5 (3 ratings)"


def test_service_levels_json_carries_the_applications_part(engine, session):
    from starlette.testclient import TestClient

    from syros_app.api.app import create_api

    _fill(session)
    body = TestClient(create_api()).get("/api/v1/service-levels?months=36").json()
    part = body["applications"]
    assert part["paper_saved_formula"] == measurement.PAPER_FORMULA
    assert part["total"]["submitted"] == 6 and part["total"]["paper_saved"] == 11
    assert "rows" in body  # the reports' figures stay as they were

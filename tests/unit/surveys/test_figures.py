"""The surveys' figures on /measurement, recomputed from the raw open data (JSON and CSV)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime, timedelta, timezone

from sqlmodel import Session
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core import formatting
from syros_app.opengov.surveys import actions, views
from tests.support import personas

from .helpers import build_survey, residents, sheet


def _quarter(iso: str) -> str:
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(iso).astimezone(ZoneInfo("Europe/Athens"))
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def test_figures_are_recomputed_from_the_open_data(engine):
    spring = datetime(2026, 3, 31, 22, 30, tzinfo=timezone.utc)  # already April in Athens: Q2
    winter = datetime(2026, 2, 10, 9, 0, tzinfo=timezone.utc)
    with Session(engine, expire_on_commit=False) as session:
        admin = personas.administrator(session)
        voters = residents(session, 5)
        plan = [(winter, 2), (winter + timedelta(days=3), 0), (spring, 3)]
        for opened, answers in plan:
            survey_id, ids = build_survey(session, admin, now=opened)
            for voter in voters[:answers]:
                actions.answer_survey(session, actor=voter, now=opened + timedelta(hours=1), survey_id=survey_id,
                                      answers=sheet(ids))
            session.commit()
        build_survey(session, admin, open_it=False)  # a draft never counts
        shown = views.quarter_rows(session)

    client = TestClient(create_api())
    surveys = client.get("/api/v1/surveys").json()["surveys"]
    run, answers = Counter(), Counter()
    for s in surveys:
        assert s["quarter"] == _quarter(s["opened_at"])
        run[s["quarter"]] += 1
        answers[s["quarter"]] += s["responses"]
    assert dict(run) == {"2026-Q1": 2, "2026-Q2": 1} and dict(answers) == {"2026-Q1": 2, "2026-Q2": 3}

    published = list(csv.DictReader(io.StringIO(client.get("/api/v1/surveys/figures.csv").text.lstrip("\ufeff"))))
    assert [(r["quarter"], int(r["surveys_run"]), int(r["answers"])) for r in published] == \
        [(q, run[q], answers[q]) for q in sorted(run)]
    per_survey = list(csv.DictReader(io.StringIO(client.get("/api/v1/surveys.csv").text.lstrip("\ufeff"))))
    assert sorted(int(r["answers"]) for r in per_survey) == sorted(s["responses"] for s in surveys)

    # what /measurement shows is the same figures, formatted
    assert [(r.quarter, r.surveys.el, r.answers.el, r.per_survey.en) for r in shown] == [
        (q, formatting.number(run[q], "el"), formatting.number(answers[q], "el"),
         formatting.number(answers[q] / run[q], "en", digits=1)) for q in sorted(run)]

"""Open dataset of surveys (the rows of ``GET /api/v1/surveys``; answers are per survey)."""

from __future__ import annotations

from syros_app.core.datasets import dataset_from_answers

from . import queries
from .api import _summary
from .schemas import SurveySummary

FIELDS = ("id", "title", "status", "mode", "quarter", "opened_at", "closes_at", "published_at", "responses",
          "answers_csv_url")


def _rows(session, now):
    counts = queries.response_counts(session)
    return [_summary(s, counts.get(s.id, 0), now) for s in queries.run_surveys(session)]


DATASETS = [dataset_from_answers("surveys", SurveySummary, FIELDS, _rows)]

"""Open dataset of events (the rows of ``GET /api/v1/events``: counts only, no person)."""

from __future__ import annotations

from syros_app.core.datasets import dataset_from_answers

from . import queries
from .api import OPEN_DATA_FIELDS
from .schemas import EventRow

DATASETS = [dataset_from_answers("events", EventRow, OPEN_DATA_FIELDS, queries.open_data)]

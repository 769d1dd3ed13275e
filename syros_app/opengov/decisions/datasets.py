"""Open dataset of the municipality's decisions imported from Diavgeia."""

from __future__ import annotations

from syros_app.core.datasets import dataset_from_answers

from . import queries
from .api import FIELDS
from .schemas import DecisionAnswer

DATASETS = [dataset_from_answers("decisions", DecisionAnswer, FIELDS, lambda session, now: queries.open_data(session))]

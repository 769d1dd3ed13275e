"""Open dataset of residents' proposals (the rows of ``GET /api/v1/proposals``)."""

from __future__ import annotations

from syros_app.core.datasets import dataset_from_answers

from . import queries
from .schemas import ProposalRow

DATASETS = [dataset_from_answers("proposals", ProposalRow, queries.OPEN_FIELDS,
                                 lambda session, now: queries.open_data(session, now=now))]

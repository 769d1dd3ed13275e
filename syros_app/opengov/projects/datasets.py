"""Open datasets of the accountability tracker: projects and their milestones."""

from __future__ import annotations

from syros_app.core.datasets import dataset_from_answers

from . import queries
from .api import MILESTONE_FIELDS, PROJECT_FIELDS
from .schemas import MilestoneRowAnswer, ProjectAnswer

DATASETS = [
    dataset_from_answers("projects", ProjectAnswer, PROJECT_FIELDS, queries.open_data),
    dataset_from_answers("project_milestones", MilestoneRowAnswer, MILESTONE_FIELDS,
                         lambda session, now: queries.milestone_rows(session)),
]

"""Public routes of the tracker (its open data), for OpenAPI."""

from __future__ import annotations

from syros_app.api.operation import CSV, Answer, Operation, Param

FORMAT = Param("format", enum=("json", "csv"), description="csv: the same rows as a spreadsheet (no nested lists)")


class MilestoneAnswer(Answer):
    id: int
    title: str
    due_on: str
    done_on: str | None


class LinkAnswer(Answer):
    kind: str
    target: str
    title: str
    url: str


class ProjectAnswer(Answer):
    id: int
    parent_id: int | None
    title: str
    summary: str
    department: str
    status: str
    own_progress: int
    weight: int
    progress: float  # a leaf's own; a parent's the weighted mean of its children's
    budget: float | None
    spent: float | None
    starts_on: str | None
    ends_on: str | None
    last_update_at: str | None
    stale: bool  # no update for 90 days
    url: str
    milestones: list[MilestoneAnswer]
    links: list[LinkAnswer]


class ProjectsAnswer(Answer):
    projects: list[ProjectAnswer]


class MilestoneRowAnswer(MilestoneAnswer):
    project_id: int


class MilestonesAnswer(Answer):
    milestones: list[MilestoneRowAnswer]


OPERATIONS = [
    Operation("GET", "/api/v1/projects", "api.op.projects", "projects", ProjectsAnswer, also=(CSV,),
              params=(FORMAT,)),
    Operation("GET", "/api/v1/projects/milestones", "api.op.project_milestones", "projects", MilestonesAnswer,
              also=(CSV,), params=(FORMAT,)),
]

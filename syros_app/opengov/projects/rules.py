"""Pure rules of the tracker: the tree's weighted progress, the stale flag and the
"on time" figures. No database, no Reflex."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PLANNED, IN_PROGRESS, COMPLETED, ON_HOLD, CANCELLED = "planned", "in_progress", "completed", "on_hold", "cancelled"
STATUSES = (PLANNED, IN_PROGRESS, COMPLETED, ON_HOLD, CANCELLED)
CLOSED = (COMPLETED, CANCELLED)
STALE_DAYS = 90
MAX_WEIGHT = 100
MAX_TITLE, MAX_SUMMARY, MAX_UPDATE = 200, 4000, 4000


@dataclass(frozen=True)
class Node:
    """What the progress arithmetic needs of one project."""

    id: int
    parent_id: int | None
    progress: int
    weight: int


def weighted_mean(parts: Iterable[tuple[float, int]]) -> float | None:
    """The mean of ``(value, weight)`` pairs weighted by ``weight`` (None when no weight):
    60, 60 and 80 with equal weights → 66.67."""
    parts = [(float(v), int(w)) for v, w in parts if int(w) > 0]
    total = sum(w for _v, w in parts)
    return None if total == 0 else sum(v * w for v, w in parts) / total


def tree_progress(nodes: Iterable[Node]) -> dict[int, float]:
    """Every project's progress: a leaf's own, a parent's the weighted mean of its
    children's (recursively, with the weights shown beside them)."""
    nodes = list(nodes)
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    result: dict[int, float] = {}

    def value(node: Node, seen: frozenset[int]) -> float:
        if node.id in result:
            return result[node.id]
        kids = [k for k in children.get(node.id, []) if k.id not in seen]
        mean = weighted_mean((value(k, seen | {node.id}), k.weight) for k in kids) if kids else None
        result[node.id] = float(node.progress) if mean is None else mean
        return result[node.id]

    for node in nodes:
        value(node, frozenset())
    return result


def is_stale(last_update_at: datetime | None, created_at: datetime, now: datetime, status: str) -> bool:
    """No public update for 90 days (counted from creation when there was none yet);
    a completed or cancelled project is never stale."""
    if status in CLOSED:
        return False
    return now - (last_update_at or created_at) > timedelta(days=STALE_DAYS)


def milestone_on_time(due_on: date, done_on: date | None) -> bool:
    return done_on is not None and done_on <= due_on


def project_overdue(ends_on: date | None, status: str, today: date) -> bool:
    """Past its end date and not completed (a cancelled one is not counted late)."""
    return ends_on is not None and ends_on < today and status not in CLOSED


@dataclass(frozen=True)
class OnTime:
    milestones_due: int  # milestones whose due date has come
    milestones_on_time: int  # of those, done by their due date
    projects_ended: int  # projects (not cancelled) whose end date has passed
    projects_late: int  # of those, not completed

    @property
    def milestone_share(self) -> float | None:
        return self.milestones_on_time / self.milestones_due if self.milestones_due else None

    @property
    def late_share(self) -> float | None:
        return self.projects_late / self.projects_ended if self.projects_ended else None


def on_time(projects: Iterable[Mapping], milestones: Iterable[Mapping], today: date) -> OnTime:
    """The measurement figures from the open data's rows (``ends_on``/``status`` per
    project, ``due_on``/``done_on`` per milestone; ISO dates or dates)."""
    as_date = lambda v: v if isinstance(v, date) or v is None else date.fromisoformat(v)  # noqa: E731
    due = [m for m in milestones if as_date(m["due_on"]) <= today]
    ended = [p for p in projects if p["ends_on"] and as_date(p["ends_on"]) < today and p["status"] != CANCELLED]
    return OnTime(
        milestones_due=len(due),
        milestones_on_time=sum(milestone_on_time(as_date(m["due_on"]), as_date(m["done_on"])) for m in due),
        projects_ended=len(ended),
        projects_late=sum(project_overdue(as_date(p["ends_on"]), p["status"], today) for p in ended),
    )

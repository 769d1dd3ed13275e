"""Reads of the tracker: the tree with computed progress and stale flags, one
project's page, the open data rows and the on-time figures."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from syros_app.core.timefmt import as_utc

from . import rules
from .links import url_of
from .models import Project, ProjectFollow, ProjectLink, ProjectMilestone, ProjectUpdate


def all_projects(session: Session) -> list[Project]:
    return list(session.exec(select(Project).order_by(Project.parent_id, Project.id)))


def progress_of(projects: list[Project]) -> dict[int, float]:
    return rules.tree_progress(rules.Node(p.id, p.parent_id, p.progress, p.weight) for p in projects)


def stale(project: Project, now: datetime) -> bool:
    last = as_utc(project.last_update_at) if project.last_update_at else None
    return rules.is_stale(last, as_utc(project.created_at), now, project.status)


def milestones(session: Session, project_ids: list[int] | None = None) -> list[ProjectMilestone]:
    query = select(ProjectMilestone).order_by(ProjectMilestone.project_id, ProjectMilestone.due_on,
                                              ProjectMilestone.id)
    if project_ids is not None:
        query = query.where(ProjectMilestone.project_id.in_(project_ids))
    return list(session.exec(query))


def updates(session: Session, project_id: int) -> list[ProjectUpdate]:
    return list(session.exec(select(ProjectUpdate).where(ProjectUpdate.project_id == project_id)
                             .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())))


def links(session: Session, project_ids: list[int] | None = None) -> list[ProjectLink]:
    query = select(ProjectLink).order_by(ProjectLink.project_id, ProjectLink.kind, ProjectLink.id)
    if project_ids is not None:
        query = query.where(ProjectLink.project_id.in_(project_ids))
    return list(session.exec(query))


def projects_linking(session: Session, kind: str, target: str) -> list[Project]:
    """The projects that link this event, survey, … (the link back, shown on its page)."""
    return list(session.exec(select(Project).join(ProjectLink, ProjectLink.project_id == Project.id)
                             .where(ProjectLink.kind == kind, ProjectLink.target == target)
                             .order_by(Project.id)))


def follows(session: Session, project_id: int, person_id: int | None) -> bool:
    if not person_id:
        return False
    return session.get(ProjectFollow, (project_id, person_id)) is not None


def followed_ids(session: Session, person_id: int) -> list[int]:
    return list(session.exec(select(ProjectFollow.project_id).where(ProjectFollow.person_id == person_id)))


def link_title(session: Session, target: str) -> str | None:
    """A project's title for other capabilities' links (None: no such project)."""
    row = session.get(Project, int(target)) if target.isdigit() and len(target) < 18 else None
    return row.title if row is not None else None


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()


def open_data(session: Session, now: datetime) -> list[dict]:
    """Every project as open data: its fields, computed progress and stale flag, its
    milestones and links (the JSON of ``/api/v1/projects``)."""
    projects = all_projects(session)
    progress = progress_of(projects)
    stones: dict[int, list[ProjectMilestone]] = {}
    for m in milestones(session):
        stones.setdefault(m.project_id, []).append(m)
    linked: dict[int, list[ProjectLink]] = {}
    for link in links(session):
        linked.setdefault(link.project_id, []).append(link)
    return [{
        "id": p.id, "parent_id": p.parent_id, "title": p.title, "summary": p.summary, "department": p.department,
        "status": p.status, "own_progress": p.progress, "weight": p.weight,
        "progress": round(progress[p.id], 2), "budget": p.budget, "spent": p.spent,
        "starts_on": _iso(p.starts_on), "ends_on": _iso(p.ends_on), "last_update_at": _iso(p.last_update_at),
        "stale": stale(p, now), "url": f"/projects/{p.id}",
        "milestones": [{"id": m.id, "title": m.title, "due_on": _iso(m.due_on), "done_on": _iso(m.done_on)}
                       for m in stones.get(p.id, [])],
        "links": [{"kind": link.kind, "target": link.target, "title": link.title,
                   "url": url_of(link.kind, link.target)} for link in linked.get(p.id, [])],
    } for p in projects]


def milestone_rows(session: Session) -> list[dict]:
    return [{"id": m.id, "project_id": m.project_id, "title": m.title, "due_on": _iso(m.due_on),
             "done_on": _iso(m.done_on)} for m in milestones(session)]


def on_time(session: Session, today: date) -> rules.OnTime:
    projects = [{"ends_on": p.ends_on, "status": p.status} for p in all_projects(session)]
    stones = [{"due_on": m.due_on, "done_on": m.done_on} for m in milestones(session)]
    return rules.on_time(projects, stones, today)

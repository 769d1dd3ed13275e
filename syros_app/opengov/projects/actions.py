"""Writes of the tracker: projects, milestones, public updates, links, following.

Every write is an action (``core.actions.action``): the role matrix first, typed
input, the caller's ``session_scope`` commits. Staff writes leave an audit row; an
update reaches the project's followers through the notices outbox in the same
transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from sqlmodel import Session, delete, select

from syros_app.core.actions import action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.core.i18n import translate
from syros_app.core.registry import departments

from . import rules
from .links import add_owned_link, checked_target, drop_owned_link
from .models import Project, ProjectFollow, ProjectLink, ProjectMilestone, ProjectUpdate
from .permissions import MATRIX


def _text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


def _loaded(session: Session, model, row_id: int):
    found = session.get(model, row_id)
    if found is None:
        raise NotFound("projects.errors.not_found")
    return found


def _kept(session: Session, actor: Actor, permission: str, project_id: int) -> Project:
    """The project, when this actor keeps it (an officer: her department's only)."""
    project = _loaded(session, Project, project_id)
    if MATRIX.allows(actor, permission, project):
        return project
    raise PermissionDenied("projects.errors.other_department")


def _audit(session: Session, actor: Actor, verb: str, project_id: int, now: datetime, **details) -> None:
    audit(session, actor, f"projects.{verb}", f"project:{project_id}", now=now, details=details)


def _checked_fields(title: str, department: str, status: str, progress: int, weight: int,
                    budget: float | None, spent: float | None, starts_on: date | None,
                    ends_on: date | None) -> dict:
    title = _text(title, rules.MAX_TITLE)
    if len(title) < 3:
        raise InvalidInput("projects.errors.title", field="title")
    if department not in {d for d, _key in departments()}:
        raise InvalidInput("projects.errors.department", field="department")
    if status not in rules.STATUSES:
        raise InvalidInput("projects.errors.status", field="status")
    if not 0 <= progress <= 100:
        raise InvalidInput("projects.errors.progress", field="progress")
    if not 1 <= weight <= rules.MAX_WEIGHT:
        raise InvalidInput("projects.errors.weight", field="weight")
    if any(v is not None and v < 0 for v in (budget, spent)):
        raise InvalidInput("projects.errors.money", field="budget")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput("projects.errors.dates", field="ends_on")
    return {"title": title, "department": department, "status": status, "progress": progress, "weight": weight,
            "budget": budget, "spent": spent, "starts_on": starts_on, "ends_on": ends_on}


@action(MATRIX, "create_project")
def create_project(session: Session, *, actor: Actor, title: str, department: str, summary: str = "",
                   parent_id: int | None = None, status: str = rules.PLANNED, progress: int = 0, weight: int = 1,
                   budget: float | None = None, spent: float | None = None, starts_on: date | None = None,
                   ends_on: date | None = None, now: datetime) -> Project:
    fields = _checked_fields(title, department, status, progress, weight, budget, spent, starts_on, ends_on)
    MATRIX.enforce(actor, "create_project", SimpleNamespace(department=department))
    if parent_id is not None:
        _kept(session, actor, "create_project", parent_id)
    project = Project(parent_id=parent_id, summary=_text(summary, rules.MAX_SUMMARY), created_at=now,
                      updated_at=now, **fields)
    session.add(project)
    session.flush()
    _audit(session, actor, "create", project.id, now, title=project.title, parent_id=parent_id, department=department)
    return project


@action(MATRIX, "edit_project")
def edit_project(session: Session, *, actor: Actor, project_id: int, title: str, department: str,
                 status: str, progress: int, weight: int, summary: str = "", budget: float | None = None,
                 spent: float | None = None, starts_on: date | None = None, ends_on: date | None = None,
                 now: datetime) -> Project:
    project = _kept(session, actor, "edit_project", project_id)
    fields = _checked_fields(title, department, status, progress, weight, budget, spent, starts_on, ends_on)
    MATRIX.enforce(actor, "edit_project", SimpleNamespace(department=department))  # not moved out of reach
    before = {k: str(getattr(project, k)) for k in fields}
    for name, value in {**fields, "summary": _text(summary, rules.MAX_SUMMARY)}.items():
        setattr(project, name, value)
    project.updated_at = now
    session.add(project)
    _audit(session, actor, "edit", project.id, now, before=before, after={k: str(v) for k, v in fields.items()})
    session.flush()
    return project


@action(MATRIX, "add_milestone")
def add_milestone(session: Session, *, actor: Actor, project_id: int, title: str, due_on: date,
                  now: datetime) -> ProjectMilestone:
    project = _kept(session, actor, "add_milestone", project_id)
    title = _text(title, rules.MAX_TITLE)
    if len(title) < 3:
        raise InvalidInput("projects.errors.title", field="title")
    milestone = ProjectMilestone(project_id=project.id, title=title, due_on=due_on)
    session.add(milestone)
    session.flush()
    _audit(session, actor, "add_milestone", project.id, now, milestone_id=milestone.id, title=title,
           due_on=due_on.isoformat())
    return milestone


@action(MATRIX, "complete_milestone")
def complete_milestone(session: Session, *, actor: Actor, milestone_id: int, done_on: date | None = None,
                       now: datetime) -> ProjectMilestone:
    milestone = _loaded(session, ProjectMilestone, milestone_id)
    _kept(session, actor, "complete_milestone", milestone.project_id)
    if milestone.done_on is not None:
        raise AgoraError("projects.errors.milestone_done")
    milestone.done_on = done_on or now.date()
    session.add(milestone)
    _audit(session, actor, "complete_milestone", milestone.project_id, now, milestone_id=milestone.id,
           done_on=milestone.done_on.isoformat())
    session.flush()
    return milestone


def _announce(session: Session, project: Project, update: ProjectUpdate, now: datetime) -> int:
    """One outbox message to every follower's own subscriptions (same transaction)."""
    from syros_app.notices.outbox import add_message, recipients_of_person

    followers = session.exec(select(ProjectFollow.person_id).where(ProjectFollow.project_id == project.id)).all()
    recipients = [r for person_id in followers for r in recipients_of_person(session, person_id)]
    if not followers:
        return 0
    title = translate("projects.notice.update_title", "el", title=project.title)
    add_message(session, source=f"project.update:{update.id}", title=title[:200], body=update.body[:1000],
                url=f"/projects/{project.id}", urgent=False, recipients=recipients, now=now)
    return len(recipients)


@action(MATRIX, "post_update")
def post_update(session: Session, *, actor: Actor, project_id: int, body: str, now: datetime) -> ProjectUpdate:
    project = _kept(session, actor, "post_update", project_id)
    body = _text(body, rules.MAX_UPDATE)
    if len(body) < 10:
        raise InvalidInput("projects.errors.update_short", field="body")
    update = ProjectUpdate(project_id=project.id, body=body, created_at=now, author_id=actor.person_id or None)
    session.add(update)
    project.last_update_at = project.updated_at = now
    session.add(project)
    session.flush()
    reached = _announce(session, project, update, now)
    _audit(session, actor, "post_update", project.id, now, update_id=update.id, deliveries=reached)
    return update


@action(MATRIX, "add_link")
def add_link(session: Session, *, actor: Actor, project_id: int, kind: str, target: str,
             now: datetime) -> ProjectLink:
    project = _kept(session, actor, "add_link", project_id)
    kind, target, title = checked_target(session, kind, target)
    if kind == "project" and target == str(project.id):
        raise InvalidInput("projects.errors.link_self", field="target")
    link = add_owned_link(session, ProjectLink, owner={"project_id": project.id}, kind=kind, target=target,
                          title=title, now=now, twice_key="projects.errors.link_twice")
    _audit(session, actor, "add_link", project.id, now, kind=kind, target=target)
    return link


@action(MATRIX, "remove_link")
def remove_link(session: Session, *, actor: Actor, link_id: int, now: datetime) -> int:
    link = _loaded(session, ProjectLink, link_id)
    _kept(session, actor, "remove_link", link.project_id)
    gone = drop_owned_link(session, ProjectLink, link_id, "projects.errors.not_found")
    _audit(session, actor, "remove_link", gone["project_id"], now, kind=gone["kind"], target=gone["target"])
    return gone["project_id"]


@action(MATRIX, "follow_project")
def follow_project(session: Session, *, actor: Actor, project_id: int, now: datetime) -> ProjectFollow:
    _loaded(session, Project, project_id)
    found = session.get(ProjectFollow, (project_id, actor.person_id))
    if found is not None:
        return found
    follow = ProjectFollow(project_id=project_id, person_id=actor.person_id, created_at=now)
    session.add(follow)
    session.flush()
    return follow


@action(MATRIX, "unfollow_project")
def unfollow_project(session: Session, *, actor: Actor, project_id: int) -> None:
    session.exec(delete(ProjectFollow).where(ProjectFollow.project_id == project_id,
                                             ProjectFollow.person_id == actor.person_id))
    session.flush()

"""What the tracker holds about a person: the projects they follow (exported, and
removed with the account) and, for staff, the updates they wrote (kept: they are the
municipality's public record; the author reference is cleared)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.timefmt import as_utc
from syros_app.identity.actions import register_export_section

from .models import Project, ProjectFollow, ProjectUpdate


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    rows = session.exec(select(ProjectFollow.project_id, Project.title, ProjectFollow.created_at)
                        .join(Project, Project.id == ProjectFollow.project_id)
                        .where(ProjectFollow.person_id == person_id).order_by(ProjectFollow.created_at)).all()
    data: dict[str, Any] = {"following": [{"project_id": pid, "title": title, "since": as_utc(at).isoformat()}
                                          for pid, title, at in rows]}
    written = session.exec(select(ProjectUpdate).where(ProjectUpdate.author_id == person_id)
                           .order_by(ProjectUpdate.id)).all()
    if written:
        data["updates_written"] = [{"project_id": u.project_id, "created_at": as_utc(u.created_at).isoformat(),
                                    "body": u.body} for u in written]
    return data


@events.on_person_deleted
def erase(session: Session, person_id: int) -> None:
    session.execute(delete(ProjectFollow).where(ProjectFollow.person_id == person_id))
    session.execute(update(ProjectUpdate).where(ProjectUpdate.author_id == person_id).values(author_id=None))


register_export_section("projects", export_section)

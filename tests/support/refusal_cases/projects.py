"""Refusal cases of the tracker: the project desk's writes, on the demo projects."""

from __future__ import annotations

from sqlmodel import Session, select

from syros_app.opengov.projects.models import Project, ProjectLink, ProjectMilestone
from syros_app.voting.demo import REFERENDUM_TITLE
from syros_app.voting.models import Vote
from tests.support.refusal import StaffCase

DESK = "syros_app.opengov.projects.state.ProjectDeskState"
ROOT = "Ανάπλαση του ιστορικού κέντρου της Ερμούπολης"
LIGHTS = "Νέος οδοφωτισμός LED στο κέντρο"


def _project(session: Session, title: str) -> int:
    found = session.exec(select(Project.id).where(Project.title == title)).first()
    assert found is not None, f"the demo data has no project {title!r}"
    return found


def _fields(session: Session, title: str, department: str, **extra) -> dict[str, str]:
    return {"project_id": str(_project(session, title)), "title": title, "department": department,
            "status": "in_progress", "progress": "65", "weight": "1", "summary": "", "budget": "350.000,00",
            "spent": "", "starts_on": "", "ends_on": "", **extra}


def _open_milestone(session: Session) -> list[int]:
    found = session.exec(select(ProjectMilestone.id).where(ProjectMilestone.done_on.is_(None))
                         .order_by(ProjectMilestone.id)).first()
    assert found is not None, "the demo data has no open milestone"
    return [found]


def _a_link(session: Session) -> list[int]:
    found = session.exec(select(ProjectLink.id).order_by(ProjectLink.id)).first()
    assert found is not None, "the demo data has no project link"
    return [found]


def _vote(session: Session) -> str:
    return str(session.exec(select(Vote.id).where(Vote.title == REFERENDUM_TITLE)).one())


CASES = [
    StaffCase(DESK, "create_project", lambda s: [{"title": "Νέα παιδική χαρά στη Βάρη", "department": "technical",
                                                  "status": "planned", "progress": "0", "weight": "1",
                                                  "parent_id": ""}], ("project",)),
    StaffCase(DESK, "create_project", lambda s: [{"title": "Φωτισμός στα σκαλιά της Άνω Σύρου", "department": "lighting",
                                                  "parent_id": str(_project(s, LIGHTS))}], ("project",),
              persona="officer"),
    StaffCase(DESK, "save_project", lambda s: [_fields(s, ROOT, "technical")], ("project",)),
    StaffCase(DESK, "save_project", lambda s: [_fields(s, LIGHTS, "lighting")], ("project",), persona="officer"),
    StaffCase(DESK, "post_update", lambda s: [{"project_id": str(_project(s, LIGHTS)),
                                               "body": "Τοποθετήθηκαν άλλα 30 φωτιστικά."}], ("project_update",),
              persona="officer"),
    StaffCase(DESK, "add_milestone", lambda s: [{"project_id": str(_project(s, ROOT)), "title": "Παράδοση",
                                                 "due_on": "2027-06-30"}], ("project_milestone",)),
    StaffCase(DESK, "complete_milestone", _open_milestone, ("project_milestone",)),
    StaffCase(DESK, "add_link", lambda s: [{"project_id": str(_project(s, ROOT)), "kind": "vote",
                                            "target": _vote(s)}], ("project_link",)),
    StaffCase(DESK, "remove_link", _a_link, ("project_link",)),
]

READ_ONLY: dict[str, set[str]] = {}

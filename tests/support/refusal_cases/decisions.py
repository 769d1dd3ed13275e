"""Refusal cases of decisions: linking a decision to a project, and unlinking."""

from __future__ import annotations

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.opengov.decisions.models import DecisionLink
from syros_app.opengov.projects.models import Project
from tests.support.refusal import StaffCase

DESK = "syros_app.opengov.decisions.state.DecisionDeskState"
ADA = "7Ρ10ΩΗΚ-Κ0Λ"


def _root(session: Session) -> str:
    return str(session.exec(select(Project.id).order_by(Project.id)).first())


def _live_link(session: Session) -> list[int]:
    """A link to remove (the demo data has none): written and committed here."""
    link = DecisionLink(ada=ADA, kind="project", target=_root(session), title="Έργο", created_at=utcnow())
    session.add(link)
    session.commit()
    return [link.id]


CASES = [
    StaffCase(DESK, "link", lambda s: [{"ada": ADA, "kind": "project", "target": _root(s)}], ("decision_link",)),
    StaffCase(DESK, "unlink", _live_link, ("decision_link",)),
]

READ_ONLY: dict[str, set[str]] = {}

NOT_FROM_STATES = {
    "import_decisions": "tests/unit/decisions/test_sync.py::test_only_administrators_import",
}

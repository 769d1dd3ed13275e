"""The "you said, we did" links between parts of the platform: (kind, id) pairs, each
shown by its URL and checked against the capability that owns the target.

No foreign key crosses capabilities: a target is looked up through its owner when
linked (its title is kept with the link for display). A capability of open
governance that is not installed cannot be linked to; one that is answers through
``link_title(session, target) -> str | None`` in its ``queries`` module.
"""

from __future__ import annotations

from sqlmodel import Session

from syros_app.capabilities import optional_module
from syros_app.core.errors import InvalidInput

URLS = {
    "consultation": "/consultations/{}",
    "consultation_report": "/consultations/{}/report",
    "vote": "/votes/{}",
    "proposal": "/proposals/{}",
    "project": "/projects/{}",
    "decision": "/decisions/{}",
    "event": "/events/{}",
    "survey": "/surveys/{}",
}
KINDS = tuple(URLS)
# The pages that show which projects link them (through the registry's ``backlinks`` hook).
BACKLINK_KINDS = ("event", "survey")


def url_of(kind: str, target: str) -> str:
    return URLS[kind].format(target) if kind in URLS else "/"


def _int(target: str) -> int | None:
    return int(target) if target.isdigit() and len(target) < 18 else None


def _by_id(session: Session, model, target: str) -> str | None:
    row_id = _int(target)
    row = session.get(model, row_id) if row_id is not None else None
    return getattr(row, "title", None) if row is not None else None


def target_title(session: Session, kind: str, target: str) -> str | None:
    """The target's title, or None when it does not exist (or cannot be checked)."""
    if kind in ("consultation", "consultation_report"):
        from syros_app.consultations.models import Consultation

        return _by_id(session, Consultation, target)
    if kind == "vote":
        from syros_app.voting.models import Vote

        return _by_id(session, Vote, target)
    if kind == "project":
        from .models import Project

        return _by_id(session, Project, target)
    if kind == "decision":
        from syros_app.opengov.decisions.models import Decision

        row = session.get(Decision, target)
        return row.subject if row is not None else None
    if kind in ("proposal", "event", "survey"):
        queries = optional_module(f"syros_app.opengov.{kind}s", "queries")
        finder = getattr(queries, "link_title", None)
        return finder(session, target) if finder is not None else None
    return None


def checked_target(session: Session, kind: str, target: str, *, allowed: tuple[str, ...] = KINDS,
                   prefix: str = "projects") -> tuple[str, str, str]:
    """``(kind, target, title)`` of an existing target, or a translated refusal."""
    kind, target = (kind or "").strip(), (target or "").strip()[:40]
    if kind not in allowed:
        raise InvalidInput(f"{prefix}.errors.link_kind", field="kind")
    if kind == "decision":
        target = target.upper()
    title = target_title(session, kind, target) if target else None
    if title is None:
        raise InvalidInput(f"{prefix}.errors.link_missing", field="target")
    return kind, target, title[:300]


def add_owned_link(session: Session, model, *, owner: dict, kind: str, target: str, title: str, now,
                   twice_key: str):
    """A new ``model`` link row of ``owner`` (e.g. ``{"project_id": 3}``) to a checked target;
    the same link twice is a translated refusal."""
    from sqlmodel import select

    from syros_app.core.errors import AgoraError

    same = [getattr(model, name) == value for name, value in owner.items()]
    if session.exec(select(model.id).where(*same, model.kind == kind, model.target == target)).first() is not None:
        raise AgoraError(twice_key)
    row = model(**owner, kind=kind, target=target, title=title, created_at=now)
    session.add(row)
    session.flush()
    return row


def drop_owned_link(session: Session, model, link_id: int, missing_key: str) -> dict:
    """Delete one link row; what it was (for the audit row and the caller's checks)."""
    from syros_app.core.errors import NotFound

    row = session.get(model, link_id)
    if row is None:
        raise NotFound(missing_key)
    gone = row.model_dump()
    session.delete(row)
    session.flush()
    return gone

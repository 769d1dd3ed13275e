"""Reads of decisions: the searchable list, one decision with its links, open data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.opengov.projects.links import url_of

from . import rules
from .models import Decision, DecisionLink

PAGE = 50


def _filtered(query, q: str, kind: str, year: int | None):
    if q:
        query = query.where(Decision.subject_folded.contains(rules.fold(q), autoescape=True))
    if kind:
        query = query.where(Decision.decision_type == kind)
    if year:
        query = query.where(Decision.issue_date >= date(year, 1, 1), Decision.issue_date <= date(year, 12, 31))
    return query


def search(session: Session, *, q: str = "", kind: str = "", year: int | None = None,
           limit: int = PAGE, offset: int = 0) -> tuple[list[Decision], int]:
    """The decisions matching a subject text, a type and a year (newest first), and how many."""
    rows = session.exec(_filtered(select(Decision), q, kind, year)
                        .order_by(Decision.issue_date.desc(), Decision.ada).limit(limit).offset(offset))
    total = session.exec(_filtered(select(func.count()).select_from(Decision), q, kind, year)).one()
    return list(rows), int(total)


def types(session: Session) -> list[str]:
    return list(session.exec(select(Decision.decision_type).distinct().order_by(Decision.decision_type)))


def years(session: Session) -> list[int]:
    return sorted({d.year for d in session.exec(select(Decision.issue_date))}, reverse=True)


def links(session: Session, ada: str) -> list[DecisionLink]:
    return list(session.exec(select(DecisionLink).where(DecisionLink.ada == ada).order_by(DecisionLink.id)))


def linked_count(session: Session) -> tuple[int, int]:
    """(decisions with at least one link, all decisions)."""
    linked = session.exec(select(func.count(func.distinct(DecisionLink.ada)))).one()
    return int(linked), int(session.exec(select(func.count()).select_from(Decision)).one())


def link_title(session: Session, target: str) -> str | None:
    row = session.get(Decision, target)
    return row.subject if row is not None else None


def open_data(session: Session, **filters) -> list[dict]:
    rows, _total = search(session, limit=100_000, **filters)
    linked: dict[str, list[DecisionLink]] = {}
    for link in session.exec(select(DecisionLink).order_by(DecisionLink.id)):
        linked.setdefault(link.ada, []).append(link)
    return [{"ada": d.ada, "subject": d.subject, "issue_date": d.issue_date.isoformat(),
             "decision_type": d.decision_type, "document_url": d.document_url, "url": f"/decisions/{d.ada}",
             "linked": len(linked.get(d.ada, [])),
             "links": [{"kind": k.kind, "target": k.target, "title": k.title, "url": url_of(k.kind, k.target)}
                       for k in linked.get(d.ada, [])]} for d in rows]

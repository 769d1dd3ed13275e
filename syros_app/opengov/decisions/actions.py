"""Writes of decisions: the Diavgeia import (idempotent by ΑΔΑ) and staff links from
a decision to the projects, proposals and consultation reports it concerns."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from syros_app.core.actions import action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import InvalidInput, NotFound
from syros_app.opengov.projects.links import add_owned_link, checked_target, drop_owned_link

from . import rules
from .models import Decision, DecisionLink
from .permissions import MATRIX

LINK_KINDS = ("project", "proposal", "consultation_report")


@action(MATRIX, "import_decisions")
def import_decisions(session: Session, *, actor: Actor, records: list[dict], now: datetime) -> int:
    """Add the decisions not yet kept (``records``: ada, subject, issue_date, decision_type,
    document_url); a decision already kept is left as it is. How many were added."""
    adas = [str(r.get("ada", "")) for r in records]
    known = set(session.exec(select(Decision.ada).where(Decision.ada.in_(adas)))) if adas else set()
    added = 0
    for r in records:
        ada = str(r.get("ada", ""))
        if not ada or ada in known:
            continue
        try:
            issued = r["issue_date"] if isinstance(r["issue_date"], date) else date.fromisoformat(r["issue_date"])
        except (KeyError, TypeError, ValueError):
            raise InvalidInput("decisions.errors.record", field="records") from None
        subject = str(r.get("subject", ""))
        session.add(Decision(ada=ada, subject=subject, subject_folded=rules.fold(subject), issue_date=issued,
                             decision_type=str(r.get("decision_type", "")), document_url=str(r.get("document_url", "")),
                             imported_at=now))
        known.add(ada)
        added += 1
    session.flush()
    if added:
        audit(session, actor, "decisions.import", "diavgeia", now=now, details={"added": added})
    return added


def _decision(session: Session, ada: str) -> Decision:
    decision = session.get(Decision, (ada or "").strip().upper()[:40])
    if decision is None:
        raise NotFound("decisions.errors.not_found")
    return decision


@action(MATRIX, "link_decision")
def link_decision(session: Session, *, actor: Actor, ada: str, kind: str, target: str,
                  now: datetime) -> DecisionLink:
    decision = _decision(session, ada)
    kind, target, title = checked_target(session, kind, target, allowed=LINK_KINDS, prefix="decisions")
    link = add_owned_link(session, DecisionLink, owner={"ada": decision.ada}, kind=kind, target=target, title=title,
                          now=now, twice_key="decisions.errors.link_twice")
    audit(session, actor, "decisions.link", f"decision:{decision.ada}", now=now,
          details={"kind": kind, "target": target})
    return link


@action(MATRIX, "unlink_decision")
def unlink_decision(session: Session, *, actor: Actor, link_id: int, now: datetime) -> str:
    gone = drop_owned_link(session, DecisionLink, link_id, "decisions.errors.not_found")
    audit(session, actor, "decisions.unlink", f"decision:{gone['ada']}", now=now,
          details={"kind": gone["kind"], "target": gone["target"]})
    return gone["ada"]

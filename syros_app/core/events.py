"""Domain events published inside a transaction, handled inside the same one.

Capabilities announce what happened (``consultation.opened``, ``vote.results_published``,
``comment.replied``, ``report.status_changed``, …) with :func:`publish`; others
subscribe with :func:`subscriber`. Handlers run synchronously in the publisher's
session, so what they write (e.g. notification outbox rows) commits or rolls back
with the action that caused it — nothing is lost and nothing is sent for an
action that failed. Handlers must only write rows, never do network I/O.

Event names and payloads (plain JSON-able dicts) in use:
- ``consultation.opened``  {consultation_id, title, area, category, url}
- ``vote.opened``          {vote_id, title, area, url}
- ``vote.closing_soon``    {vote_id, title, area, url, closes_at}
- ``vote.results_published`` {vote_id, title, area, url}
- ``comment.replied``      {comment_id, reply_id, person_id (the one replied to), url}
- ``report.status_changed`` {report_id, person_id (the reporter), status, note, url}
- ``report.routed``        {report_id, department, actor_id, url} — a report given to a department
- ``report.assigned``      {report_id, officer_id, actor_id, url} — a report given to one officer
- ``comment.awaiting_moderation`` {comment_id, consultation_id, title, actor_id, url} — held for a moderator
- ``application.arrived``  {application_id, department, reference, actor_id, url} — a new e-application
  (the last four tell staff that work has arrived: ``notices/staff_alerts.py``)
- ``identity.person_deleted`` {person_id, former_taxid_hmac (in memory only)} — published by ``delete_account`` after the
  person row is wiped; each capability removes or anonymises what it holds about them
  (see ``syros_app/<capability>/gdpr.py``).
``area`` is None for the whole island or one of ``identity.roles.MUNICIPAL_UNITS``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session

Handler = Callable[[Session, dict[str, Any], datetime | None], None]
_SUBSCRIBERS: dict[str, list[Handler]] = defaultdict(list)


def subscriber(*event_names: str):
    def decorate(handler: Handler) -> Handler:
        for name in event_names:
            if handler not in _SUBSCRIBERS[name]:
                _SUBSCRIBERS[name].append(handler)
        return handler

    return decorate


def publish(session: Session, name: str, payload: dict[str, Any], *, now: datetime | None = None) -> None:
    for handler in list(_SUBSCRIBERS.get(name, ())):
        handler(session, payload, now)


def subscribers(name: str) -> list[Handler]:
    return list(_SUBSCRIBERS.get(name, ()))


def on_person_deleted(erase: Callable[[Session, int], None]) -> Callable[[Session, int], None]:
    """Subscribe ``erase(session, person_id)`` to ``identity.person_deleted``: each capability
    removes or anonymises what it holds about the person, in the deletion's transaction."""

    @subscriber("identity.person_deleted")
    def handler(session: Session, payload: dict[str, Any], _now: datetime | None) -> None:
        person_id = payload.get("person_id")
        if person_id is not None:
            erase(session, person_id)
            session.flush()

    handler.__qualname__ = f"on_person_deleted({erase.__module__}.{erase.__qualname__})"
    erase.subscriber = handler  # type: ignore[attr-defined]
    return erase

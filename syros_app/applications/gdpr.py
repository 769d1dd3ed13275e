"""What e-applications hold about a person: the GDPR export section and what happens
when the person deletes her account.

Export ("my data"): every application she filed (service, reference, protocol
numbers, answers, status, timeline, rating, names of her uploads) and her drafts.
Staff notes are not hers and are not exported.

Deletion (``identity.person_deleted``): drafts and their uploads go at once. Filed
applications are protocolled records the municipality must keep by law (GDPR art.
17(3)(b)), so they stay for the desk, but are unlinked from the account (no login
leads to them any more) and her rating comment goes.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.timefmt import as_utc
from syros_app.identity.actions import register_export_section

from .models import Application, ApplicationDraft, ApplicationEvent, ApplicationFile, Service


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    rows = session.exec(select(Application, Service.slug).join(Service, Service.id == Application.service_id)
                        .where(Application.person_id == person_id)
                        .order_by(Application.submitted_at, Application.id)).all()
    ids = [a.id for a, _ in rows]
    timeline: dict[int, list[dict]] = {i: [] for i in ids}
    files: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for e in session.exec(select(ApplicationEvent).where(ApplicationEvent.application_id.in_(ids))
                              .order_by(ApplicationEvent.created_at, ApplicationEvent.id)):
            timeline[e.application_id].append({"kind": e.kind, "message": e.message, "at": _iso(e.created_at)})
        for app_id, kind, name in session.exec(select(ApplicationFile.application_id, ApplicationFile.kind,
                                                      ApplicationFile.filename)
                                               .where(ApplicationFile.application_id.in_(ids))):
            files[app_id].append(f"{kind}: {name}")
    drafts = session.exec(select(ApplicationDraft, Service.slug).join(Service, Service.id == ApplicationDraft.service_id)
                          .where(ApplicationDraft.person_id == person_id)).all()
    return {
        "applications": [{
            "reference": a.reference, "service": slug, "status": a.status, "channel": a.channel,
            "answers": json.loads(a.answers), "submitted_at": _iso(a.submitted_at),
            "incoming_protocol": f"{a.in_protocol_number}/{a.in_protocol_year}" if a.in_protocol_number else None,
            "outgoing_protocol": f"{a.out_protocol_number}/{a.out_protocol_year}" if a.out_protocol_number else None,
            "answered_at": _iso(a.answered_at), "rating": a.rating_score, "rating_comment": a.rating_comment,
            "timeline": timeline[a.id], "files": files[a.id],
        } for a, slug in rows],
        "drafts": [{"service": slug, "answers": json.loads(d.answers), "updated_at": _iso(d.updated_at)}
                   for d, slug in drafts],
    }


@events.on_person_deleted
def erase(session: Session, person_id: int) -> None:
    draft_ids = select(ApplicationDraft.id).where(ApplicationDraft.person_id == person_id)
    session.execute(delete(ApplicationFile).where(ApplicationFile.draft_id.in_(draft_ids),
                                                  ApplicationFile.application_id.is_(None)))
    session.execute(delete(ApplicationDraft).where(ApplicationDraft.person_id == person_id))
    session.execute(update(Application).where(Application.person_id == person_id)
                    .values(person_id=None, rating_comment=None))
    session.execute(update(ApplicationFile).where(ApplicationFile.person_id == person_id)
                    .values(person_id=None))


register_export_section("applications", export_section)

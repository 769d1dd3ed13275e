"""What service reports hold about a person: the GDPR export section and what
happens when the person deletes their account.

Export ("my data"): every report they filed (description, place, status, whether
their name is shown, their rating) with its public history, the reports they
said "me too" to, and, for staff, the history steps they wrote.

Deletion (``identity.person_deleted``): the reports stay public — they are about
a street lamp or a pothole, and the municipality's figures count them — but the
reporter's name is never shown again (``show_name`` is forced off and the pages
say "deleted user"). "Me too"s stay as counts (they point at a person row with
no identifying data left). The person's own free text beyond the report itself
goes: the rating comment (the "fixed?" answer and the score stay for the
service-level figures) and the note they left when they reopened a report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.timefmt import as_utc
from syros_app.identity.actions import register_export_section

from .models import Report, ReportSupport, ReportUpdate


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def _update_row(u: ReportUpdate) -> dict[str, Any]:
    return {"report_id": u.report_id, "created_at": _iso(u.created_at), "status_from": u.status_from,
            "status_to": u.status_to, "note": u.note, "by_staff": u.by_staff, "forwarded_to": u.forwarded_to}


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    reports = list(session.exec(select(Report).where(Report.reporter_id == person_id)
                                .order_by(Report.created_at, Report.id)))
    history: dict[int, list[ReportUpdate]] = {r.id: [] for r in reports}
    if history:
        for u in session.exec(select(ReportUpdate).where(ReportUpdate.report_id.in_(list(history)))
                              .order_by(ReportUpdate.created_at, ReportUpdate.id)):
            history[u.report_id].append(u)
    supports = session.exec(
        select(ReportSupport.report_id, ReportSupport.created_at, Report.category, Report.status)
        .join(Report, Report.id == ReportSupport.report_id)
        .where(ReportSupport.person_id == person_id).order_by(ReportSupport.created_at, ReportSupport.id)).all()

    def report_row(r: Report) -> dict[str, Any]:
        rating = None
        if r.rated_at is not None or r.rating_score is not None:
            rating = {"fixed": r.rating_fixed, "score": r.rating_score, "comment": r.rating_comment,
                      "rated_at": _iso(r.rated_at)}
        return {
            "id": r.id, "category": r.category, "description": r.description, "lat": r.lat, "lon": r.lon,
            "address": r.address, "municipal_unit": r.municipal_unit, "status": r.status,
            "show_name": r.show_name, "created_at": _iso(r.created_at), "updated_at": _iso(r.updated_at),
            "resolved_at": _iso(r.resolved_at), "merged_into": r.merged_into_id, "supporters": r.supporters,
            "rating": rating, "history": [_update_row(u) for u in history[r.id]],
        }

    data: dict[str, Any] = {
        "reports": [report_row(r) for r in reports],
        "supports": [{"report_id": rid, "category": cat, "status": status, "created_at": _iso(at)}
                     for rid, at, cat, status in supports],
    }
    written = list(session.exec(select(ReportUpdate).where(ReportUpdate.person_id == person_id,
                                                           ReportUpdate.by_staff == True)  # noqa: E712
                                .order_by(ReportUpdate.created_at, ReportUpdate.id)))
    if written:
        data["as_staff"] = {"updates_written": [_update_row(u) for u in written]}
    return data


@events.on_person_deleted
def erase(session: Session, person_id: int) -> None:
    session.execute(update(Report).where(Report.reporter_id == person_id)
                    .values(show_name=False, rating_comment=None))
    # What the person wrote themselves in a report's history (the note of a reopening).
    session.execute(update(ReportUpdate).where(ReportUpdate.person_id == person_id,
                                               ReportUpdate.by_staff == False)  # noqa: E712
                    .values(note=""))


register_export_section("reports", export_section)

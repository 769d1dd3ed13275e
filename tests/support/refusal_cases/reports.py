"""Refusal cases of service reports: the staff desk's writes, on the demo reports."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.reports import queries, rules
from syros_app.reports.models import Open311Key, Report
from tests.support.refusal import StaffCase, ViewCase

DESK = "syros_app.reports.state.StaffReportsState"


def _open_reports(session: Session, n: int = 1) -> list[int]:
    rows = session.exec(select(Report.id).where(Report.status.in_(rules.MERGEABLE)).order_by(Report.id).limit(n))
    ids = list(rows)
    assert len(ids) == n, "the demo data has too few open reports"
    return ids


def _submitted(session: Session) -> int:
    return session.exec(select(Report.id).where(Report.status == rules.SUBMITTED).order_by(Report.id)).first()


def _officer_report(session: Session) -> int:
    """An open report of the demo officer's department (lighting)."""
    found = session.exec(select(Report.id).where(Report.status.in_((rules.SUBMITTED, rules.ACKNOWLEDGED)),
                                                 Report.department == "lighting").order_by(Report.id)).first()
    assert found is not None, "the demo data has no open lighting report to acknowledge"
    return found


def _demo_officer(session: Session) -> int:
    from syros_app.reports.queries import officers

    found = officers(session, "lighting")
    assert found, "the demo data has no lighting officer"
    return found[0][0]


def _merge_form(duplicate_id: int, into_id: int) -> dict[str, str]:
    """What the merge confirmation sends back."""
    return {"step": "merge", "target": str(duplicate_id),
            "payload": json.dumps({"into_id": into_id, "note": "Ίδιο πρόβλημα"})}


def _live_key(session: Session) -> list[int]:
    """A key to revoke (the demo data issues none): written and committed here."""
    key = Open311Key(name="Refusal test", key_hash=queries.hash_key("syr_refusal"), prefix="syr_refu",
                     created_at=utcnow(), created_by=None)
    session.add(key)
    session.commit()
    return [key.id]


CASES = [
    StaffCase(DESK, "change_status", lambda s: [{"report_id": str(_submitted(s)), "status": "acknowledged",
                                                 "note": "Το είδαμε"}], ("report", "report_update"),
              persona="moderator"),
    StaffCase(DESK, "change_status", lambda s: [{"report_id": str(_officer_report(s)), "status": "in_progress",
                                                 "note": "Το συνεργείο ξεκινά"}], ("report", "report_update"),
              persona="officer"),
    StaffCase(DESK, "add_note", lambda s: [{"report_id": str(_officer_report(s)),
                                            "body": "Ο ηλεκτρολόγος περνά την Πέμπτη."}],
              ("report_internal_note",), persona="officer"),
    StaffCase(DESK, "assign_officer", lambda s: [{"report_id": str(_officer_report(s)),
                                                  "officer_id": str(_demo_officer(s))}], ("report",)),
    StaffCase(DESK, "confirm", lambda s: [{"step": "bulk", "target": "0", "payload": json.dumps(
        {"ids": _open_reports(s, 3), "status": "resolved", "note": "Επισκευάστηκαν όλα."})}],
              ("report", "report_update"), persona="moderator"),
    StaffCase(DESK, "assign", lambda s: [{"report_id": str(_open_reports(s)[0]), "department": "lighting"}],
              ("report",), persona="moderator"),
    StaffCase(DESK, "confirm", lambda s: [_merge_form(*_open_reports(s, 2))], ("report", "report_update"),
              persona="moderator"),
    StaffCase(DESK, "confirm", lambda s: [{"step": "reject", "target": str(_submitted(s)),
                                           "payload": json.dumps({"note": "Ιδιωτικός χώρος, όχι του Δήμου."})}],
              ("report", "report_update"), persona="moderator"),
    StaffCase(DESK, "save_target", lambda s: [{"category": "lighting", "ack_days": "1", "resolve_days": "4"}],
              ("report_service_target",)),
    StaffCase(DESK, "issue_key", lambda s: [{"name": "Πύλη Περιφέρειας"}], ("report_open311_key",)),
    StaffCase(DESK, "revoke_key", _live_key, ("report_open311_key",)),
]

READ_ONLY = {DESK: {"load", "set_category", "set_unit", "toggle_overdue", "select", "close_detail", "ask_merge", "ask_bulk"}}

VIEW_CASES = [ViewCase(DESK)]

NOT_FROM_STATES = {
    "view_drill_down": "tests/unit/reports/test_states.py::test_staff_desk_and_drill_down_show_only_to_staff",
}

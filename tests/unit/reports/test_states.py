"""The Reflex handlers do the work for the right person, and nothing for others
(the staff refusal test covers visitors and residents on every staff handler)."""

import json

from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.db import session_scope
from syros_app.reports import actions
from syros_app.reports.models import Open311Key, Report, ServiceTarget
from syros_app.reports.state import ReportFormState, StaffReportsState
from tests.support import personas
from tests.support.refusal import fire, load_all_states

load_all_states()

FORM = {"category": "roads", "description": "Λακκούβα μπροστά στο 3ο Δημοτικό", "address": "Οδός Ευαγγελιστρίας 10",
        "unit": "Ερμούπολη", "show_name": "on"}


def _cookie(key, roles=()):
    with session_scope() as s:
        return personas.login_cookie(s, personas.make_person(s, key, roles=roles))


def test_resident_submits_a_report_and_a_visitor_cannot(engine):
    fire(ReportFormState, "submit", "", [FORM])
    with session_scope() as s:
        assert s.exec(select(Report)).all() == []
    fire(ReportFormState, "submit", _cookie("eleni"), [FORM])
    with session_scope() as s:
        report = s.exec(select(Report)).one()
        assert (report.category, report.address, report.municipal_unit, report.show_name) == (
            "roads", "Οδός Ευαγγελιστρίας 10", "Ερμούπολη", True)


def test_staff_handlers_work_for_staff_and_are_audited(engine):
    with session_scope() as s:
        resident = personas.resident(s, "eleni")
        report = actions.create_report(s, actor=resident, category="lighting", description="Σβηστή λάμπα στη Βάρη",
                                       address="Βάρη", municipal_unit="Ποσειδωνία")
        report_id = report.id
    staff = _cookie("moderator", (personas.Role.MODERATOR,))
    admin = _cookie("admin", (personas.Role.ADMINISTRATOR,))

    # without a report named by the form, a fresh desk has none selected → not found, nothing changes
    fire(StaffReportsState, "change_status", staff, [{"status": "acknowledged", "note": "ok"}])
    with session_scope() as s:
        assert s.get(Report, report_id).status == "submitted"
    fire(StaffReportsState, "change_status", staff, [{"report_id": str(report_id), "status": "acknowledged",
                                                      "note": "Το είδαμε"}])
    with session_scope() as s:
        assert s.get(Report, report_id).status == "acknowledged"
    # targets and Open311 keys are the administrators'
    for who in (staff, admin):
        fire(StaffReportsState, "save_target", who, [{"category": "lighting", "ack_days": "1", "resolve_days": "4"}])
        fire(StaffReportsState, "issue_key", who, [{"name": "Πύλη Περιφέρειας"}])
    with session_scope() as s:
        target = s.get(ServiceTarget, "lighting")
        assert (target.ack_days, target.resolve_days) == (1, 4)
        key = s.exec(select(Open311Key)).one()
        assert key.name == "Πύλη Περιφέρειας"
        audit = [(e.action, json.loads(e.details)) for e in s.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert [a for a, _ in audit] == ["reports.change_status", "reports.set_target", "reports.issue_api_key"]
    fire(StaffReportsState, "revoke_key", staff, [key.id])
    with session_scope() as s:
        assert s.get(Open311Key, key.id).revoked_at is None
    fire(StaffReportsState, "revoke_key", admin, [key.id])
    with session_scope() as s:
        assert s.get(Open311Key, key.id).revoked_at is not None

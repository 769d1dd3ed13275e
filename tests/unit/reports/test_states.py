"""The Reflex handlers do the work for the right person, and nothing for others
(the staff refusal test covers visitors and residents on every staff handler)."""

import asyncio
import json
from dataclasses import replace

from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.db import session_scope
from syros_app.reports import actions
from syros_app.reports.models import Open311Key, Report, ServiceTarget
from syros_app.reports.permissions import MATRIX
from syros_app.reports.state import MeasurementState, ReportFormState, StaffReportsState
from tests.support import personas
from tests.support.refusal import _substate, fire, load_all_states

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


def _loaded(state_cls, cookie):
    state = _substate(state_cls, cookie)
    asyncio.run(state_cls.event_handlers["load"].fn(state))
    return state


def test_staff_desk_and_drill_down_show_only_to_staff(engine, monkeypatch):
    """The page loads ask the matrix (view_staff_desk, view_drill_down) and show nothing
    staff-only otherwise; opened to residents, the same loads show it (the check is the guard)."""
    with session_scope() as s:
        report_id = actions.create_report(s, actor=personas.resident(s, "eleni"), category="lighting",
                                          description="Σβηστή λάμπα στη Βάρη", address="Βάρη",
                                          municipal_unit="Ποσειδωνία").id
    resident = _cookie("nikos")
    moderator = _cookie("moderator", (personas.Role.MODERATOR,))
    admin = _cookie("admin", (personas.Role.ADMINISTRATOR,))
    for cookie in ("", resident):
        desk, figures = _loaded(StaffReportsState, cookie), _loaded(MeasurementState, cookie)
        assert (desk.allowed, desk.queue, desk.summary, desk.targets, figures.is_staff, figures.drill) == (
            False, [], [], [], False, [])
        assert figures.by_category  # the public figures are for everyone
    desk, figures = _loaded(StaffReportsState, moderator), _loaded(MeasurementState, moderator)
    assert desk.allowed and [c.id for c in desk.queue] == [report_id] and figures.is_staff and figures.drill
    assert (desk.is_admin, desk.manages_keys, desk.keys) == (False, False, [])
    desk = _loaded(StaffReportsState, admin)
    assert desk.is_admin and desk.manages_keys
    for name in ("view_staff_desk", "view_drill_down"):
        opened = replace(MATRIX.permissions[name], roles=MATRIX.permissions[name].roles | {personas.Role.RESIDENT})
        monkeypatch.setitem(MATRIX.permissions, name, opened)
    assert _loaded(StaffReportsState, resident).queue and _loaded(MeasurementState, resident).drill

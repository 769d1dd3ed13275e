"""Department officers: the reports of their own department, and nothing else."""

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import PermissionDenied
from syros_app.reports import actions, queries, rules, views
from syros_app.reports.models import Report
from syros_app.reports.permissions import MATRIX, desk_department
from tests.support import personas

SQUARE = (37.4448, 24.9427)


def _two_reports(session) -> dict[str, int]:
    """Eleni's two new reports: one of the lighting department, one of cleaning."""
    eleni = personas.resident(session, "eleni")
    made = {}
    for category, department in (("lighting", "lighting"), ("cleanliness", "cleaning")):
        r = actions.create_report(session, actor=eleni, category=category, lat=SQUARE[0], lon=SQUARE[1],
                                  description="Πρόβλημα στην πλατεία Μιαούλη, παρακαλώ")
        r.department = department
        session.add(r)
        session.commit()
        made[department] = r.id
    return made


@pytest.fixture
def desk(session):
    return _two_reports(session)


def test_officer_sees_only_her_department_on_the_desk(session, desk):
    officer = personas.officer(session, "lighting")
    assert MATRIX.allows(officer, "view_staff_desk")
    shown = views.staff_desk(session, {}, desk["cleaning"], keys=False, department=desk_department(officer))
    assert [c.id for c in shown["queue"]] == [desk["lighting"]]
    assert shown["selected"] == []  # another department's report cannot be opened by id
    moderator = personas.moderator(session)
    assert desk_department(moderator) is None
    everyone = views.staff_desk(session, {}, 0, keys=False, department=desk_department(moderator))
    assert {c.id for c in everyone["queue"]} == set(desk.values())


def test_officer_works_her_report_and_is_refused_another(session, desk):
    officer = personas.officer(session, "lighting")
    actions.change_status(session, actor=officer, report_id=desk["lighting"], status=rules.ACKNOWLEDGED,
                          note="Το συνεργείο ενημερώθηκε")
    session.commit()
    assert session.get(Report, desk["lighting"]).status == rules.ACKNOWLEDGED
    for call in (lambda: actions.change_status(session, actor=officer, report_id=desk["cleaning"],
                                               status=rules.ACKNOWLEDGED, note="Όχι δικό μας"),
                 lambda: actions.assign_department(session, actor=officer, report_id=desk["cleaning"],
                                                   department="lighting"),
                 lambda: actions.merge_reports(session, actor=officer, duplicate_id=desk["cleaning"],
                                               into_id=desk["lighting"])):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.key == "reports.errors.other_department"
        session.rollback()
    assert session.get(Report, desk["cleaning"]).status == rules.SUBMITTED
    assert session.get(Report, desk["cleaning"]).department == "cleaning"
    targets = [e.target for e in session.exec(select(AuditEntry).where(AuditEntry.action.like("reports.%")))]
    assert targets == [f"report:{desk['lighting']}"]


def test_officer_without_a_department_sees_nothing(session, desk):
    officer = personas.actor(session, personas.make_person(session, "lost", roles=(personas.Role.DEPARTMENT_OFFICER,)))
    assert desk_department(officer) == ""
    assert queries.staff_queue(session, department=desk_department(officer)) == []
    with pytest.raises(PermissionDenied):
        actions.change_status(session, actor=officer, report_id=desk["lighting"], status=rules.ACKNOWLEDGED,
                              note="Χωρίς υπηρεσία")


def test_officer_may_not_manage_votes_notices_or_consultations(session):
    from syros_app.consultations.permissions import MATRIX as CONSULTATIONS
    from syros_app.notices.permissions import MATRIX as NOTICES
    from syros_app.voting.permissions import MATRIX as VOTING

    officer, moderator = personas.officer(session), personas.moderator(session)
    for actor in (officer, moderator):
        assert not VOTING.allows(actor, "manage_votes")
        assert not NOTICES.allows(actor, "publish_notice")
        assert not CONSULTATIONS.allows(actor, "open")
    assert CONSULTATIONS.allows(moderator, "hide") and not CONSULTATIONS.allows(officer, "hide")


def test_internal_notes_stay_on_the_desk(session, desk):
    """An internal note shows on the desk only: not on the public page, in open data, in
    Open311 or in the reporter's export."""
    import json

    from syros_app.reports import gdpr, open311

    officer = personas.officer(session, "lighting")
    secret = "Ο εργολάβος καθυστερεί — μην το ανακοινώσετε"
    actions.add_internal_note(session, actor=officer, report_id=desk["lighting"], body=secret)
    session.commit()
    shown = views.staff_desk(session, {}, desk["lighting"], keys=False, department=desk_department(officer))
    assert [n.body for n in shown["detail"][0].notes] == [secret]
    report = session.get(Report, desk["lighting"])
    public = views.report_page(session, report.id, None, "el")
    assert secret not in json.dumps(public["view"].model_dump(), ensure_ascii=False)
    reporter_id = report.reporter_id
    assert secret not in json.dumps(gdpr.export_section(session, reporter_id), ensure_ascii=False, default=str)
    rows = queries.open311_requests(session, ids=[report.id])
    fields = open311.request_fields(rows[0], notes={}, media={}, base_url="https://agora.example", departments={})
    assert secret not in json.dumps(fields, ensure_ascii=False, default=str)
    with pytest.raises(PermissionDenied):
        actions.add_internal_note(session, actor=officer, report_id=desk["cleaning"], body="όχι δική μας")


def test_an_officer_is_assigned_only_within_the_report_department(session, desk):
    from syros_app.core.errors import InvalidInput

    admin = personas.administrator(session)
    lighting = personas.officer(session, "lighting", key="katerina")
    cleaning = personas.officer(session, "cleaning", key="petros")
    with pytest.raises(InvalidInput) as refused:
        actions.assign_officer(session, actor=admin, report_id=desk["lighting"], officer_id=cleaning.person_id)
    assert refused.value.key == "reports.errors.officer_not_in_department"
    session.rollback()
    actions.assign_officer(session, actor=admin, report_id=desk["lighting"], officer_id=lighting.person_id)
    session.commit()
    assert session.get(Report, desk["lighting"]).assigned_to == lighting.person_id
    shown = views.staff_desk(session, {}, desk["lighting"], keys=False)
    detail = shown["detail"][0]
    assert detail.assigned == "Katerina" and [o.name for o in detail.officers] == ["Katerina"]
    assert "εργάσιμες" in detail.sla


def test_the_desk_filters_persist_in_the_browser(engine):
    import asyncio
    import json

    from syros_app.core.db import session_scope
    from syros_app.reports.state import StaffReportsState
    from tests.support.refusal import _substate, load_all_states

    load_all_states()
    with session_scope() as session:
        cookie = personas.login_cookie(session, personas.make_person(session, "moderator",
                                                                      roles=(personas.Role.MODERATOR,)))
    state = _substate(StaffReportsState, cookie)
    handlers = StaffReportsState.event_handlers
    asyncio.run(handlers["set_category"].fn(state, "lighting"))
    asyncio.run(handlers["toggle_overdue"].fn(state, True))
    assert json.loads(state.saved_filters) == {"category": "lighting", "unit": "", "overdue_only": True}
    later = _substate(StaffReportsState, cookie)  # a new visit: the browser sends what it kept
    later.saved_filters = state.saved_filters
    asyncio.run(handlers["load"].fn(later))
    assert (later.category, later.overdue_only) == ("lighting", True)
    visitor = _substate(StaffReportsState, "")
    asyncio.run(handlers["set_category"].fn(visitor, "lighting"))
    assert visitor.saved_filters == ""  # nothing kept for whom the desk is not


def test_bulk_status_change_asks_then_changes_only_what_the_officer_may(engine):
    import asyncio
    import json

    from syros_app.core.db import session_scope
    from syros_app.reports.state import StaffReportsState
    from tests.support.refusal import _substate, load_all_states

    load_all_states()
    with session_scope() as session:
        ids = _two_reports(session)
        officer = personas.make_person(session, "officer", roles=(personas.Role.DEPARTMENT_OFFICER,),
                                       department="lighting")
        cookie = personas.login_cookie(session, officer)
    state = _substate(StaffReportsState, cookie)
    handlers = StaffReportsState.event_handlers
    asyncio.run(handlers["ask_bulk"].fn(state, {"status": "acknowledged", "note": ""}))
    assert state.bulk_error == "Επιλέξτε πρώτα αναφορές στη λίστα."
    form = {f"bulk-{ids['lighting']}": "on", f"bulk-{ids['cleaning']}": "on", "status": "acknowledged",
            "note": "Το είδαμε."}
    asyncio.run(handlers["ask_bulk"].fn(state, form))
    assert state.confirm_step == "bulk" and state.confirm_what.startswith("2 αναφορές")
    with session_scope() as session:
        assert session.get(Report, ids["lighting"]).status == rules.SUBMITTED  # asking changes nothing
    asyncio.run(handlers["confirm"].fn(state, {"step": "bulk", "payload": state.confirm_payload}))
    with session_scope() as session:
        assert session.get(Report, ids["lighting"]).status == rules.ACKNOWLEDGED
        assert session.get(Report, ids["cleaning"]).status == rules.SUBMITTED  # another department
    assert state.message == "Άλλαξαν 1 αναφορές." and "1 αναφορές δεν άλλαξαν" in state.error
    assert json.loads(state.confirm_payload)["ids"] == sorted(ids.values())

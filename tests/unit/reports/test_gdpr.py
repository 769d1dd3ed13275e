"""Service reports and account deletion: the export holds the person's reports (with
rating and history), their "me too"s and, for staff, the steps they wrote; after
deletion the reports stay public as "deleted user", the supports stay as counts,
the rating keeps its numbers but loses its comment."""

import json
from datetime import datetime, timedelta, timezone

from sqlmodel import select
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core import events
from syros_app.core.db import session_scope
from syros_app.identity import actions as identity
from syros_app.identity.actions import EXPORT_SECTIONS
from syros_app.reports import actions, gdpr, queries
from syros_app.reports.models import Report, ReportSupport, ReportUpdate
from tests.support import personas

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
NAME, NICKNAME = "Καλλιόπη Βαφειάδη", "ΦανάριΤουΑγίουΝικολάου"
MINE, THEIRS = "Σβηστή λάμπα στην πλατεία Μιαούλη", "Λακκούβα στην οδό Ευαγγελιστρίας"
RATING_COMMENT, REOPEN_NOTE = "Άργησαν πολύ, ευχαριστώ Κώστα", "Πάλι σβηστή, ρωτήστε την κα Βαφειάδη"


def _world(session) -> dict:
    staff = personas.moderator(session)
    kalliopi = personas.resident(session, "eleni", display_name=NAME)
    identity.update_nickname(session, actor=kalliopi, nickname=NICKNAME)
    nikos = personas.resident(session, "nikos")
    mine = actions.create_report(session, actor=kalliopi, category="lighting", description=MINE,
                                 lat=37.4448, lon=24.9427, show_name=True, now=NOW - timedelta(days=6))
    rated = actions.create_report(session, actor=kalliopi, category="lighting", description="Σβηστή λάμπα στη Χρούσσα",
                                  address="Χρούσσα, πλατεία", municipal_unit="Ποσειδωνία", show_name=True,
                                  now=NOW - timedelta(days=5))
    reopened = actions.create_report(session, actor=kalliopi, category="lighting",
                                     description="Σβηστή λάμπα στο Βαπόρια", lat=37.4400, lon=24.9480,
                                     now=NOW - timedelta(days=5))
    theirs = actions.create_report(session, actor=nikos, category="roads", description=THEIRS,
                                   lat=37.4430, lon=24.9410, show_name=True, now=NOW - timedelta(days=4))
    actions.add_support(session, actor=kalliopi, report_id=theirs.id, now=NOW - timedelta(days=3))
    for r in (rated, reopened):
        actions.change_status(session, actor=staff, report_id=r.id, status="resolved", note="Αλλάχτηκε η λάμπα",
                              now=NOW - timedelta(days=2))
    actions.rate_report(session, actor=kalliopi, report_id=rated.id, fixed=True, score=4, comment=RATING_COMMENT,
                        now=NOW - timedelta(days=1))
    actions.rate_report(session, actor=kalliopi, report_id=reopened.id, fixed=False, score=1, comment=REOPEN_NOTE,
                        now=NOW - timedelta(days=1))
    session.commit()
    return {"staff": staff, "kalliopi": kalliopi, "nikos": nikos, "mine": mine.id, "rated": rated.id,
            "reopened": reopened.id, "theirs": theirs.id}


def test_reports_registers_its_export_section_and_deletion_handler():
    assert EXPORT_SECTIONS["reports"] is gdpr.export_section
    assert gdpr.erase.subscriber in events.subscribers("identity.person_deleted")


def test_export_holds_the_persons_reports_ratings_history_and_supports_only(session):
    w = _world(session)
    data = identity.export_my_data(session, actor=w["kalliopi"])["reports"]
    json.dumps(data)
    assert [r["id"] for r in data["reports"]] == [w["mine"], w["rated"], w["reopened"]]
    mine, rated, reopened = data["reports"]
    assert (mine["description"], mine["lat"], mine["lon"], mine["status"], mine["show_name"]) == (
        MINE, 37.4448, 24.9427, "submitted", True)
    assert mine["rating"] is None and [h["status_to"] for h in mine["history"]] == ["submitted"]
    assert (rated["address"], rated["municipal_unit"]) == ("Χρούσσα, πλατεία", "Ποσειδωνία")
    assert rated["rating"] == {"fixed": True, "score": 4, "comment": RATING_COMMENT,
                               "rated_at": (NOW - timedelta(days=1)).isoformat()}
    assert [(h["status_to"], h["by_staff"]) for h in reopened["history"]] == [
        ("submitted", False), ("resolved", True), ("in_progress", False)]
    assert reopened["history"][-1]["note"] == REOPEN_NOTE
    assert reopened["rating"]["fixed"] is False and reopened["rating"]["score"] == 1
    assert [(s["report_id"], s["category"]) for s in data["supports"]] == [(w["theirs"], "roads")]
    assert "as_staff" not in data
    assert THEIRS not in json.dumps(data, ensure_ascii=False)  # someone else's report

    staff = gdpr.export_section(session, w["staff"].person_id)
    assert staff["reports"] == [] and staff["supports"] == []
    assert sorted(u["report_id"] for u in staff["as_staff"]["updates_written"]) == sorted([w["rated"], w["reopened"]])
    assert {u["note"] for u in staff["as_staff"]["updates_written"]} == {"Αλλάχτηκε η λάμπα"}


def test_deletion_keeps_reports_public_as_deleted_user_and_drops_free_text(session):
    w = _world(session)
    kalliopi_id = w["kalliopi"].person_id
    assert queries.report_detail(session, w["mine"]).reporter == NICKNAME
    identity.delete_account(session, actor=w["kalliopi"], now=NOW)
    session.commit()
    session.expire_all()

    for key in ("mine", "rated", "reopened"):
        r = session.get(Report, w[key])
        assert r.reporter_id == kalliopi_id and r.show_name is False
        detail = queries.report_detail(session, r.id)
        assert detail.reporter is None and detail.reporter_deleted is True
    assert session.get(Report, w["mine"]).description == MINE
    rated = session.get(Report, w["rated"])
    assert (rated.rating_fixed, rated.rating_score, rated.rating_comment) == (True, 4, None)
    assert rated.rated_at is not None
    reopened = session.get(Report, w["reopened"])
    assert (reopened.rating_fixed, reopened.rating_score, reopened.rating_comment) == (False, 1, None)
    notes = session.exec(select(ReportUpdate.note).where(ReportUpdate.report_id == w["reopened"])
                         .order_by(ReportUpdate.id)).all()
    assert notes == ["", "Αλλάχτηκε η λάμπα", ""]  # staff's note stays, hers goes
    # her "me too" stays as a count
    theirs = session.get(Report, w["theirs"])
    assert theirs.supporters == 1 and theirs.show_name is True
    assert len(session.exec(select(ReportSupport).where(ReportSupport.report_id == w["theirs"])).all()) == 1
    # someone else's report keeps its shown name
    assert queries.report_detail(session, w["theirs"]).reporter not in (None, "")
    assert queries.report_detail(session, w["theirs"]).reporter_deleted is False


def test_deleted_reporters_name_is_never_served(engine):
    with session_scope() as session:
        w = _world(session)
    with session_scope() as session:
        identity.delete_account(session, actor=w["kalliopi"], now=NOW)
    client = TestClient(create_api())
    bodies = []
    for url in ("/open311/v2/requests.json", "/open311/v2/requests.xml",
                f"/open311/v2/requests/{w['mine']}.json", f"/open311/v2/requests/{w['reopened']}.json",
                "/api/v1/service-levels"):
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.text)
    listed = {r["service_request_id"]: r for r in json.loads(bodies[0])}
    assert listed[str(w["mine"])]["description"] == MINE  # the report stays public
    for body in bodies:
        for secret in (NAME, NICKNAME, "Καλλιόπη", RATING_COMMENT, REOPEN_NOTE):
            assert secret not in body

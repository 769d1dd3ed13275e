"""HTTP routes of e-applications: open data, "my applications" JSON, receipt and answer
PDFs and uploads only for their applicant or the desk of the department."""

import pytest
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.applications import actions, demo
from syros_app.applications.models import ApplicationFile
from tests.support import personas
from tests.unit.applications.conftest import NOW, bulky_answers


@pytest.fixture
def client(engine):
    return TestClient(create_api())


@pytest.fixture
def filed(session):
    demo.load_services(session, NOW)
    demo.load_slots(session, NOW)
    eleni = personas.make_person(session, "eleni")
    nikos = personas.make_person(session, "nikos")
    officer = personas.make_person(session, "officer_c", roles=(personas.Role.DEPARTMENT_OFFICER,),
                                   department="cleaning")
    other = personas.make_person(session, "officer_l", roles=(personas.Role.DEPARTMENT_OFFICER,),
                                 department="lighting")
    app = actions.submit_application(session, actor=personas.actor(session, eleni), service_slug="bulky-waste-pickup",
                                     answers=bulky_answers(session), now=NOW)
    session.commit()
    cookies = {k: personas.login_cookie(session, p) for k, p in
               (("eleni", eleni), ("nikos", nikos), ("officer", officer), ("other", other))}
    return app, cookies


def test_services_open_data(client, filed):
    body = client.get("/api/v1/applications/services").json()["services"]
    slugs = {s["slug"]: s for s in body}
    assert {"bulky-waste-pickup", "sidewalk-table-permit", "water-meter-change", "cemetery-certificate"} <= set(slugs)
    national = slugs["permanent-residence-certificate"]
    assert national["online"] is False and national["url"].startswith("https://www.gov.gr/")
    permit = slugs["sidewalk-table-permit"]
    assert permit["mitos_id"] == "367012" and permit["local"] is False and permit["target_working_days"] == 20
    assert slugs["bulky-waste-pickup"]["local"] is True and len(permit["documents"]["el"]) == 2


def test_my_applications_needs_login_and_shows_only_mine(client, filed):
    app, cookies = filed
    assert client.get("/api/v1/me/applications").status_code == 401
    mine = client.get("/api/v1/me/applications", headers={"cookie": cookies["eleni"]})
    assert mine.headers["cache-control"] == "private, no-store"
    [row] = mine.json()["applications"]
    assert row["reference"] == app.reference and row["incoming_protocol"] == "Εισ. 1/2026"
    assert row["status"] == "received" and row["answer_pdf"] is None
    assert row["receipt_pdf"].endswith("/receipt.pdf")
    assert client.get("/api/v1/me/applications", headers={"cookie": cookies["nikos"]}).json() == {"applications": []}


def test_receipt_only_for_the_applicant_and_the_department(client, filed):
    app, cookies = filed
    url = f"/api/v1/applications/{app.reference}/receipt.pdf"
    ok = client.get(url, headers={"cookie": cookies["eleni"]})
    assert ok.status_code == 200 and ok.content.startswith(b"%PDF") and ok.headers["content-type"] == "application/pdf"
    assert client.get(url, headers={"cookie": cookies["officer"]}).status_code == 200
    assert client.get(url, headers={"cookie": cookies["other"]}).status_code == 403
    assert client.get(url, headers={"cookie": cookies["nikos"]}).status_code == 403
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/applications/ΑΙΤ-2026-999999/receipt.pdf",
                      headers={"cookie": cookies["eleni"]}).status_code == 404
    assert client.get(f"/api/v1/applications/{app.reference}/answer.pdf",
                      headers={"cookie": cookies["eleni"]}).status_code == 404  # not answered yet


def test_uploads_are_attachments_for_the_uploader_only(client, filed, session):
    app, cookies = filed
    eleni = personas.actor(session, session.get(personas.Person, app.person_id))
    file = actions.upload_file(session, actor=eleni, service_slug="sidewalk-table-permit", field_key="plan",
                               filename="plan.pdf", data=b"%PDF-1.4", now=NOW)
    session.commit()
    url = f"/api/v1/applications/files/{file.id}"
    got = client.get(url, headers={"cookie": cookies["eleni"]})
    assert got.status_code == 200 and got.headers["content-disposition"].startswith("attachment")
    assert client.get(url, headers={"cookie": cookies["nikos"]}).status_code == 404
    assert client.get(url).status_code == 404
    assert session.get(ApplicationFile, file.id).draft_id is not None
    # once filed, the desk of the permit's department (technical) may fetch it too; no other desk may
    permit = actions.submit_application(session, actor=eleni, service_slug="sidewalk-table-permit", answers={
        "full_name": "Ε", "father_name": "Γ", "phone": "1", "business": "Καφέ", "address": "Πλατεία Μιαούλη 1",
        "area_m2": "10", "season_start": "2027-04-01"}, now=NOW)
    technical = personas.make_person(session, "officer_t", roles=(personas.Role.DEPARTMENT_OFFICER,),
                                     department="technical")
    session.commit()
    assert session.get(ApplicationFile, file.id).application_id == permit.id
    assert client.get(url, headers={"cookie": personas.login_cookie(session, technical)}).status_code == 200
    assert client.get(url, headers={"cookie": cookies["officer"]}).status_code == 404  # cleaning's desk
    assert client.get(url, headers={"cookie": cookies["nikos"]}).status_code == 404

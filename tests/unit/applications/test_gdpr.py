"""E-applications and the person's data: the export holds her applications (answers,
timeline, files' names) and drafts, never staff notes; deletion removes drafts and their
uploads and unlinks the protocolled applications, dropping her rating comment."""

import json

from sqlmodel import select

from syros_app.applications import actions, gdpr
from syros_app.applications.models import Application, ApplicationDraft, ApplicationFile, ApplicationNote
from syros_app.identity import actions as identity
from syros_app.identity.actions import EXPORT_SECTIONS

from .conftest import NOW, bulky_answers


def _world(session, people):
    eleni = people["eleni"]
    app = actions.submit_application(session, actor=eleni, service_slug="bulky-waste-pickup",
                                     answers=bulky_answers(session), now=NOW)
    app.status, app.answered_at = "answered", NOW
    session.add(app)
    actions.rate_application(session, actor=eleni, application_id=app.id, score=2, comment="Άργησαν, κ. Παππά",
                             now=NOW)
    session.add(ApplicationNote(application_id=app.id, author_id=people["cleaning"].person_id,
                                body="Να πάρει τηλέφωνο η κα Παππά", created_at=NOW))
    actions.upload_file(session, actor=eleni, service_slug="sidewalk-table-permit", field_key="plan",
                        filename="σκαρίφημα.pdf", data=b"%PDF-1.4", now=NOW)
    actions.save_draft(session, actor=eleni, service_slug="sidewalk-table-permit", answers={"business": "Καφέ Σύρος"},
                       now=NOW)
    session.commit()
    return app


def test_export_has_applications_and_drafts_but_no_staff_notes(session, catalogue, people):
    assert "applications" in EXPORT_SECTIONS
    app = _world(session, people)
    data = gdpr.export_section(session, people["eleni"].person_id)
    [row] = data["applications"]
    assert row["reference"] == app.reference and row["incoming_protocol"] == "1/2026"
    assert row["answers"]["items"] == "Ένας καναπές" and row["rating_comment"] == "Άργησαν, κ. Παππά"
    assert [step["kind"] for step in row["timeline"]] == ["received", "protocolled"]
    assert data["drafts"][0]["answers"]["business"] == "Καφέ Σύρος"
    assert "Παππά" not in json.dumps(data).replace("Άργησαν, κ. Παππά", "")  # the staff note is not hers
    assert gdpr.export_section(session, people["nikos"].person_id) == {"applications": [], "drafts": []}


def test_deletion_drops_drafts_and_unlinks_applications(session, catalogue, people):
    app = _world(session, people)
    identity.delete_account(session, actor=people["eleni"], now=NOW)
    session.commit()
    session.expire_all()
    kept = session.get(Application, app.id)
    assert kept.person_id is None and kept.rating_comment is None and kept.rating_score == 2
    assert session.exec(select(ApplicationDraft)).all() == []
    assert session.exec(select(ApplicationFile)).all() == []
    assert session.exec(select(ApplicationNote)).one().body  # the desk's record stays

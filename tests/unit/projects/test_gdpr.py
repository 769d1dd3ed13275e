"""What the tracker holds about a person: exported, and removed with the account."""

from datetime import datetime, timezone

from sqlmodel import select

from syros_app.core import events
from syros_app.opengov.projects import actions, gdpr
from syros_app.opengov.projects.models import ProjectFollow, ProjectUpdate
from tests.support import personas

NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)


def test_export_and_erase(session):
    admin, eleni = personas.administrator(session), personas.resident(session, "eleni")
    project = actions.create_project(session, actor=admin, title="Νέα πλατεία", department="technical", now=NOW)
    actions.follow_project(session, actor=eleni, project_id=project.id, now=NOW)
    actions.post_update(session, actor=admin, project_id=project.id, body="Άρχισαν οι εργασίες.", now=NOW)
    session.commit()
    assert gdpr.export_section(session, eleni.person_id)["following"] == [
        {"project_id": project.id, "title": "Νέα πλατεία", "since": NOW.isoformat()}]
    assert gdpr.export_section(session, admin.person_id)["updates_written"][0]["body"] == "Άρχισαν οι εργασίες."
    for person in (eleni, admin):
        events.publish(session, "identity.person_deleted", {"person_id": person.person_id})
    session.commit()
    assert session.exec(select(ProjectFollow)).all() == []
    update = session.exec(select(ProjectUpdate)).one()
    assert update.author_id is None and update.body == "Άρχισαν οι εργασίες."  # the public record stays

"""Tracker actions on SQLite and PostgreSQL: the tree, links, following and the
outbox, officers' departments, audit rows."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.notices.models import Delivery, OutboundMessage, Subscription
from syros_app.opengov.projects import actions, queries, views
from syros_app.opengov.projects.models import ProjectFollow, ProjectLink
from tests.support import personas

NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)


@pytest.fixture
def people(session):
    return {"admin": personas.administrator(session), "officer": personas.officer(session, "lighting"),
            "eleni": personas.resident(session, "eleni"), "nikos": personas.resident(session, "nikos")}


def _tree(session, admin):
    root = actions.create_project(session, actor=admin, title="Ανάπλαση κέντρου", department="technical", now=NOW)
    kids = [actions.create_project(session, actor=admin, title=f"Μέρος {n}", department=dept, parent_id=root.id,
                                   progress=p, now=NOW)
            for n, (p, dept) in enumerate([(60, "technical"), (60, "lighting"), (80, "technical")])]
    session.commit()
    return root, kids


def test_the_tree_shows_weighted_progress_and_audits(session, people):
    root, kids = _tree(session, people["admin"])
    rows = views.tree(session, NOW)
    assert [r.id for r in rows] == [root.id, *[k.id for k in kids]]
    assert rows[0].progress.el == "66,7\u00a0%" and rows[0].weight == 1 and rows[1].depth == 1
    actions.edit_project(session, actor=people["admin"], project_id=kids[2].id, title="Μέρος 2",
                         department="technical", status="in_progress", progress=80, weight=2, now=NOW)
    session.commit()
    assert views.tree(session, NOW)[0].progress.en == "70.0%"  # (60 + 60 + 2·80) / 4
    audited = session.exec(select(AuditEntry.action)).all()
    assert audited.count("projects.create") == 4 and "projects.edit" in audited


def test_bad_input_changes_nothing(session, people):
    root, _kids = _tree(session, people["admin"])
    for bad in ({"progress": 101}, {"weight": 0}, {"department": "nowhere"}, {"status": "done?"},
                {"title": "x"}, {"starts_on": date(2026, 5, 1), "ends_on": date(2026, 4, 1)}):
        fields = {"title": "Νέο έργο", "department": "technical", **bad}
        with pytest.raises(InvalidInput):
            actions.create_project(session, actor=people["admin"], parent_id=root.id, now=NOW, **fields)
    with pytest.raises(InvalidInput):
        actions.create_project(session, actor=people["admin"], title="Νέο", department="technical",
                               ends_on="not a date", now=NOW)


def test_an_officer_keeps_only_her_departments_projects(session, people):
    root, kids = _tree(session, people["admin"])
    officer = people["officer"]
    actions.post_update(session, actor=officer, project_id=kids[1].id, body="Μπήκαν 40 νέα φωτιστικά.", now=NOW)
    with pytest.raises(PermissionDenied):
        actions.post_update(session, actor=officer, project_id=kids[0].id, body="Δεν είναι δικό μου έργο.", now=NOW)
    with pytest.raises(PermissionDenied):
        actions.create_project(session, actor=officer, title="Τεχνικό έργο", department="technical", now=NOW)
    with pytest.raises(PermissionDenied):  # nor moves her project to another department
        actions.edit_project(session, actor=officer, project_id=kids[1].id, title="Μέρος 1", department="technical",
                             status="in_progress", progress=60, weight=1, now=NOW)
    with pytest.raises(PermissionDenied):
        actions.post_update(session, actor=people["eleni"], project_id=kids[1].id, body="Είμαι κάτοικος.", now=NOW)


def test_links_are_validated_and_shown_with_titles(session, people):
    from syros_app.consultations import actions as consultations
    from syros_app.opengov.decisions.actions import import_decisions

    root, _kids = _tree(session, people["admin"])
    consultation = consultations.create_consultation(
        session, actor=people["admin"], title="Κυκλοφοριακό σχέδιο", category="transport",
        opens_at=NOW, closes_at=NOW + timedelta(days=20), summary="Το σχέδιο για το κέντρο.", now=NOW)
    import_decisions(session, actor=people["admin"], records=[
        {"ada": "ΩΘ73ΩΗΚ-Γ3Δ", "subject": "Έγκριση σχεδίου", "issue_date": "2026-05-08", "decision_type": "2.4.7.1",
         "document_url": "https://diavgeia.gov.gr/doc/ΩΘ73ΩΗΚ-Γ3Δ"}])
    with pytest.raises(InvalidInput):
        actions.add_link(session, actor=people["admin"], project_id=root.id, kind="consultation", target="999999")
    with pytest.raises(InvalidInput):
        actions.add_link(session, actor=people["admin"], project_id=root.id, kind="telepathy", target="1")
    with pytest.raises(InvalidInput):
        actions.add_link(session, actor=people["admin"], project_id=root.id, kind="decision", target="ΨΨΨ-000")
    with pytest.raises(InvalidInput):
        actions.add_link(session, actor=people["admin"], project_id=root.id, kind="project", target=str(root.id))
    link = actions.add_link(session, actor=people["admin"], project_id=root.id, kind="decision", target="ωθ73ωηκ-γ3δ")
    assert link.target == "ΩΘ73ΩΗΚ-Γ3Δ" and link.title == "Έγκριση σχεδίου"
    with pytest.raises(AgoraError):
        actions.add_link(session, actor=people["admin"], project_id=root.id, kind="decision", target="ΩΘ73ΩΗΚ-Γ3Δ")
    actions.add_link(session, actor=people["admin"], project_id=root.id, kind="consultation",
                     target=str(consultation.id))
    session.commit()
    view, _following, keeps = views.project_page(session, root.id, people["admin"], NOW)
    shown = {(item.url, item.title) for item in view.links}
    assert keeps and shown == {("/decisions/ΩΘ73ΩΗΚ-Γ3Δ", "Έγκριση σχεδίου"),
                               (f"/consultations/{consultation.id}", "Κυκλοφοριακό σχέδιο")}
    actions.remove_link(session, actor=people["admin"], link_id=link.id)
    assert session.get(ProjectLink, link.id) is None


def test_followers_get_updates_through_the_outbox(session, people):
    root, _kids = _tree(session, people["admin"])
    eleni, nikos = people["eleni"], people["nikos"]
    session.add(Subscription(channel="push", address="https://push.example/eleni", person_id=eleni.person_id,
                             created_at=NOW))
    session.commit()
    actions.follow_project(session, actor=eleni, project_id=root.id)
    actions.follow_project(session, actor=eleni, project_id=root.id)  # twice: still one
    actions.follow_project(session, actor=nikos, project_id=root.id)
    actions.unfollow_project(session, actor=nikos, project_id=root.id)
    with pytest.raises(PermissionDenied):
        actions.follow_project(session, actor=None, project_id=root.id)
    with pytest.raises(NotFound):
        actions.follow_project(session, actor=eleni, project_id=987654)
    update = actions.post_update(session, actor=people["admin"], project_id=root.id,
                                 body="Ξεκίνησαν οι εργασίες στην πλατεία.", now=NOW)
    session.commit()
    assert session.exec(select(ProjectFollow.person_id)).all() == [eleni.person_id]
    message = session.exec(select(OutboundMessage).where(OutboundMessage.source == f"project.update:{update.id}")).one()
    assert message.url == f"/projects/{root.id}" and "Ανάπλαση κέντρου" in message.title
    deliveries = session.exec(select(Delivery).where(Delivery.message_id == message.id)).all()
    assert [d.address for d in deliveries] == ["https://push.example/eleni"]
    assert queries.follows(session, root.id, eleni.person_id)


def test_stale_flag_comes_from_the_last_update(session, people):
    root, _kids = _tree(session, people["admin"])
    actions.post_update(session, actor=people["admin"], project_id=root.id, body="Ενημέρωση του έργου.", now=NOW)
    session.commit()
    assert not views.tree(session, NOW + timedelta(days=90))[0].stale
    assert views.tree(session, NOW + timedelta(days=91))[0].stale

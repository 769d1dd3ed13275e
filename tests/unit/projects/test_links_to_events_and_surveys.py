"""A project links events, surveys and proposals through the tracker's one linking
mechanism (each checked by its owner's ``queries.link_title``), and an event's or a
survey's page shows the projects that link it (the registry's backlinks hook)."""

from datetime import datetime, timezone

import pytest

from syros_app.core import registry
from syros_app.core.errors import InvalidInput
from syros_app.opengov.projects import actions, views
from tests.support import personas
from tests.unit.events.helpers import make_event
from tests.unit.proposals.helpers import roll
from tests.unit.surveys.helpers import build_survey

NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
BODY = "Πεζοδρόμηση του δρόμου μπροστά στο δημοτικό σχολείο τις ώρες προσέλευσης των παιδιών."


def test_a_project_links_an_event_a_survey_and_a_proposal_and_they_link_back(session):
    from syros_app.opengov.proposals import actions as proposals

    admin, eleni = personas.administrator(session), personas.resident(session, "eleni")
    project = actions.create_project(session, actor=admin, title="Ανάπλαση πλατείας Μιαούλη", department="technical",
                                     now=NOW)
    event = make_event(session, personas.moderator(session))
    survey_id, _ids = build_survey(session, admin)
    draft_id, _ = build_survey(session, admin, open_it=False)
    roll(session, {"Ερμούπολη": 3}, people=[eleni])
    proposal = proposals.create_proposal(session, actor=eleni, title="Σκιά στην πλατεία", body=BODY, now=NOW)
    for kind, target in (("event", event.id), ("survey", survey_id), ("proposal", proposal.id)):
        actions.add_link(session, actor=admin, project_id=project.id, kind=kind, target=str(target), now=NOW)
    for kind, target in (("event", "999999"), ("survey", str(draft_id)), ("survey", "x1"), ("proposal", "424242")):
        with pytest.raises(InvalidInput):  # a missing event, a draft survey (not public), garbage
            actions.add_link(session, actor=admin, project_id=project.id, kind=kind, target=target, now=NOW)
    session.commit()
    view, _following, _keeps = views.project_page(session, project.id, admin, NOW)
    assert {(i.kind, i.url, i.title) for i in view.links} == {
        ("event", f"/events/{event.id}", event.title), ("survey", f"/surveys/{survey_id}", "Θερινά δρομολόγια"),
        ("proposal", f"/proposals/{proposal.id}", "Σκιά στην πλατεία")}
    back = [views.ProjectBackLink(title="Ανάπλαση πλατείας Μιαούλη", url=f"/projects/{project.id}")]
    assert views.backlinks(session, "event", str(event.id)) == back
    assert views.backlinks(session, "survey", str(survey_id)) == back
    assert views.backlinks(session, "survey", str(event.id + 1000)) == []
    assert views.backlinks(session, "event", str(survey_id)) == ([] if survey_id != event.id else back)


def test_the_projects_backlinks_render_only_on_event_and_survey_pages():
    import syros_app.opengov.projects  # noqa: F401  (registers the capability)
    from syros_app.opengov.projects import pages

    assert any(cap.name == "projects" and cap.backlinks for cap in registry.capabilities())
    assert "project_links" in str(pages.backlinks("event").render())
    assert "project_links" not in str(pages.backlinks("consultation").render())

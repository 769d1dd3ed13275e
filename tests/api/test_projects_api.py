"""Open data of the tracker and of decisions, on the demo data; the measurement
figures recomputed from the raw open data (JSON and CSV), independently of the app."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core.db import session_scope
from syros_app.core.timefmt import utcnow


@pytest.fixture
def client(engine):
    from syros_app.demo.seed import load_demo_data

    load_demo_data()
    return TestClient(create_api())


def _csv(answer) -> list[dict]:
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"), newline="")))


def test_projects_json_and_csv(client):
    projects = client.get("/api/v1/projects").json()["projects"]
    by_title = {p["title"]: p for p in projects}
    root = by_title["Ανάπλαση του ιστορικού κέντρου της Ερμούπολης"]
    children = [p for p in projects if p["parent_id"] == root["id"]]
    assert sorted(c["own_progress"] for c in children) == [60, 60, 80] and {c["weight"] for c in children} == {1}
    assert root["progress"] == pytest.approx(66.67, abs=0.01)
    assert {link["kind"] for p in projects for link in p["links"]} >= {"consultation", "vote", "decision"}
    assert [p["title"] for p in projects if p["stale"]] == ["Αποκατάσταση των κτιρίων του Νεωρίου"]
    rows = _csv(client.get("/api/v1/projects?format=csv"))
    assert [int(r["id"]) for r in rows] == [p["id"] for p in projects]


def _independent_figures(projects: list[dict], milestones: list[dict], today: date) -> tuple[int, int, int, int]:
    due = [m for m in milestones if date.fromisoformat(m["due_on"]) <= today]
    on_time = [m for m in due if m["done_on"] and m["done_on"] <= m["due_on"]]
    ended = [p for p in projects if p["ends_on"] and p["ends_on"] < today.isoformat() and p["status"] != "cancelled"]
    late = [p for p in ended if p["status"] != "completed"]
    return len(on_time), len(due), len(late), len(ended)


def test_measurement_figures_recomputed_from_the_open_data(client):
    from syros_app.opengov.projects import views

    today = utcnow().date()
    projects = client.get("/api/v1/projects").json()["projects"]
    milestones = client.get("/api/v1/projects/milestones").json()["milestones"]
    assert sorted(m["id"] for m in milestones) == sorted(m["id"] for p in projects for m in p["milestones"])
    on_time, due, late, ended = _independent_figures(projects, milestones, today)
    csv_milestones = _csv(client.get("/api/v1/projects/milestones?format=csv"))
    csv_projects = _csv(client.get("/api/v1/projects?format=csv"))
    assert _independent_figures(csv_projects, csv_milestones, today) == (on_time, due, late, ended)
    assert due > 0 and ended > 0  # the demo has both, so the figures mean something
    with session_scope() as session:
        shown = views.figures(session, today)
    assert shown.milestones.en == f"{on_time} of {due}" and shown.late.el == f"{late} από {ended}"
    assert shown.milestones_share.en == f"{on_time / due:.1%}"


def test_decisions_open_data_filters(client):
    every = client.get("/api/v1/decisions").json()["decisions"]
    assert len(every) == 10 and every[0]["issue_date"] >= every[-1]["issue_date"]
    found = client.get("/api/v1/decisions", params={"q": "ΠΛΑΤΕΙΑΣ"}).json()["decisions"]
    assert {d["ada"] for d in found} == {"Ψ4Κ1ΩΗΚ-Α1Β", "ΩΠ99ΩΗΚ-Ι9Κ"}
    by_type = client.get("/api/v1/decisions", params={"type": "2.4.7.1", "year": "2026"}).json()["decisions"]
    assert by_type and all(d["decision_type"] == "2.4.7.1" and d["issue_date"].startswith("2026") for d in by_type)
    assert client.get("/api/v1/decisions", params={"year": "2025"}).json()["decisions"][0]["ada"] == "7Ρ10ΩΗΚ-Κ0Λ"
    rows = _csv(client.get("/api/v1/decisions?format=csv"))
    assert len(rows) == 10 and rows[0]["document_url"].startswith("https://diavgeia.gov.gr/doc/")


def test_decision_figure_recomputed_from_the_open_data(client):
    from syros_app.opengov.decisions import views
    from syros_app.opengov.decisions.actions import link_decision
    from syros_app.opengov.decisions.models import Decision
    from syros_app.opengov.projects.models import Project
    from syros_app.voting.demo import DEMO_STAFF

    with session_scope() as session:
        project_id = session.exec(select(Project.id).order_by(Project.id)).first()
        for ada in ("7Ρ10ΩΗΚ-Κ0Λ", "Ψ4Κ1ΩΗΚ-Α1Β"):
            link_decision(session, actor=DEMO_STAFF, ada=ada, kind="project", target=str(project_id))
        total = len(session.exec(select(Decision.ada)).all())
    decisions = client.get("/api/v1/decisions").json()["decisions"]
    linked = sum(1 for d in decisions if d["links"])
    assert (linked, len(decisions)) == (2, total)
    rows = _csv(client.get("/api/v1/decisions?format=csv"))
    assert sum(1 for r in rows if int(r["linked"]) > 0) == linked
    with session_scope() as session:
        shown = views.figures(session)
    assert shown.linked.el == f"{linked} από {total}" and shown.linked_share.en == f"{linked / total:.1%}"

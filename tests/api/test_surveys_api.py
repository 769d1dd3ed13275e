"""Open data of surveys over HTTP: nothing before publication, no personal data, short
texts only when the survey publishes them and a moderator approved them."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.opengov.surveys import actions, queries
from tests.support import personas
from tests.unit.surveys.helpers import build_survey, residents, sheet


def _rows(response) -> list[dict]:
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))


def test_results_and_answers_only_after_publication_without_personal_data(engine):
    with Session(engine, expire_on_commit=False) as session:
        admin, moderator = personas.administrator(session), personas.moderator(session)
        draft, _ = build_survey(session, admin, open_it=False)
        survey_id, ids = build_survey(session, admin, publish_text=True)
        voters = residents(session, 3)
        for voter, text in zip(voters, ("Καλή ιδέα", "Γράψτε μου στο 6912345678", "")):
            actions.answer_survey(session, actor=voter, survey_id=survey_id, answers=sheet(ids, text=text))
        session.commit()
    client = TestClient(create_api())
    listing = client.get("/api/v1/surveys").json()["surveys"]
    assert [s["id"] for s in listing] == [survey_id]  # drafts are not open data
    assert listing[0]["status"] == "open" and listing[0]["responses"] == 3 and listing[0]["results_url"] is None
    assert client.get(f"/api/v1/surveys/{draft}").status_code == 404
    assert client.get(f"/api/v1/surveys/{survey_id}").json()["results"] is None
    assert client.get(f"/api/v1/surveys/{survey_id}/answers.csv").status_code == 404
    assert client.get("/api/v1/surveys/99999999999").status_code == 404

    with Session(engine, expire_on_commit=False) as session:
        pending = queries.texts_to_moderate(session, survey_id)
        actions.moderate_text(session, actor=moderator, answer_id=pending[0][0].id, approve=True)
        actions.moderate_text(session, actor=moderator, answer_id=pending[1][0].id, approve=False)
        actions.close_survey(session, actor=admin, survey_id=survey_id)
        actions.publish_results(session, actor=admin, survey_id=survey_id)
        session.commit()
        taxids = {v.taxid_hmac for v in voters}
        names = {v.display_name for v in voters}

    data = client.get(f"/api/v1/surveys/{survey_id}").json()
    assert data["status"] == "published" and data["responses"] == 3
    single, multiple, scale, text = data["results"]
    assert [r["count"] for r in single["rows"]] == [3, 0, 0] and single["rows"][0]["share"] == 1.0
    assert [r["count"] for r in multiple["rows"]] == [3, 0, 3]
    assert scale["mean"] == 4.0 and [r["count"] for r in scale["rows"]] == [0, 0, 0, 3, 0]
    assert text["published_texts"] == ["Καλή ιδέα"] and text["answered"] == 2

    rows = _rows(client.get(f"/api/v1/surveys/{survey_id}/answers.csv"))
    assert set(rows[0]) == {"response", "question", "kind", "prompt", "answer"}
    assert len({r["response"] for r in rows}) == 3
    assert [r["answer"] for r in rows if r["kind"] == "text"] == ["Καλή ιδέα"]
    assert sorted(r["answer"] for r in rows if r["kind"] == "single") == ["Συχνά"] * 3
    body = client.get(f"/api/v1/surveys/{survey_id}/answers.csv").text + str(data)
    assert "6912345678" not in body
    assert not any(t in body for t in taxids) and not any(n in body for n in names)


def test_a_missing_or_draft_survey_page_is_a_real_404(engine):
    import re

    import pytest

    from syros_app.api.route_preload import PageNotFound
    from syros_app.opengov.surveys.preview import PREVIEWS

    (pattern, render), = PREVIEWS.items()
    with Session(engine, expire_on_commit=False) as session:
        admin = personas.administrator(session)
        survey_id, _ = build_survey(session, admin)
        draft, _ = build_survey(session, admin, open_it=False)
    assert render(re.match(pattern, f"/surveys/{survey_id}"), "el") == ""
    for path in (f"/surveys/{draft}", "/surveys/99999999999999999999"):
        with pytest.raises(PageNotFound):
            render(re.match(pattern, path), "el")

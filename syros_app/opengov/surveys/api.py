"""Open data of surveys: the list (with each survey's answer count), one survey's
questions and published results, its answers as CSV, and the figures of /measurement.

Nothing here names a person: answers carry a random sheet id only. Short-text answers
appear only when the survey publishes them and a moderator approved each one; results
and answers exist only once staff published them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.api.csv_files import csv_response
from syros_app.core.db import session_scope
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, utcnow

from . import queries, rules
from .models import Survey


def _iso(value) -> str | None:
    return as_utc(value).isoformat() if value else None


def _not_found() -> JSONResponse:
    return JSONResponse({"error": "surveys.errors.not_found", "message": translate("surveys.errors.not_found", "el")},
                        status_code=404)


def _summary(survey: Survey, responses: int, now) -> dict:
    status = rules.effective_status(survey.status, survey.closes_at, now)
    published = status == rules.PUBLISHED
    return {
        "id": survey.id, "title": survey.title, "status": status, "mode": survey.mode,
        "opened_at": _iso(survey.opened_at), "closes_at": _iso(survey.closes_at),
        "published_at": _iso(survey.published_at), "quarter": rules.quarter_of(survey.opened_at),
        "responses": responses, "url": f"/surveys/{survey.id}",
        "results_url": f"/api/v1/surveys/{survey.id}" if published else None,
        "answers_csv_url": f"/api/v1/surveys/{survey.id}/answers.csv" if published else None,
    }


def _result(question, tally: rules.QuestionResult) -> dict:
    data = {"id": question.id, "position": question.position, "kind": question.kind, "prompt": question.prompt,
            "required": question.required, "answered": tally.answered}
    if question.kind == rules.TEXT:
        data["published_texts"] = tally.texts
    else:
        data["rows"] = [{"label": r.label, "count": r.count, "share": round(r.share, 4)} for r in tally.rows]
    if question.kind == rules.SCALE:
        data.update(scale_min=question.scale_min, scale_max=question.scale_max, label_low=question.label_low,
                    label_high=question.label_high, mean=None if tally.mean is None else round(tally.mean, 4))
    if question.kind == rules.MULTIPLE:
        data["max_choices"] = question.max_choices
    return data


async def list_surveys(request: Request) -> Response:
    now = utcnow()
    with session_scope() as session:
        counts = queries.response_counts(session)
        surveys = [_summary(s, counts.get(s.id, 0), now) for s in queries.run_surveys(session)]
    return JSONResponse({"surveys": surveys, "definitions": {
        "responses": "answer sheets received (one per person or per browser session, as the survey says)",
        "quarter": "calendar quarter (Europe/Athens) in which the survey opened"}})


async def survey_json(request: Request) -> Response:
    now = utcnow()
    with session_scope() as session:
        survey = queries.survey(session, request.path_params["survey_id"])
        if survey is None:
            return _not_found()
        total, tallies = queries.results(session, survey)
        data = _summary(survey, total, now)
        data["description"] = survey.description
        data["questions"] = [{"id": q.id, "position": q.position, "kind": q.kind, "prompt": q.prompt,
                              "required": q.required, "choices": rules.choice_list(q.choices)} for q, _ in tallies]
        data["results"] = [_result(q, t) for q, t in tallies] if survey.status == rules.PUBLISHED else None
    return JSONResponse(data)


def answer_value(question, value: str) -> str:
    """A stored value as a reader sees it: the choice's text, or the scale point."""
    if question.kind in (rules.SINGLE, rules.MULTIPLE):
        choices = rules.choice_list(question.choices)
        return choices[int(value)] if value.isdigit() and int(value) < len(choices) else value
    return value


async def answers_csv(request: Request) -> Response:
    survey_id = request.path_params["survey_id"]
    with session_scope() as session:
        survey = queries.survey(session, survey_id)
        if survey is None or survey.status != rules.PUBLISHED:
            return _not_found()
        by_id = {q.id: q for q in queries.questions(session, survey.id)}
        rows = [(a.response_id, q.position, q.kind, q.prompt, answer_value(q, a.value))
                for a in queries.answer_rows(session, survey.id) if (q := by_id.get(a.question_id)) is not None
                and (q.kind != rules.TEXT or queries.publishable_text(survey, a))]
    return csv_response(("response", "question", "kind", "prompt", "answer"), rows, f"survey-{survey_id}-answers.csv")


async def figures_csv(request: Request) -> Response:
    with session_scope() as session:
        rows = queries.figures_by_quarter(session)
    return csv_response(("quarter", "surveys_run", "answers"), rows, "surveys-by-quarter.csv")


async def surveys_csv(request: Request) -> Response:
    now = utcnow()
    with session_scope() as session:
        counts = queries.response_counts(session)
        rows = [(s["id"], s["title"], s["status"], s["quarter"], s["opened_at"], s["closes_at"], s["responses"])
                for s in (_summary(x, counts.get(x.id, 0), now) for x in queries.run_surveys(session))]
    return csv_response(("id", "title", "status", "quarter", "opened_at", "closes_at", "answers"), rows,
                        "surveys.csv")


# Every route is a public GET (open data); more specific paths before the survey's own.
routes = [Route(path, endpoint, methods=["GET"]) for path, endpoint in (
    ("/api/v1/surveys", list_surveys), ("/api/v1/surveys.csv", surveys_csv),
    ("/api/v1/surveys/figures.csv", figures_csv), ("/api/v1/surveys/{survey_id:int}", survey_json),
    ("/api/v1/surveys/{survey_id:int}/answers.csv", answers_csv))]

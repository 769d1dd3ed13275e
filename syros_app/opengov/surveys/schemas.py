"""Public routes of surveys and quick polls, for the OpenAPI document."""

from __future__ import annotations

from syros_app.api.operation import CSV, Answer, Operation


class SurveySummary(Answer):
    id: int
    title: str
    status: str
    mode: str  # once per verified resident, or anonymous (one per browser session)
    opened_at: str | None
    closes_at: str | None
    published_at: str | None
    quarter: str | None
    responses: int
    url: str
    results_url: str | None
    answers_csv_url: str | None


class SurveyList(Answer):
    surveys: list[SurveySummary]
    definitions: dict[str, str]


class SurveyQuestion(Answer):
    id: int
    position: int
    kind: str  # single | multiple | scale | text
    prompt: str
    required: bool
    choices: list[str]


class ResultRow(Answer):
    label: str
    count: int
    share: float


class QuestionResult(Answer):
    id: int
    position: int
    kind: str
    prompt: str
    required: bool
    answered: int
    rows: list[ResultRow] | None = None
    published_texts: list[str] | None = None  # short texts, only where the survey publishes them, after moderation
    scale_min: int | None = None
    scale_max: int | None = None
    label_low: str | None = None
    label_high: str | None = None
    mean: float | None = None
    max_choices: int | None = None


class SurveyDetail(SurveySummary):
    description: str
    questions: list[SurveyQuestion]
    results: list[QuestionResult] | None  # once published


OPERATIONS = [
    Operation("GET", "/api/v1/surveys", "api.op.surveys", "surveys", SurveyList),
    Operation("GET", "/api/v1/surveys.csv", "api.op.surveys_csv", "surveys", None, media_type=CSV),
    Operation("GET", "/api/v1/surveys/figures.csv", "api.op.surveys_figures", "surveys", None, media_type=CSV),
    Operation("GET", "/api/v1/surveys/{survey_id}", "api.op.survey", "surveys", SurveyDetail, errors=(404,)),
    Operation("GET", "/api/v1/surveys/{survey_id}/answers.csv", "api.op.survey_answers", "surveys", None,
              media_type=CSV, errors=(404,)),
]

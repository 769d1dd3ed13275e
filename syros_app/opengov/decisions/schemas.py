"""Public routes of decisions (open data), for OpenAPI."""

from __future__ import annotations

from syros_app.api.operation import CSV, Answer, Operation, Param
from syros_app.opengov.projects.schemas import FORMAT, LinkAnswer


class DecisionAnswer(Answer):
    ada: str
    subject: str
    issue_date: str
    decision_type: str
    document_url: str
    url: str
    linked: int
    links: list[LinkAnswer]


class DecisionsAnswer(Answer):
    source: str
    decisions: list[DecisionAnswer]


OPERATIONS = [
    Operation("GET", "/api/v1/decisions", "api.op.decisions", "decisions", DecisionsAnswer, also=(CSV,), params=(
        Param("q", description="Words of the subject (accents and case ignored)"),
        Param("type", description="Diavgeia decision type, e.g. 2.4.7.1"),
        Param("year", kind="integer", description="Year of issue"), FORMAT)),
]

"""Health and metrics routes, described for the OpenAPI document."""

from __future__ import annotations

from pydantic import ConfigDict

from syros_app.api.operation import TEXT, Answer, Operation


class Health(Answer):
    status: str


class Check(Answer):
    model_config = ConfigDict(extra="allow")  # each check adds its own figures (lag_seconds, current, head…)
    ok: bool


class Readiness(Answer):
    ready: bool
    checks: dict[str, Check | dict[str, Check]]


OPERATIONS = [
    Operation("GET", "/healthz", "api.op.healthz", "health", Health),
    Operation("GET", "/readyz", "api.op.readyz", "health", Readiness, extra_statuses={503: "Not ready (see checks)"}),
    Operation("GET", "/metrics", "api.op.metrics", "health", None, media_type=TEXT, errors=(403,)),
]

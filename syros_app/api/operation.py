"""The shape in which routes are described for the OpenAPI document: an ``Operation``
(method, path, parameters, the pydantic model of its answer) in each capability's
``schemas.OPERATIONS``. See ``api/openapi.py`` for the document built from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

JSON = "application/json"
CSV = "text/csv"
ATOM = "application/atom+xml"
PDF = "application/pdf"
ZIP = "application/zip"
TEXT = "text/plain"


class Answer(BaseModel):
    """Base of a response model: extra keys fail validation, so a new field must be described."""

    model_config = ConfigDict(extra="forbid")


class ErrorAnswer(Answer):
    error: str
    message: str


@dataclass(frozen=True)
class Param:
    name: str
    where: str = "query"  # query | path
    kind: str = "string"  # JSON Schema type
    description: str = ""
    enum: tuple[str, ...] = ()

    def openapi(self) -> dict:
        schema: dict = {"type": self.kind}
        if self.enum:
            schema["enum"] = list(self.enum)
        entry = {"name": self.name, "in": self.where, "required": self.where == "path", "schema": schema}
        if self.description:
            entry["description"] = self.description
        return entry


@dataclass(frozen=True)
class Operation:
    method: str  # GET, POST, DELETE
    path: str  # as routed, e.g. /api/v1/votes/{vote_id}
    key: str  # catalogue key of its one-line summary (the /developers reference shows it in Greek and English)
    tag: str
    response: type[BaseModel] | None = None  # JSON answer; None: ``media_type`` bytes
    media_type: str = JSON
    params: tuple[Param, ...] = ()
    request: type[BaseModel] | None = None  # JSON body
    errors: tuple[int, ...] = ()  # other statuses it answers with ``error_model`` (404, 400, 403…)
    error_model: type[BaseModel] = ErrorAnswer
    also: tuple[str, ...] = ()  # other media types of the same answer (Open311's XML)
    extra_statuses: dict[int, str] = field(default_factory=dict)  # e.g. {503: "not ready"}

    @property
    def operation_id(self) -> str:
        return self.key.rsplit(".", 1)[-1]

"""One OpenAPI 3.1 description of every public HTTP route, built from typed models.

Each capability lists its public operations in ``schemas.OPERATIONS``: method, path,
parameters and the pydantic model of the answer. The description at
``/api/v1/openapi.json`` is generated from those models, and a test fetches every
public answer of the demo app and validates it against them, and checks that every
public route is described — so the description cannot drift from the code.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from syros_app.core.i18n import translate

from .operation import ATOM, CSV, JSON, TEXT, ErrorAnswer, Operation, Param  # noqa: F401 - re-exported

API_VERSION = "1.0.0"
REF = "#/components/schemas/{model}"


def _path_params(op: Operation) -> list[Param]:
    declared = {p.name for p in op.params}
    found = re.findall(r"{(\w+)}", op.path)
    return [Param(name, "path", "integer" if name.endswith("_id") else "string") for name in found
            if name not in declared]


def _content(model: type[BaseModel] | None, media_type: str) -> dict:
    if model is not None:
        return {media_type: {"schema": {"$ref": REF.format(model=model.__name__)}}}
    if media_type == JSON:
        return {media_type: {"schema": {"type": "object"}}}
    schema = {"type": "string"} if media_type in (CSV, ATOM, TEXT) else {"type": "string",
                                                                         "contentMediaType": media_type}
    return {media_type: {"schema": schema}}


def _operation(op: Operation, lang: str) -> dict:
    content = _content(op.response, op.media_type)
    for media_type in op.also:
        content |= _content(None, media_type)
    responses: dict = {"200": {"description": "OK", "content": content}}
    if op.method == "GET":
        responses["304"] = {"description": "Not modified (If-None-Match named the current ETag)"}
    for status in op.errors:
        responses[str(status)] = {"description": "Refused, with a translated message",
                                  "content": _content(op.error_model, JSON)}
    for status, text in op.extra_statuses.items():
        responses[str(status)] = {"description": text, "content": _content(op.response, op.media_type)}
    entry: dict = {"operationId": op.operation_id, "summary": translate(op.key, lang), "tags": [op.tag],
                   "responses": responses}
    params = [*_path_params(op), *op.params]
    if params:
        entry["parameters"] = [p.openapi() for p in params]
    if op.request is not None:
        entry["requestBody"] = {"required": True, "content": _content(op.request, JSON)}
    return entry


def operations() -> list[Operation]:
    from syros_app.capabilities import load_all
    from syros_app.ops.schemas import OPERATIONS as OPS

    from .schemas import OPERATIONS as CORE

    return [*CORE, *OPS, *(op for module in load_all("schemas") for op in module.OPERATIONS)]


def models_of(ops: list[Operation]) -> list[type[BaseModel]]:
    seen: dict[str, type[BaseModel]] = {"ErrorAnswer": ErrorAnswer}
    for op in ops:
        for model in (op.response, op.request, op.error_model):
            if model is not None:
                assert seen.setdefault(model.__name__, model) is model, f"two models named {model.__name__}"
    return list(seen.values())


@cache
def document(lang: str = "en", server: str = "") -> dict:
    from syros_app.core.settings import get_settings

    ops = operations()
    _, schemas = models_json_schema([(m, "serialization") for m in models_of(ops)], ref_template=REF)
    paths: dict = {}
    for op in ops:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, lang)
    return {
        "openapi": "3.1.0",
        "info": {"title": translate("api.title", lang), "version": API_VERSION,
                 "description": translate("api.description", lang),
                 "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"}},
        "servers": [{"url": (server or get_settings().public_url).rstrip("/")}],
        "tags": [{"name": t} for t in dict.fromkeys(op.tag for op in ops)],
        "paths": paths,
        "components": {"schemas": schemas.get("$defs", {})},
    }

"""The platform-wide public routes, described for the OpenAPI document."""

from __future__ import annotations

from .operation import Answer, Operation, Param


class ApiIndex(Answer):
    name: str
    municipality: str
    base_url: str
    capabilities: list[str]


OPERATIONS = [
    Operation("GET", "/api/v1/", "api.op.api_index", "platform", ApiIndex),
    Operation("GET", "/api/v1/openapi.json", "api.op.openapi", "platform", None,
              params=(Param("lang", enum=("el", "en"), description="Language of the summaries (default en)"),)),
]

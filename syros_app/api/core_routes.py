"""Platform-wide routes: a machine-readable index of the open data API and its OpenAPI description."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from syros_app.core.settings import get_settings


async def api_index(request: Request) -> JSONResponse:
    from syros_app.core import registry

    settings = get_settings()
    return JSONResponse(
        {
            "name": "Syros Agora",
            "municipality": "Δήμος Σύρου-Ερμούπολης",
            "base_url": settings.public_url,
            "capabilities": [cap.name for cap in registry.capabilities()],
        }
    )


async def openapi_json(request: Request) -> JSONResponse:
    from syros_app.core.i18n import normalise_language

    from .openapi import document

    return JSONResponse(document(normalise_language(request.query_params.get("lang") or "en")))


routes = [Route("/api/v1/", api_index, methods=["GET"]), Route("/api/v1/openapi.json", openapi_json, methods=["GET"])]

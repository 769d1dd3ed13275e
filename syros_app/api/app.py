"""The one Starlette application that carries every HTTP route of the platform."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from .caching import StaticCacheHeadersMiddleware
from .core_routes import routes as core_routes

ROUTE_GROUPS: list[list[BaseRoute]] = [core_routes]


def create_api() -> Starlette:
    routes: list[BaseRoute] = [route for group in ROUTE_GROUPS for route in group]
    return Starlette(routes=routes, middleware=[Middleware(StaticCacheHeadersMiddleware)])

"""The one Starlette application that carries every HTTP route of the platform."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from .caching import StaticCacheHeadersMiddleware
from .conditional import ConditionalGetMiddleware
from .core_routes import routes as core_routes
from .route_preload import RoutePreloadMiddleware


def create_api() -> Starlette:
    from syros_app.capabilities import api_routes
    from syros_app.ops import ops_middleware, ops_routes

    routes: list[BaseRoute] = [*core_routes, *ops_routes(), *api_routes()]
    return Starlette(routes=routes, middleware=[*ops_middleware(routes), Middleware(StaticCacheHeadersMiddleware),
                                                Middleware(ConditionalGetMiddleware), Middleware(RoutePreloadMiddleware)])

"""What every capability's HTTP routes share: the reader's language, a refusal answered as
a translated JSON error with its status, and a route table filled beside the handlers.

A capability writes ``routes = RouteTable()`` and decorates each handler with
``@routes.get(path)`` (or ``routes.add(path, "POST")``); :func:`refusals_as_errors` turns
an ``AgoraError`` raised anywhere in a handler into 404 (not found), 403 (not allowed) or
400 (anything else), in the reader's language.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.core.errors import AgoraError, NotFound, PermissionDenied
from syros_app.core.i18n import normalise_language

Handler = Callable[[Request], Awaitable[Response]]


def request_language(request: Request) -> str:
    """``?lang=`` first, then the language cookie, then Greek."""
    return normalise_language(request.query_params.get("lang") or request.cookies.get("syros_lang"))


def error_response(exc: AgoraError, lang: str) -> JSONResponse:
    status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 400
    return JSONResponse({"error": exc.key, "message": exc.message(lang)}, status_code=status)


def refusals_as_errors(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def answering(request: Request) -> Response:
        try:
            return await handler(request)
        except AgoraError as exc:
            return error_response(exc, request_language(request))

    return answering


class RouteTable(list):
    """A capability's Starlette routes (a list, as the registry expects)."""

    def add(self, path: str, *methods: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.append(Route(path, handler, methods=list(methods)))
            return handler

        return register

    def get(self, path: str) -> Callable[[Handler], Handler]:
        return self.add(path, "GET")

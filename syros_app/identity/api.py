"""HTTP routes of identity: the gov.gr login round trip, logout, and "download my data".

The callback is the only place a login session is created. Any failure
(forged or missing ``state``, a refused or replayed code, a provider error,
an unreadable userinfo) leads to ``/login-error?reason=…`` and no session.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import LANGUAGE_COOKIE, normalise_language, translate
from syros_app.core.settings import get_settings

from . import actions, govgr, queries, stand_in
from .sessions import SESSION_COOKIE, resolve_token

log = logging.getLogger(__name__)


def _set_session_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(SESSION_COOKIE, token, max_age=settings.session_absolute_hours * 3600, path="/",
                        httponly=True, samesite="lax", secure=settings.cookie_secure)


def _clear_state_cookie(response: Response) -> None:
    settings = get_settings()
    response.delete_cookie(govgr.STATE_COOKIE, path=govgr.STATE_COOKIE_PATH, httponly=True, samesite="lax",
                           secure=settings.cookie_secure)


def _failure(reason: str) -> Response:
    reason = reason if reason in govgr.LOGIN_ERROR_REASONS else "provider"
    response = RedirectResponse("/login-error?" + urlencode({"reason": reason}), status_code=303)
    _clear_state_cookie(response)
    response.headers["Cache-Control"] = "no-store"
    return response


async def login(request: Request) -> Response:
    """Send the browser to gov.gr with a fresh ``state`` remembered in a signed cookie."""
    settings = get_settings()
    next_path = govgr.safe_next(request.query_params.get("next"))
    url, state = govgr.authorization_url(settings)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(govgr.STATE_COOKIE, govgr.sign_state(state, next_path, settings=settings),
                        max_age=govgr.STATE_TTL_SECONDS, path=govgr.STATE_COOKIE_PATH, httponly=True,
                        samesite="lax", secure=settings.cookie_secure)
    response.headers["Cache-Control"] = "no-store"
    return response


async def callback(request: Request) -> Response:
    params = request.query_params
    try:
        next_path = govgr.check_state(request.cookies.get(govgr.STATE_COOKIE), params.get("state"))
        if params.get("error"):
            raise govgr.GovgrError("denied", str(params.get("error"))[:40])
        code = params.get("code")
        if not code:
            raise govgr.GovgrError("provider", "no code")
        profile = await govgr.fetch_profile(code)
        with session_scope() as session:
            _person, token = actions.login_person(session, actor=None, profile=profile,
                                                  previous_token=request.cookies.get(SESSION_COOKIE))
    except govgr.GovgrError as exc:
        log.warning("gov.gr login refused: %s", exc.reason)
        return _failure(exc.reason)
    except AgoraError as exc:
        log.warning("gov.gr login refused: %s", exc.key)
        return _failure("invalid_person")
    response = RedirectResponse(next_path, status_code=303)
    _set_session_cookie(response, token)
    _clear_state_cookie(response)
    response.headers["Cache-Control"] = "no-store"
    return response


async def logout(request: Request) -> Response:
    """End our session, then let gov.gr end its own (a shared phone asks for the password again)."""
    settings = get_settings()
    with session_scope() as session:
        actions.log_out(session, actor=None, token=request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(govgr.logout_url(settings), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.cookie_secure)
    response.headers["Cache-Control"] = "no-store"
    return response


async def export_me(request: Request) -> Response:
    """Everything we hold about the logged-in person, as a JSON download."""
    lang = normalise_language(request.cookies.get(LANGUAGE_COOKIE))
    with session_scope() as session:
        actor = resolve_token(session, request.cookies.get(SESSION_COOKIE))
        if actor is None:
            return JSONResponse({"error": translate("identity.errors.login_required", lang)}, status_code=401,
                                headers={"Cache-Control": "no-store"})
        data = queries.export_my_data(session, actor=actor)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="syros-agora-my-data.json"',
        "Cache-Control": "no-store",
    })


routes = [
    Route("/auth/login", login, methods=["GET"]),
    Route("/auth/callback", callback, methods=["GET"]),
    Route("/auth/logout", logout, methods=["GET"]),
    Route("/api/v1/me/export", export_me, methods=["GET"]),
    *stand_in.routes,
]

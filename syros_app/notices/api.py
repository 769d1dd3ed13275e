"""HTTP routes of notices: the VAPID key, push subscriptions, Atom feeds,
one-click unsubscribe (RFC 8058). Thin: each delegates to an action or query."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError, InvalidInput
from syros_app.core.i18n import normalise_language
from syros_app.core.settings import get_settings

from . import actions, queries, rules
from .feeds import atom_feed
from .vapid import vapid_public_key

MAX_BODY = 16 * 1024


def _lang(request: Request) -> str:
    return normalise_language(request.cookies.get("syros_lang"))


def _error(exc: AgoraError, request: Request, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": exc.key, "message": exc.message(_lang(request))}, status_code=status)


async def vapid_key(request: Request) -> Response:
    return JSONResponse({"publicKey": vapid_public_key()}, headers={"Cache-Control": "public, max-age=3600"})


async def _json(request: Request) -> dict:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise InvalidInput("notices.errors.bad_push_subscription")
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise InvalidInput("notices.errors.bad_push_subscription") from None
    if not isinstance(data, dict):
        raise InvalidInput("notices.errors.bad_push_subscription")
    return data


def _actor(request: Request):
    from syros_app.identity.sessions import resolve_cookie_header

    with session_scope() as session:
        return resolve_cookie_header(session, request.headers.get("cookie", ""))


async def push_subscriptions(request: Request) -> Response:
    """POST stores this device's subscription and choices; DELETE removes it (no login: the
    endpoint, secret to the device, is the proof)."""
    try:
        data = await _json(request)
        sub = data.get("subscription") if isinstance(data.get("subscription"), dict) else data
        endpoint = str(sub.get("endpoint") or "")
        if request.method == "DELETE":
            with session_scope() as session:
                removed = actions.remove_push_subscription(session, actor=None, endpoint=endpoint)
            return JSONResponse({"removed": removed})
        keys = sub.get("keys") if isinstance(sub.get("keys"), dict) else {}
        categories = data.get("categories") if isinstance(data.get("categories"), list) else []
        areas = data.get("areas") if isinstance(data.get("areas"), list) else []
        actor = _actor(request)
        with session_scope() as session:
            saved = actions.save_push_subscription(
                session, actor=actor, endpoint=endpoint, p256dh=str(keys.get("p256dh") or ""),
                auth=str(keys.get("auth") or ""), categories=[str(c) for c in categories],
                areas=[str(a) for a in areas], lang=str(data.get("lang") or _lang(request)))
            body = {"id": saved.id, "categories": rules.split(saved.categories), "areas": rules.split(saved.areas)}
        return JSONResponse(body, status_code=201)
    except AgoraError as exc:
        return _error(exc, request)


async def push_subscription_status(request: Request) -> Response:
    """POST {endpoint}: what this device receives (the endpoint is the device's secret)."""
    try:
        data = await _json(request)
    except AgoraError as exc:
        return _error(exc, request)
    with session_scope() as session:
        sub = queries.push_subscription(session, str(data.get("endpoint") or ""))
        if sub is None:
            return JSONResponse({"subscribed": False})
        return JSONResponse({"subscribed": True, "categories": rules.split(sub.categories),
                             "areas": rules.split(sub.areas)})


async def feed(request: Request) -> Response:
    category = request.path_params.get("category")
    if category is not None and category not in rules.CATEGORIES:
        return Response("unknown category", status_code=404, media_type="text/plain")
    with session_scope() as session:
        notices = queries.published_notices(session, category=category, limit=50)
        body = atom_feed(notices, base_url=get_settings().public_url, category=category)
    return Response(body, media_type="application/atom+xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=300"})


async def one_click_unsubscribe(request: Request) -> Response:
    """RFC 8058: mail clients POST here from the List-Unsubscribe header."""
    try:
        with session_scope() as session:
            removed = actions.unsubscribe(session, actor=None, token=request.query_params.get("token", ""))
    except AgoraError as exc:
        return _error(exc, request)
    return JSONResponse({"removed": removed})


routes = [
    Route("/api/v1/push/vapid-public-key", vapid_key, methods=["GET"]),
    Route("/api/v1/push/subscriptions", push_subscriptions, methods=["POST", "DELETE"]),
    Route("/api/v1/push/subscription-status", push_subscription_status, methods=["POST"]),
    Route("/api/v1/notices.atom", feed, methods=["GET"]),
    Route("/api/v1/notices/{category}.atom", feed, methods=["GET"]),
    Route("/api/v1/notices/unsubscribe", one_click_unsubscribe, methods=["POST"]),
]

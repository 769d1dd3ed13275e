"""Preload a dynamic page's code in the HTML that opens it.

Static pages are pre-rendered with ``<link rel="modulepreload">`` for their own
code. A dynamic page (``/consultations/12``) is served the single-page
fallback, which knows only the shell: the browser discovers the page's code
after hydration, two round trips later — on a phone network that alone costs
the LCP target. This middleware serves that fallback with the matched route's
module and imports preloaded, read from React Router's build manifest.

A capability may also give a dynamic page a *preview*: plain, escaped HTML of
the page's main text, put at the top of the body (its ``preview`` module,
``PREVIEWS = {path regex: render(match, lang) -> html}``). A reader on a slow
phone network reads it while the app's code loads; it is removed once the app
has drawn a page itself (``#main h1``; the stylesheet hides it at that moment
too). React skips unexpected tags at the top of the body when it hydrates, so it
stays untouched until then.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from syros_app.core.i18n import LANGUAGE_COOKIE


class PageNotFound(Exception):
    """Raised by a preview when the page's item does not exist: the app's shell is still
    sent (it says "not found" in the reader's language) but with status 404, so search
    engines, link checkers and scripts are not told a missing page exists."""


def missing(session, model, raw_id: str) -> bool:
    """Whether no row of ``model`` has this id (an id beyond 64 bits names none)."""
    from syros_app.core.actions import MAX_ID

    row_id = int(raw_id)
    return row_id > MAX_ID or session.get(model, row_id) is None


@dataclass(frozen=True)
class DynamicRoute:
    pattern: re.Pattern
    modules: tuple[str, ...]


def _static_dir() -> Path | None:
    try:
        from reflex.utils import prerequisites
        from reflex_base import constants

        path = prerequisites.get_web_dir() / constants.Dirs.STATIC
    except Exception:  # noqa: BLE001 - no build available (development, tests)
        return None
    return path if path.is_dir() else None


def parse_manifest(text: str) -> list[DynamicRoute]:
    """Dynamic routes of a ``window.__reactRouterManifest=…`` file, most specific first."""
    manifest = json.loads(text[text.index("{") : text.rindex("}") + 1])
    routes = []
    for route in manifest.get("routes", {}).values():
        path = route.get("path") or ""
        if ":" not in path:
            continue
        regex = "^/" + "/".join(
            "[^/]+" if part.startswith(":") else re.escape(part) for part in path.strip("/").split("/")
        ) + "/?$"
        modules = (route["module"], *route.get("imports", []))
        routes.append(DynamicRoute(re.compile(regex), modules))
    return sorted(routes, key=lambda r: -len(r.pattern.pattern))


log = logging.getLogger(__name__)


# Removes the preview once the app has drawn a page (any page: after a client-side
# navigation a hidden preview must not come back on a page still loading).
_PREVIEW_REMOVER = (
    "<script>(function(){var p=document.getElementById('page-preview');if(!p)return;"
    "var o=new MutationObserver(function(){if(document.querySelector('#main h1')){p.remove();o.disconnect();}});"
    "o.observe(document.documentElement,{childList:true,subtree:true});})();</script>"
)


def preview_block(title: str, *blocks: tuple[str, ...]) -> str:
    """A preview fragment: ``title`` as the page's h1, then each ``(css class, text)``
    block, or ``(css class, text, heading)`` as a section under an h2. The page's own
    classes make it look like the page. All text is escaped here: pass plain text."""
    def block(css: str, text: str, heading: str = "") -> str:
        inner = f'<div class="{css}">{escape(text)}</div>'
        return f"<section><h2>{escape(heading)}</h2>{inner}</section>" if heading else inner

    body = "".join(block(*b) for b in blocks if b[1] or b[2:])
    return f'<div id="page-preview" class="page-preview site-main"><h1 class="page-title">{escape(title)}</h1>{body}</div>'


def inject_preview(html: str, fragment: str) -> str:
    """``fragment`` (one element with id ``page-preview``) first in the body, with its remover."""
    return re.sub(r"<body[^>]*>", lambda m: m.group(0) + fragment + _PREVIEW_REMOVER, html, count=1)


def _reader_language(headers: dict) -> str | None:
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANGUAGE_COOKIE and value in ("el", "en"):
            return value
    return None


@lru_cache(maxsize=1)
def _previews() -> list[tuple[re.Pattern, object]]:
    from syros_app.capabilities import page_previews

    return [(re.compile(pattern), render) for pattern, render in page_previews()]


async def _preview(path: str, headers: dict) -> str:
    """The page's preview fragment, or "" (none for this path, or it failed: the page works
    without); ``PageNotFound`` passes through."""
    for pattern, render in _previews():
        match = pattern.match(path)
        if match:
            try:
                return await asyncio.to_thread(render, match, _reader_language(headers))
            except PageNotFound:
                raise
            except Exception:  # noqa: BLE001 - a preview is an extra; never break the page for it
                log.exception("preview of %s failed", path)
                return ""
    return ""


def inject_preloads(html: str, modules: tuple[str, ...]) -> str:
    links = "".join(f'<link rel="modulepreload" href="{m}"/>' for m in modules if f'href="{m}"' not in html)
    return html.replace("</head>", links + "</head>", 1)


@lru_cache(maxsize=1)
def _load(static_dir: str) -> tuple[list[DynamicRoute], str] | None:
    root = Path(static_dir)
    manifests = sorted((root / "assets").glob("manifest-*.js"))
    fallback = root / "__spa-fallback.html"
    if not manifests or not fallback.exists():
        return None
    return parse_manifest(manifests[-1].read_text()), fallback.read_text()


class RoutePreloadMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._cache: dict[tuple[str, bool], bytes] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.startswith(("/api/", "/auth/", "/_", "/assets/", "/open311/", "/govgr-stand-in/")) or "." in path.rsplit("/", 1)[-1]:
            await self.app(scope, receive, send)
            return
        static_dir = _static_dir()
        loaded = _load(str(static_dir)) if static_dir else None
        route = next((r for r in loaded[0] if r.pattern.match(path)), None) if loaded else None
        if route is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        use_gzip = b"gzip" in headers.get(b"accept-encoding", b"")
        key = (route.pattern.pattern, use_gzip)
        status = 200
        try:
            fragment = await _preview(path, headers)
        except PageNotFound:
            fragment, status = "", 404
        body = None if fragment else self._cache.get(key)
        if body is None:
            html = inject_preloads(loaded[1], route.modules)
            html = (inject_preview(html, fragment) if fragment else html).encode()
            body = gzip.compress(html, 6) if use_gzip else html
            if not fragment:
                self._cache[key] = body
        response_headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-cache"),
            (b"vary", b"Accept-Encoding"),
        ]
        if use_gzip:
            response_headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})

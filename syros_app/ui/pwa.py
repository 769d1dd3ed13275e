"""Head tags that make the app an installable PWA, and service-worker registration.

The registration runs directly (not on ``window.load``): Reflex inserts scripts
after hydration, when the load event has already fired.
"""

from __future__ import annotations

from pathlib import Path

import reflex as rx

ASSETS = Path(__file__).resolve().parents[2] / "assets"

THEME_COLOR = "#0b4f82"

# Before hydration: the document language follows the reader's choice (cookie),
# so screen readers pronounce the page right from the first word.
SET_DOCUMENT_LANGUAGE = (
    "(function () { var m = document.cookie.match(/(?:^|; )syros_lang=(el|en)(?:;|$)/);"
    " if (m) document.documentElement.lang = m[1]; })();"
)

REGISTER_SERVICE_WORKER = (
    "if ('serviceWorker' in navigator) {"
    " navigator.serviceWorker.register('/sw.js', {scope: '/'}).catch(function (e) {"
    " console.warn('service worker registration failed', e); }); }"
)


def head_components() -> list[rx.Component]:
    return [
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content=THEME_COLOR),
        rx.el.link(rel="icon", href="/icons/mark.svg", type="image/svg+xml"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-title", content="Αγορά Σύρου"),
        rx.script(SET_DOCUMENT_LANGUAGE),
        rx.script(REGISTER_SERVICE_WORKER),
        # focus after page changes and actions, drafts kept on the device (assets/agora.js)
        rx.el.script(src="/agora.js", defer=True),
    ]


def stylesheets() -> list[str]:
    """The shared stylesheet, then one per capability (``assets/css/<capability>.css``)."""
    return ["/agora.css", *(f"/css/{p.name}" for p in sorted((ASSETS / "css").glob("*.css")))]

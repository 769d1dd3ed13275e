"""Head tags that make the app an installable PWA; /agora.js registers the service worker.

The registration runs directly (not on ``window.load``), as soon as the deferred
script runs.
"""

from __future__ import annotations

from pathlib import Path

import reflex as rx

from syros_app.core.i18n import translate
from syros_app.core.settings import get_settings

ASSETS = Path(__file__).resolve().parents[2] / "assets"

THEME_COLOR = "#0b4f82"

# The document language (from the reader's cookie, before hydration) and the service
# worker are set up by /agora.js, an external file: the Content-Security-Policy
# (ops/hardening.py) allows the app's own files but no inline script it has not
# hashed, and scripts React inserts after hydration are never in the hashed HTML.


def head_components() -> list[rx.Component]:
    return [
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content=THEME_COLOR),
        rx.el.link(rel="icon", href="/icons/mark.svg", type="image/svg+xml"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-title", content=translate("app.name", get_settings().default_language)),
        # language, service worker, focus after page changes and actions, drafts (assets/agora.js)
        rx.el.script(src="/agora.js", defer=True),
    ]


def stylesheets() -> list[str]:
    """The shared stylesheet, then one per capability (``assets/css/<capability>.css``)."""
    return ["/agora.css", *(f"/css/{p.name}" for p in sorted((ASSETS / "css").glob("*.css")))]

"""Head tags that make the app an installable PWA, and service-worker registration.

The registration (assets/js/register-sw.js) runs directly, not on ``window.load``:
Reflex inserts scripts after hydration, when the load event has already fired.
"""

from __future__ import annotations

from pathlib import Path

import reflex as rx

ASSETS = Path(__file__).resolve().parents[2] / "assets"

THEME_COLOR = "#0b4f82"

# Our own scripts are files (assets/js/), never inline: the Content-Security-Policy
# allows no inline script but Reflex's own (by hash).
LANGUAGE_SCRIPT = "/js/language.js"  # the document language from the reader's choice
SERVICE_WORKER_SCRIPT = "/js/register-sw.js"


def head_components() -> list[rx.Component]:
    return [
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content=THEME_COLOR),
        rx.el.link(rel="icon", href="/icons/mark.svg", type="image/svg+xml"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-title", content="Αγορά Σύρου"),
        rx.script(src=LANGUAGE_SCRIPT),
        rx.script(src=SERVICE_WORKER_SCRIPT),
    ]


def stylesheets() -> list[str]:
    """The shared stylesheet, then one per capability (``assets/css/<capability>.css``)."""
    return ["/agora.css", *(f"/css/{p.name}" for p in sorted((ASSETS / "css").glob("*.css")))]

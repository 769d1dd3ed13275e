"""The list of capabilities the app is made of, imported once at start-up.

Each capability package registers its navigation and home-page provider when
imported, and may have these modules, found by name: ``models`` (tables),
``pages`` (``add_pages(app, site_title=…)``), ``api`` (``routes``: Starlette
routes), ``preview`` (``PREVIEWS``: first-paint HTML of dynamic pages, see
``api.route_preload``), ``cli`` (commands), ``demo`` (demo-data loaders).
"""

from __future__ import annotations

import importlib

# Order matters only for navigation: identity first, the others after it.
CAPABILITY_PACKAGES: list[str] = [
    "syros_app.identity",
    "syros_app.consultations",
    "syros_app.voting",
    "syros_app.notices",
    "syros_app.reports",
]


def _modules():
    return [importlib.import_module(name) for name in CAPABILITY_PACKAGES]


def _optional(package: str, name: str):
    try:
        return importlib.import_module(f"{package}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.{name}":
            raise
        return None


def api_routes() -> list:
    """Every capability's HTTP routes (its ``api`` module's ``routes`` list)."""
    routes: list = []
    for package in CAPABILITY_PACKAGES:
        module = _optional(package, "api")
        if module is not None:
            routes.extend(module.routes)
    return routes


def page_previews() -> list:
    """Every capability's ``(path regex, render)`` pairs of its ``preview`` module."""
    previews: list = []
    for package in CAPABILITY_PACKAGES:
        module = _optional(package, "preview")
        if module is not None:
            previews.extend(module.PREVIEWS.items())
    return previews


def role_matrices_markdown() -> str:
    """Every capability's role matrix (its ``permissions.MATRIX``) as Markdown tables."""
    from syros_app.core.actions import matrices_markdown

    for package in CAPABILITY_PACKAGES:
        _optional(package, "permissions")
    return matrices_markdown()


def add_pages(app, *, site_title: str) -> None:
    for package in CAPABILITY_PACKAGES:
        pages = _optional(package, "pages")
        if pages is not None:
            pages.add_pages(app, site_title=site_title)


_modules()

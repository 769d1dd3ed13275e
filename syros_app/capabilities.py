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
    "syros_app.applications",
    "syros_app.opengov.proposals",
    "syros_app.opengov.events",
    "syros_app.opengov.surveys",
    "syros_app.opengov.projects",
    "syros_app.opengov.decisions",
    "syros_app.opendata",  # last: its demo export gathers the others' demo data
]


def load_all(module_name: str) -> list:
    """Import every capability's ``module_name`` module that exists (cli, demo, …); return them."""
    return _each(module_name)


def _modules():
    return [importlib.import_module(name) for name in CAPABILITY_PACKAGES]


def optional_module(package: str, name: str):
    """``package.name`` if the capability has such a module, else None (other import errors raise)."""
    try:
        return importlib.import_module(f"{package}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.{name}":
            raise
        return None


def _each(module_name: str) -> list:
    return [m for m in (optional_module(p, module_name) for p in CAPABILITY_PACKAGES) if m is not None]


def api_routes() -> list:
    """Every capability's HTTP routes (its ``api`` module's ``routes`` list)."""
    return [route for module in _each("api") for route in module.routes]


def page_previews() -> list:
    """Every capability's ``(path regex, render)`` pairs of its ``preview`` module."""
    return [pair for module in _each("preview") for pair in module.PREVIEWS.items()]


def role_matrices_markdown() -> str:
    """Every capability's role matrix (its ``permissions.MATRIX``) as Markdown tables."""
    from syros_app.core.actions import matrices_markdown

    _each("permissions")
    return matrices_markdown()


def add_pages(app, *, site_title: str) -> None:
    for pages in _each("pages"):
        pages.add_pages(app, site_title=site_title)


_modules()

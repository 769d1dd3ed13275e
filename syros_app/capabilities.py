"""The list of capabilities the app is made of, imported once at start-up.

Each capability package registers its navigation and home-page provider when
imported, and may expose ``add_pages(app, site_title)`` for its pages.
"""

from __future__ import annotations

import importlib

CAPABILITY_PACKAGES: list[str] = []


def _modules():
    return [importlib.import_module(name) for name in CAPABILITY_PACKAGES]


def add_pages(app, *, site_title: str) -> None:
    for module in _modules():
        pages = importlib.import_module(module.__name__ + ".pages")
        pages.add_pages(app, site_title=site_title)


_modules()

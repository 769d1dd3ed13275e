"""Static information pages: accessibility statement and privacy notice."""

from __future__ import annotations

import reflex as rx

from ..i18n import t
from ..layout import page_shell, page_title


def _prose(keys: str) -> rx.Component:
    """``keys``: catalogue keys in reading order, the first the title; ``#`` marks a heading."""
    title, *rest = keys.split()
    elements = [rx.el.h2(t(key[1:])) if key.startswith("#") else rx.el.p(t(key)) for key in rest]
    return page_shell(rx.el.article(page_title(title), *elements, class_name="prose"))


def accessibility_page() -> rx.Component:
    return _prose("accessibility.title accessibility.p1 #accessibility.status_title accessibility.p2 "
                  "#accessibility.limits_title accessibility.p3 #accessibility.feedback_title accessibility.p4 "
                  "accessibility.date")


def privacy_page() -> rx.Component:
    return _prose("privacy.title privacy.p1 #privacy.what_title privacy.p2 #privacy.why_title privacy.p3 "
                  "#privacy.rights_title privacy.p4 #privacy.cookies_title privacy.p5")

"""Static information pages: accessibility statement and privacy notice."""

from __future__ import annotations

import reflex as rx

from ..i18n import t
from ..layout import page_shell, page_title


def _prose(title_key: str, blocks: list[tuple[str, str]]) -> rx.Component:
    """``blocks`` are ("h2"|"p", key) pairs rendered in order."""
    elements = [rx.el.h2(t(key)) if tag == "h2" else rx.el.p(t(key)) for tag, key in blocks]
    return page_shell(rx.el.article(page_title(title_key), *elements, class_name="prose"))


def accessibility_page() -> rx.Component:
    return _prose(
        "accessibility.title",
        [
            ("p", "accessibility.p1"),
            ("h2", "accessibility.status_title"),
            ("p", "accessibility.p2"),
            ("h2", "accessibility.limits_title"),
            ("p", "accessibility.p3"),
            ("h2", "accessibility.feedback_title"),
            ("p", "accessibility.p4"),
            ("p", "accessibility.date"),
        ],
    )


def privacy_page() -> rx.Component:
    return _prose(
        "privacy.title",
        [
            ("p", "privacy.p1"),
            ("h2", "privacy.what_title"),
            ("p", "privacy.p2"),
            ("h2", "privacy.why_title"),
            ("p", "privacy.p3"),
            ("h2", "privacy.rights_title"),
            ("p", "privacy.p4"),
            ("h2", "privacy.cookies_title"),
            ("p", "privacy.p5"),
        ],
    )

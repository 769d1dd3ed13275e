"""Static information pages: accessibility statement, privacy notice, open data for developers."""

from __future__ import annotations

import reflex as rx

from ..i18n import t
from ..layout import page_shell, page_title


def _block(key: str) -> rx.Component:
    """``#key`` a heading (its id is the key's last part, for links), ``$key`` code, else a paragraph."""
    if key.startswith("#"):
        return rx.el.h2(t(key[1:]), id=key.rsplit(".", 1)[-1].replace("_", "-"))
    if key.startswith("$"):
        return rx.el.pre(rx.el.code(t(key[1:])), tab_index=0)
    return rx.el.p(t(key))


def _prose(keys: str) -> rx.Component:
    """``keys``: catalogue keys in reading order, the first the title; ``#`` marks a heading."""
    title, *rest = keys.split()
    elements = [_block(key) for key in rest]
    return page_shell(rx.el.article(page_title(title), *elements, class_name="prose"))


def accessibility_page() -> rx.Component:
    return _prose("accessibility.title accessibility.p1 #accessibility.status_title accessibility.p2 "
                  "#accessibility.limits_title accessibility.p3 #accessibility.feedback_title accessibility.p4 "
                  "accessibility.date")


def privacy_page() -> rx.Component:
    return _prose("privacy.title privacy.p1 #privacy.what_title privacy.p2 #privacy.why_title privacy.p3 "
                  "#privacy.rights_title privacy.p4 #privacy.cookies_title privacy.p5")


def developers_page() -> rx.Component:
    return _prose("developers.title developers.intro #developers.open_data developers.open_data_text "
                  "$developers.curl_example $developers.python_example #developers.conditional "
                  "developers.conditional_text #developers.open311_keys developers.open311_text "
                  "#developers.licence developers.licence_text")

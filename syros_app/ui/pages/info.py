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


def _prose(keys: str, *extra: rx.Component) -> rx.Component:
    """``keys``: catalogue keys in reading order, the first the title; ``#`` marks a heading."""
    title, *rest = keys.split()
    elements = [_block(key) for key in rest]
    return page_shell(rx.el.article(page_title(title), *elements, *extra, class_name="prose"))


def accessibility_page() -> rx.Component:
    return _prose("accessibility.title accessibility.p1 #accessibility.status_title accessibility.p2 "
                  "#accessibility.limits_title accessibility.p3 #accessibility.feedback_title accessibility.p4 "
                  "accessibility.date")


def privacy_page() -> rx.Component:
    return _prose("privacy.title privacy.p1 #privacy.what_title privacy.p2 #privacy.why_title privacy.p3 "
                  "#privacy.rights_title privacy.p4 #privacy.cookies_title privacy.p5")


def developers_page() -> rx.Component:
    return _prose("developers.title developers.intro #developers.open_data developers.open_data_text "
                  "$developers.curl_example $developers.python_example #developers.datasets "
                  "developers.datasets_text $developers.datasets_example #developers.conditional "
                  "developers.conditional_text #developers.open311_keys developers.open311_text "
                  "#developers.licence developers.licence_text", api_reference())


def _example(path: str) -> rx.Component:
    from syros_app.core.settings import get_settings

    url = get_settings().public_url.rstrip("/") + path
    python = f'import httpx\n\ndata = httpx.get("{url}").json()'
    return rx.el.div(rx.el.pre(rx.el.code(f"curl -s {url}"), tab_index=0),
                     rx.el.pre(rx.el.code(python), tab_index=0), class_name="api-examples")


def api_reference() -> rx.Component:
    """Every public operation of the OpenAPI description, by group, with an example per group
    (built from the same operations as ``/api/v1/openapi.json``, so the page cannot drift either)."""
    from syros_app.api.openapi import JSON, operations

    groups: dict[str, list] = {}
    for op in operations():
        groups.setdefault(op.tag, []).append(op)
    sections = []
    for tag, ops in groups.items():
        items = [rx.el.li(rx.el.code(f"{op.method} {op.path}"), " — ", t(op.key)) for op in ops]
        first = next((op for op in ops if op.method == "GET" and "{" not in op.path and op.media_type == JSON), None)
        sections.append(rx.el.section(
            rx.el.h3(t(f"api.tag.{tag}"), id=f"api-{tag}"), rx.el.ul(*items, class_name="api-operations"),
            *([_example(first.path)] if first else []), aria_labelledby=f"api-{tag}"))
    return rx.el.div(rx.el.h2(t("developers.reference"), id="reference"), rx.el.p(t("developers.reference_text")),
                     *sections)

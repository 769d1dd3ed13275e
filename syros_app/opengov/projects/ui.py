"""Page pieces the tracker and the decisions pages share (so neither repeats the other)."""

from __future__ import annotations

import reflex as rx

from syros_app.core.i18n import translate
from syros_app.ui.components import loading
from syros_app.ui.i18n import t
from syros_app.ui.layout import link, page_shell, page_title


def add_titled_pages(app, site_title: str, pages) -> None:
    """``pages``: (component, route, catalogue key of the title, on_load) each."""
    for component, route, key, on_load in pages:
        app.add_page(component, route=route, title=f"{translate(key)} · {site_title}", on_load=on_load)


def detail_shell(title_key: str, back: tuple[str, str], state, body: rx.Component, missing_key: str) -> rx.Component:
    """One item's page: its heading, a way back to the list, and the item (or "not found")."""
    back_key, back_href = back
    return page_shell(
        page_title(title_key),
        rx.el.p(link(t(back_key), href=back_href)),
        rx.cond(state.loaded, rx.cond(state.found, body, rx.el.p(t(missing_key))), loading()),
    )

"""Page pieces the tracker and the decisions pages share (so neither repeats the other)."""

from __future__ import annotations

import reflex as rx

from syros_app.ui.components import loading
from syros_app.ui.i18n import by_language as bi, t
from syros_app.ui.layout import link, page_shell, page_title


def detail_shell(title_key: str, back: tuple[str, str], state, body: rx.Component, missing_key: str) -> rx.Component:
    """One item's page: its heading, a way back to the list, and the item (or "not found")."""
    back_key, back_href = back
    return page_shell(
        page_title(title_key),
        rx.el.p(link(t(back_key), href=back_href)),
        rx.cond(state.loaded, rx.cond(state.found, body, rx.el.p(t(missing_key))), loading()),
    )


def figures_section(title_key: str, section_id: str, on_mount, figures) -> rx.Component:
    """A part's section of /measurement. ``figures``: (catalogue key of the name, whose
    ``<key>_definition`` defines it; its "part of whole" text; its share; its CSV's address)."""
    def figure(name_key: str, value, share, csv: str) -> rx.Component:
        return rx.el.div(
            rx.el.dt(t(name_key)),
            rx.el.dd(rx.el.strong(bi(share.el, share.en)), " (", bi(value.el, value.en), ")"),
            rx.el.dd(t(name_key + "_definition"), " ", link(t("projects.figures.csv"), href=csv), class_name="muted"),
        )

    return rx.el.section(
        rx.el.h2(t(title_key), id=section_id),
        rx.el.dl(*[figure(*item) for item in figures]),
        aria_labelledby=section_id,
        on_mount=on_mount,
    )

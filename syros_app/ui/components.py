"""Small page pieces every capability uses: form fields, choices, alerts, lists.

One shape for each, so a form field or an empty list looks and reads the same on
every page (and keyboard and screen-reader behaviour is fixed in one place).
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from .i18n import t


def loading() -> rx.Component:
    return rx.el.p(t("home.loading"), class_name="muted", aria_live="polite")


def field(label_key: str, control: rx.Component, field_id: str, hint_key: str | None = None) -> rx.Component:
    """A labelled control; the hint (if any) has the id ``<field_id>-hint`` for aria-describedby."""
    return rx.el.div(
        rx.el.label(t(label_key), html_for=field_id),
        control,
        rx.el.p(t(hint_key), class_name="hint", id=f"{field_id}-hint") if hint_key else rx.fragment(),
        class_name="field",
    )


def options(prefix: str, values, *, empty_key: str = "") -> list[rx.Component]:
    """``<option>``s labelled from the catalogue (``prefix.<value>``), an empty first one if asked."""
    opts = [rx.el.option(t(empty_key), value="")] if empty_key else []
    return opts + [rx.el.option(t(f"{prefix}.{v}"), value=v) for v in values]


def alerts(state) -> rx.Component:
    """The state's ``error`` (role=alert) and ``notice`` (role=status), when set."""
    return rx.fragment(
        rx.cond(state.error != "", rx.el.div(state.error, role="alert", class_name="alert error")),
        rx.cond(state.notice != "", rx.el.div(state.notice, role="status", class_name="alert success")),
    )


def card_list(loaded: rx.Var, items: rx.Var, render: Callable[[rx.Var], rx.Component], empty_key: str,
              **props) -> rx.Component:
    """A list of cards, a translated empty state, or "loading" until the page's data came."""
    return rx.cond(
        loaded,
        rx.cond(
            items.length() > 0,
            rx.el.ul(rx.foreach(items, render), class_name="card-list", **props),
            rx.el.p(t(empty_key), class_name="empty-state"),
        ),
        loading(),
    )

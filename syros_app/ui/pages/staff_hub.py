"""The staff hub: every staff section of every capability, with what waits in each."""

from __future__ import annotations

import reflex as rx

from ..components import no_access
from ..i18n import t
from ..layout import ShellState, link, page_shell, page_title, staff_entries, waiting_badge


def staff_hub_page() -> rx.Component:
    cards = [
        rx.cond(ShellState.usable.contains(entry.route), rx.el.li(
            link(
                rx.icon(entry.icon, size=22, aria_hidden="true"),
                rx.el.span(t(entry.label_key)),
                *([waiting_badge(ShellState.waiting.get(entry.route, 0))] if entry.waiting_count else []),
                href=entry.route,
                class_name="staff-hub-link",
            ),
            class_name="card",
        ))
        for entry in staff_entries()
    ]
    return page_shell(
        page_title("staff.title"),
        rx.cond(
            ShellState.is_staff,
            rx.el.ul(*cards, class_name="card-list staff-hub"),
            no_access("staff.only_staff", ShellState.logged_in),
        ),
    )

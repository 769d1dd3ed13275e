"""The page for an address that does not exist: inside the shell, in the reader's language.

Replaces Reflex's bare English "404: Page not found"; offers the main destinations.
"""

from __future__ import annotations

import reflex as rx

from syros_app.core.registry import nav_entries

from ..i18n import t
from ..layout import HOME_ENTRY, link, page_shell, page_title


def not_found_page() -> rx.Component:
    destinations = [HOME_ENTRY, *nav_entries()]
    return page_shell(
        rx.el.section(
            page_title("notfound.title"),
            rx.el.p(t("notfound.text"), class_name="lead"),
            rx.el.ul(*[rx.el.li(link(t("notfound.home") if e is HOME_ENTRY else t(e.label_key), href=e.route))
                       for e in destinations], class_name="not-found-links"),
            class_name="not-found",
        )
    )

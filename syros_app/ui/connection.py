"""A translated notice when the live connection to the server is lost.

Replaces Reflex's default overlay (an English toast and a pulsing icon).
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from .i18n import t


def connection_notice() -> rx.Component:
    return rx.cond(
        has_connection_errors,
        rx.el.div(t("shell.connection_lost"), role="status", class_name="connection-notice"),
    )


def install(app: rx.App) -> None:
    app.app_wraps[(5, "Overlay")] = lambda stateful: connection_notice() if stateful else None

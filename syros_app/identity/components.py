"""Identity's pieces of the shared shell: the test-login banner and the account area."""

from __future__ import annotations

import reflex as rx

from syros_app.core.settings import get_settings
from syros_app.ui.i18n import t
from syros_app.ui.layout import link

from .state import AccountMenuState


def test_login_banner() -> rx.Component:
    """Shown on every page while the local gov.gr stand-in is active."""
    if not get_settings().govgr_stand_in:
        return rx.fragment()
    return rx.el.section(
        rx.el.div(t("identity.banner.test_login"), role="note", class_name="banner-test", id="test-login-banner"),
        aria_label=t("identity.banner.label"),
    )


def account_menu() -> rx.Component:
    return rx.el.div(
        rx.cond(
            AccountMenuState.logged_in,
            rx.el.div(
                link(
                    rx.icon("circle-user", size=18, aria_hidden="true"),
                    rx.el.span(AccountMenuState.name, class_name="account-name"),
                    href="/account",
                    class_name="header-link account-link",
                ),
                link(t("identity.header.logout"), href="/auth/logout", class_name="header-link logout-link",
                     reload_document=True),
                class_name="account-links",
            ),
            link(t("identity.header.login"), href=AccountMenuState.login_href, class_name="header-link login-link",
                 reload_document=True),
        ),
        on_mount=AccountMenuState.load,
        class_name="account-menu",
    )

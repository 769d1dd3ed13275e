"""What a resident sees if a page fails to draw: our shell and words, not Reflex's English.

Replaces Reflex's default error boundary (an English message, the stack trace and a
"Built with Reflex" link). The fallback draws without any state — the app may be in no
shape to give one — so it says everything in Greek and in English, each marked with its
language, and offers to reload the page or go home.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import noop
from reflex_components_core.base.error_boundary import ErrorBoundary

from syros_app.core.i18n import translate
from syros_app.core.settings import contact_phone_text


def _say(key: str, lang: str) -> str:
    return translate(key, lang)


def _block(lang: str) -> rx.Component:
    return rx.el.section(
        rx.el.h1(_say("error.title", lang), class_name="page-title") if lang == "el"
        else rx.el.h2(_say("error.title", lang), class_name="page-title"),
        rx.el.p(_say("error.text", lang)),
        rx.el.p(
            # full loads: after a failure the app starts afresh
            rx.el.a(_say("error.reload", lang), href="", reload_document=True, class_name="button primary"), " ",
            rx.el.a(_say("error.home", lang), href="/", reload_document=True, class_name="button secondary"),
            class_name="button-row",
        ),
        rx.el.p(_say("footer.contact_name", lang), ": ", contact_phone_text(lang), " · ",
                rx.el.a(_say("footer.contact_email", lang), href="mailto:" + _say("footer.contact_email", lang)),
                class_name="muted"),
        lang=lang,
    )


def error_fallback() -> rx.Component:
    return rx.el.div(
        rx.el.header(
            rx.el.div(
                rx.el.a(
                    rx.el.img(src="/icons/mark.svg", alt="", width="36", height="36", class_name="brand-mark"),
                    rx.el.span(rx.el.span(_say("app.name", "el"), class_name="brand-name"),
                               rx.el.span(_say("app.municipality", "el"), class_name="brand-municipality"),
                               class_name="brand-text"),
                    href="/", reload_document=True, class_name="brand",
                ),
                class_name="header-inner",
            ),
            class_name="site-header",
        ),
        # no id: an id gives the element a React ref, which a fallback outside the page has not
        rx.el.main(_block("el"), _block("en"), class_name="site-main error-page"),
        class_name="shell error-shell",
    )


def error_boundary(stateful: bool) -> rx.Component:
    return ErrorBoundary.create(fallback_render=error_fallback(), **({"on_error": noop()} if not stateful else {}))


def install(app: rx.App) -> None:
    app.app_wraps[(55, "ErrorBoundary")] = error_boundary

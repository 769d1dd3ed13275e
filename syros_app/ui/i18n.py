"""Client-side translation: every visible text is looked up in the catalogues.

``t(key)`` compiles to a small ternary on the language var, so a page carries
its own texts in both languages (not the whole catalogue) and the pre-rendered
HTML is Greek. The choice lives in a cookie so HTTP routes can read it too.
"""

from __future__ import annotations

import reflex as rx

from syros_app.core.i18n import LANGUAGE_COOKIE, catalogues, normalise_language
from syros_app.core.settings import get_settings


class LanguageState(rx.State):
    lang: str = rx.Cookie(get_settings().default_language, name=LANGUAGE_COOKIE, path="/", max_age=365 * 24 * 3600, same_site="lax")

    @rx.event
    def set_language(self, lang: str):
        self.lang = normalise_language(lang if isinstance(lang, str) else None)
        return rx.call_script(f"document.documentElement.lang = '{self.lang}'")


def t(key: str) -> rx.Var:
    """The text for ``key`` in the reader's language (a Var)."""
    cats = catalogues()
    if key not in cats["el"] or key not in cats["en"]:
        raise KeyError(f"missing translation key {key!r}")
    first = get_settings().default_language
    second = "el" if first == "en" else "en"
    return rx.cond(LanguageState.lang == second, cats[second][key], cats[first][key])


def server_text(key: str, lang: str, **params: object) -> str:
    from syros_app.core.i18n import translate

    return translate(key, lang, **params)


# The language of what exists only in Greek: what people and the municipality wrote
# (titles, texts, comments, notes, decisions) and place names.
GREEK = "el"


def greek(*children, **props) -> rx.Component:
    """Greek-only content inline, marked ``lang="el"``: on a page read in English, a screen
    reader reads it with a Greek voice (WCAG 3.1.2, language of parts). For a block, give the
    element itself ``lang=GREEK``."""
    return rx.el.span(*children, lang=GREEK, **props)


def lang_when(is_greek: rx.Var) -> rx.Var:
    """``lang`` of a text that is sometimes Greek-only (a place name) and sometimes the reader's words."""
    return rx.cond(is_greek, GREEK, LanguageState.lang)


def by_language(el, en) -> rx.Var:
    """A text the server prepared in both languages (``x`` / ``x_en``): the one the reader reads."""
    return rx.cond(LanguageState.lang == "en", en, el)

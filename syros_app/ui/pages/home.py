"""Home page: what the platform is, and what residents can take part in now."""

from __future__ import annotations

from datetime import datetime, timezone

import reflex as rx
from pydantic import BaseModel

from syros_app.core import registry
from syros_app.core.i18n import translate
from syros_app.core.timefmt import format_local

from ..components import card_list
from ..i18n import GREEK, LanguageState, by_language, t
from ..layout import link, page_shell
from ..state_helpers import read


class OpenItemView(BaseModel):
    kind: str
    title: str
    url: str
    closes: str
    closes_en: str


class HomeState(rx.State):
    open_items: list[OpenItemView] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        lang = (await self.get_state(LanguageState)).lang
        now = datetime.now(timezone.utc)
        items = await read(lambda session: registry.open_now(session, now))

        self.open_items = [
            OpenItemView(
                kind=translate(item.kind_key, lang),
                title=item.title,
                url=item.url,
                closes=format_local(item.closes_at, "el") if item.closes_at else "",
                closes_en=format_local(item.closes_at, "en") if item.closes_at else "",
            )
            for item in items
        ]
        self.loaded = True


def pillar(title_key: str, text_key: str, href: str) -> rx.Component:
    """A card that is a link: the heading's link covers the whole card (CSS), so the card
    is one target for a tap and one stop for the keyboard, named by its heading."""
    return rx.el.li(
        rx.el.h2(link(t(title_key), href=href, class_name="card-link"), class_name="pillar-title"),
        rx.el.p(t(text_key)),
        class_name="card pillar",
    )


def open_item(item: OpenItemView) -> rx.Component:
    return rx.el.li(
        rx.el.span(item.kind, class_name="badge"),
        link(item.title, href=item.url, class_name="open-item-title", lang=GREEK),  # what the municipality wrote
        rx.cond(
            item.closes != "",
            rx.el.p(t("home.closes_at"), ": ", by_language(item.closes, item.closes_en), class_name="muted"),
        ),
        class_name="card open-item",
    )


def open_now_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("home.open_now"), id="open-now-heading"),
        card_list(HomeState.loaded, HomeState.open_items, open_item, "home.open_now_empty"),
        aria_labelledby="open-now-heading",
    )


def home_page() -> rx.Component:
    return page_shell(
        rx.el.section(
            rx.el.h1(t("home.title"), class_name="page-title", tab_index=-1),
            rx.el.p(t("home.intro"), class_name="lead"),
            class_name="hero",
        ),
        rx.el.section(
            rx.el.ul(
                pillar("home.pillar_opinion_title", "home.pillar_opinion_text", "/consultations"),
                pillar("home.pillar_vote_title", "home.pillar_vote_text", "/votes"),
                pillar("home.pillar_notices_title", "home.pillar_notices_text", "/notices"),
                pillar("home.pillar_services_title", "home.pillar_services_text", "/reports"),
                class_name="pillars",
            ),
        ),
        # last in the page: the list arriving over the websocket pushes nothing down (CLS)
        open_now_section(),
    )

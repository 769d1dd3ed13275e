"""The staff hub: "Today" — what waits for this person, each one click from its action —
then every staff section they may use, with what waits in each."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel

from syros_app.core import registry
from syros_app.core.i18n import translate
from syros_app.core.timefmt import utcnow

from ..components import card_list, no_access
from ..i18n import t
from ..layout import ShellState, link, page_shell, page_title, staff_entries, waiting_badge
from ..state_helpers import current_actor, read, reader_language


class TodayView(BaseModel):
    text: str
    url: str
    urgent: bool = False


class TodayState(rx.State):
    """What waits for the person behind the socket today (nothing for non-staff: each
    capability's provider asks its own role matrix)."""

    items: list[TodayView] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        actor, lang = current_actor(self), await reader_language(self)
        found = await read(lambda s: registry.today(s, actor, utcnow())) if actor is not None and actor.is_staff else []
        self.items = [TodayView(text=translate(i.text_key, lang, count=i.count, title=i.title), url=i.url,
                                urgent=i.urgent) for i in found]
        self.loaded = True


def today_item(item: TodayView) -> rx.Component:
    return rx.el.li(
        link(rx.cond(item.urgent, rx.el.span(t("staff.today_urgent"), class_name="badge overdue")), " ", item.text,
             href=item.url, class_name="today-link"),
        class_name="card today-item",
        data_urgent=item.urgent.to_string(),
    )


def today_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("staff.today"), id="today-heading"),
        card_list(TodayState.loaded, TodayState.items, today_item, "staff.today_nothing", id="today-list"),
        aria_labelledby="today-heading",
        on_mount=TodayState.load,
    )


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
            rx.fragment(
                today_section(),
                rx.el.h2(t("staff.sections"), id="sections-heading"),
                rx.el.ul(*cards, class_name="card-list staff-hub", aria_labelledby="sections-heading"),
            ),
            no_access("staff.only_staff", ShellState.logged_in),
        ),
    )

"""The shared shell: skip link, header with language switch, navigation, footer.

Built from plain HTML elements styled by ``assets/agora.css`` (no Radix Themes:
less CSS to ship, and full control of contrast and focus styles).
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from syros_app.core.i18n import translate
from syros_app.core.registry import NavEntry, nav_entries

from syros_app.core.settings import contact_hours, contact_phone, contact_phone_text

from .i18n import LanguageState, by_language, t
from .state_helpers import current_actor, read

HOME_ENTRY = NavEntry(route="/", label_key="nav.home", icon="house")

# Extra pieces of the header that capabilities contribute (e.g. the test-login
# banner and the account link from identity). Each is a zero-argument factory.
HEADER_EXTRAS: list[Callable[[], rx.Component]] = []
BANNERS: list[Callable[[], rx.Component]] = []


def link(*children, href: str, **props) -> rx.Component:
    """A client-side navigation link (an ``<a>`` element)."""
    return rx.el.a(*children, href=href, **props)


def backlink_notes(kind: str, kinds: tuple[str, ...], state: type[rx.State], items: rx.Var, *,
                   prefix: str) -> rx.Component:
    """Notes on a page of ``kind`` pointing at what points to it ("from proposal X", "part of
    project Y"): the registry's ``backlinks`` hook. ``state.load(kind)`` fills ``items``
    (``title``, ``url``; titles are residents' or staff's Greek: ``lang="el"``); the text is
    ``<prefix>.backlink.<kind>``; other kinds get nothing."""
    if kind not in kinds:
        return rx.fragment()
    text = t(f"{prefix}.backlink.{kind}")
    return rx.el.div(rx.foreach(items, lambda b: rx.el.p(text, " ", link(b.title, href=b.url, lang="el"),
                                                         class_name="alert info")),
                     on_mount=state.load(kind), class_name=f"{prefix[:-1]}-backlinks")


def language_switch() -> rx.Component:
    def option(code: str, label_key: str) -> rx.Component:
        return rx.el.button(
            t(label_key),
            type="button",
            lang=code,
            class_name="lang-option",
            aria_pressed=rx.cond(LanguageState.lang == code, "true", "false"),
            on_click=LanguageState.set_language(code),
        )

    return rx.el.div(
        option("el", "shell.language_el"),
        option("en", "shell.language_en"),
        role="group",
        aria_label=t("shell.language"),
        class_name="lang-switch",
    )


STAFF_HUB_ENTRY = NavEntry(route="/staff", label_key="nav.staff", icon="briefcase")


class ShellState(rx.State):
    """What the shell shows of the viewer: whether they are staff, and what waits for them.

    Resolved on the server from the session cookie each time a page mounts.
    """

    is_staff: bool = False
    logged_in: bool = False
    usable: list[str] = []  # routes of the staff entries this person may use
    waiting: dict[str, int] = {}
    waiting_total: int = 0

    @rx.event
    async def load_viewer(self):
        actor = current_actor(self)
        self.is_staff, self.logged_in = bool(actor and actor.is_staff), actor is not None
        self.usable = [e.route for e in staff_entries() if e.shown_to(actor)]
        counts: dict[str, int] = {}
        if self.is_staff:
            counted = [e for e in staff_entries() if e.waiting_count is not None and e.route in self.usable]
            counts = await read(lambda session: {e.route: int(e.waiting_count(session, actor)) for e in counted})
        self.waiting = counts
        self.waiting_total = sum(counts.values())


def staff_entries() -> list[NavEntry]:
    return [entry for entry in nav_entries(staff=True) if entry.staff_only]


def waiting_badge(count: rx.Var) -> rx.Component:
    return rx.cond(
        count > 0,
        rx.el.span(count, rx.el.span(t("shell.waiting_items"), class_name="visually-hidden"), class_name="nav-count"),
    )


def nav_link(entry: NavEntry, count: rx.Var | None = None) -> rx.Component:
    children = [rx.icon(entry.icon, size=22, aria_hidden="true"), rx.el.span(t(entry.label_key))]
    if count is not None:
        children.append(waiting_badge(count))
    return link(*children, href=entry.route, class_name="nav-link")


# How many entries the phone's bottom bar shows itself; the rest are under "More".
# Four slots of 90 px fit a 360 px screen with the longest Greek label ("Διαβουλεύσεις").
PHONE_BAR_ENTRIES = 3


def navigation() -> rx.Component:
    """Public entries for everyone; staff get one more entry, to the staff hub.

    On phones this is the bottom bar: the first entries, then "More" (a disclosure
    that opens upwards) with the rest, so every destination is reachable at 360 px
    without sideways scrolling. On wider screens one bar under the header with all
    entries (the "More" copies are not rendered there: ``display: none``).
    """
    entries = [HOME_ENTRY, *nav_entries()]
    first, rest = entries[:PHONE_BAR_ENTRIES], entries[PHONE_BAR_ENTRIES:]
    staff_item = (lambda cls: rx.cond(ShellState.is_staff, rx.el.li(nav_link(STAFF_HUB_ENTRY, ShellState.waiting_total),
                                                                     class_name=cls))) \
        if staff_entries() else (lambda cls: rx.fragment())
    more = rx.el.li(
        rx.el.details(
            rx.el.summary(rx.icon("menu", size=22, aria_hidden="true"), rx.el.span(t("shell.more")),
                          rx.cond(ShellState.waiting_total > 0, waiting_badge(ShellState.waiting_total)),
                          class_name="nav-link nav-more-toggle"),
            rx.el.ul(*[rx.el.li(nav_link(e)) for e in rest], staff_item(""), class_name="nav-more-list"),
            class_name="nav-more",
        ),
        class_name="nav-phone-only",
    )
    items = [rx.el.li(nav_link(e)) for e in first] + \
        [rx.el.li(nav_link(e), class_name="nav-wide-only") for e in rest] + [staff_item("nav-wide-only"), more]
    return rx.el.nav(
        rx.el.ul(*items, class_name="nav-list"),
        aria_label=t("shell.main_navigation"),
        class_name="main-nav",
        on_mount=ShellState.load_viewer,
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.el.div(
            link(
                rx.el.img(src="/icons/mark.svg", alt="", width="36", height="36", class_name="brand-mark"),
                rx.el.span(
                    rx.el.span(t("app.name"), class_name="brand-name"),
                    rx.el.span(t("app.municipality"), class_name="brand-municipality"),
                    class_name="brand-text",
                ),
                href="/",
                class_name="brand",
            ),
            *[extra() for extra in HEADER_EXTRAS],
            language_switch(),
            class_name="header-inner",
        ),
        class_name="site-header",
    )


def contact() -> rx.Component:
    """How to reach the municipality: address, phone, e-mail and opening hours. The phone and
    the hours come from the settings (``SYROS_CONTACT_PHONE``, ``SYROS_CONTACT_HOURS``), read
    when the app is built; the words around them from the catalogues."""
    hours = contact_hours()
    return rx.el.section(
        rx.el.h2(t("footer.contact_title"), id="footer-contact", class_name="footer-heading"),
        rx.el.address(
            rx.el.p(t("footer.contact_name"), rx.el.br(), t("footer.contact_address")),
            rx.el.p(t("footer.contact_phone_label"), ": ",
                    rx.el.a(by_language(contact_phone_text("el"), contact_phone_text("en")), href="tel:" + contact_phone())),
            rx.el.p(t("footer.contact_email_label"), ": ",
                    rx.el.a(t("footer.contact_email"), href="mailto:" + t("footer.contact_email"))),
            rx.el.p(by_language(translate("footer.contact_hours", "el", hours=hours),
                                translate("footer.contact_hours", "en", hours=hours))),
            class_name="footer-contact",
        ),
        aria_labelledby="footer-contact",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        contact(),
        rx.el.nav(
            rx.el.ul(
                rx.el.li(link(t("footer.accessibility"), href="/accessibility")),
                rx.el.li(link(t("footer.privacy"), href="/privacy")),
                class_name="footer-links",
            ),
            aria_label=t("shell.footer_navigation"),
        ),
        rx.el.p(t("footer.copyright"), class_name="footer-copy"),
        class_name="site-footer",
    )


def client_texts() -> rx.Component:
    """Texts the browser script (``assets/agora.js``) says about drafts, in the reader's
    language, and the page-wide live region it speaks through when a form has none."""
    return rx.fragment(
        rx.el.div(id="agora-texts", hidden=True, data_draft_offline=t("drafts.offline"),
                  data_draft_restored=t("drafts.restored"), data_draft_back_online=t("drafts.back_online")),
        rx.el.p(id="agora-live", aria_live="polite", aria_atomic="true", class_name="visually-hidden"),
    )


def draft_status() -> rx.Component:
    """The live region next to a form's button where its draft's fate is said (see agora.js)."""
    return rx.el.p(role="status", class_name="draft-status", data_draft_status="")


def page_shell(*content: rx.Component) -> rx.Component:
    """Wrap a page's content in the shared shell."""
    return rx.el.div(
        rx.el.a(t("shell.skip_to_content"), href="#main", class_name="skip-link"),
        *[banner() for banner in BANNERS],
        header(),
        navigation(),
        rx.el.main(*content, id="main", tab_index=-1, class_name="site-main"),
        footer(),
        client_texts(),
        class_name="shell",
    )


def page_title(key: str) -> rx.Component:
    """The page's main heading; focus moves here after a change of page (agora.js)."""
    return rx.el.h1(t(key), class_name="page-title", tab_index=-1)


def lead_page(title_key: str, intro_key: str, *content: rx.Component) -> rx.Component:
    """A page under its heading, opening with a lead paragraph that says what it is for."""
    return page_shell(page_title(title_key), rx.el.p(t(intro_key), class_name="lead"), *content)


def gated_page(title_key: str, loaded: rx.Var, allowed: rx.Var, content: rx.Component, refused: rx.Component,
               *after: rx.Component, waiting: rx.Component | None = None) -> rx.Component:
    """A titled page whose content waits for its data (``waiting``: "loading" unless given),
    then shows to those ``allowed`` and ``refused`` (a login prompt, "no access") to the rest."""
    from .components import when_loaded

    return page_shell(page_title(title_key), when_loaded(loaded, allowed, content, refused, waiting), *after)


class PageTable:
    """A capability's pages, each declared above its function (route, title key, on_load);
    :meth:`add_pages` adds them all, the tab titled "<page title> · <site title>"."""

    def __init__(self) -> None:
        self._pages: list[tuple] = []

    def add(self, route: str, title_key: str, *, on_load=None, description_key: str = "") -> Callable:
        def register(component: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
            self._pages.append((component, route, title_key, on_load, description_key))
            return component

        return register

    @classmethod
    def of(cls, *pages: tuple) -> PageTable:
        """A table from (component, route, title key, on_load) rows, for pages declared in one list."""
        table = cls()
        for component, route, title_key, on_load in pages:
            table.add(route, title_key, on_load=on_load)(component)
        return table

    def add_pages(self, app: rx.App, *, site_title: str) -> None:
        for component, route, title_key, on_load, description_key in self._pages:
            extra = {"description": translate(description_key)} if description_key else {}
            app.add_page(component, route=route, title=f"{translate(title_key)} · {site_title}", on_load=on_load,
                         **extra)

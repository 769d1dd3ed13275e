"""Pages of decisions: the searchable list (subject, type, year) and one decision
with what it concerns (administrators link it there)."""

from __future__ import annotations

import reflex as rx

from syros_app.ui.components import alerts, card_list, field, options
from syros_app.ui.i18n import by_language as bi, t
from syros_app.ui.layout import PageTable, link, page_shell, page_title

from syros_app.opengov.projects.ui import detail_shell, figures_section

from .actions import LINK_KINDS
from .state import DecisionDeskState, DecisionFiguresState, DecisionPageState, DecisionsState
from .views import DecisionRow, LinkView


def decision_item(row: DecisionRow) -> rx.Component:
    return rx.el.li(
        rx.el.h2(link(row.subject, href=row.url), class_name="open-item-title", lang="el"),
        rx.el.p(rx.el.span(row.decision_type, class_name="badge", lang="el"), bi(row.issued.el, row.issued.en), " · ",
                t("decisions.ada"), " ", rx.el.span(row.ada, lang="el"), class_name="muted"),
        class_name="card",
    )


def search_form() -> rx.Component:
    s = DecisionsState
    return rx.el.form(
        field("decisions.search", rx.el.input(id="decisions-q", name="q", type="search", default_value=s.q),
              "decisions-q"),
        field("decisions.type", rx.el.select(rx.el.option(t("decisions.all_types"), value=""),
                                             rx.foreach(s.listing.types, lambda v: rx.el.option(v, value=v, lang="el")),
                                             id="decisions-type", name="type", default_value=s.kind), "decisions-type"),
        field("decisions.year", rx.el.select(rx.el.option(t("decisions.all_years"), value=""),
                                             rx.foreach(s.listing.years, lambda v: rx.el.option(v, value=v)),
                                             id="decisions-year", name="year", default_value=s.year), "decisions-year"),
        rx.el.button(t("decisions.search_button"), type="submit", class_name="button primary"),
        on_submit=s.search, reset_on_submit=False, role="search", class_name="form filters",
    )


def decisions_page() -> rx.Component:
    s = DecisionsState
    return page_shell(
        page_title("decisions.title"),
        rx.el.p(t("decisions.intro"), class_name="lead"),
        rx.cond(s.listing.sync_configured, rx.fragment(),
                rx.el.p(t("decisions.not_configured"), class_name="alert info", id="decisions-not-configured")),
        search_form(),
        rx.el.p(t("decisions.found"), ": ", s.listing.total, " · ",
                link(t("decisions.open_data_csv"), href="/api/v1/decisions?format=csv"), " · ",
                link(t("decisions.open_data_json"), href="/api/v1/decisions"),
                class_name="muted", role="status"),
        card_list(s.loaded, s.listing.rows, decision_item, "decisions.empty", aria_label=t("decisions.title")),
    )


def link_item(item: LinkView) -> rx.Component:
    return rx.el.li(
        rx.match(item.kind, *[(k, t(f"projects.kind.{k}")) for k in LINK_KINDS], item.kind), ": ",
        link(item.title, href=item.url),
        rx.cond(DecisionPageState.can_link,
                rx.el.button(t("decisions.desk.unlink"), type="button", class_name="button secondary",
                             aria_label=t("decisions.desk.unlink") + ": " + item.title,
                             on_click=DecisionDeskState.unlink(item.id))),
    )


def desk() -> rx.Component:
    d, v = DecisionDeskState, DecisionPageState.view
    return rx.el.section(
        rx.el.h2(t("decisions.desk.title"), id="decision-desk"),
        alerts(d),
        rx.el.form(
            rx.el.input(type="hidden", name="ada", value=v.ada),
            field("projects.form.kind", rx.el.select(*options("projects.kind", LINK_KINDS), id="dlink-kind",
                                                     name="kind"), "dlink-kind"),
            field("projects.form.target", rx.el.input(id="dlink-target", name="target", required=True),
                  "dlink-target"),
            rx.el.button(t("decisions.desk.link"), type="submit", class_name="button primary"),
            on_submit=d.link, reset_on_submit=False, key=d.form_key.to_string(), class_name="form",
        ),
        aria_labelledby="decision-desk",
    )


def decision_page() -> rx.Component:
    return detail_shell("decisions.page_title", ("decisions.back", "/decisions"), DecisionPageState,
                        decision_detail(), "decisions.errors.not_found")


def decision_detail() -> rx.Component:
    v = DecisionPageState.view
    return rx.fragment(
        rx.el.h2(v.subject, lang="el"),
        rx.el.p(rx.el.strong(t("decisions.ada")), ": ", rx.el.span(v.ada, lang="el")),
        rx.el.p(rx.el.strong(t("decisions.issued")), ": ", bi(v.issued.el, v.issued.en)),
        rx.el.p(rx.el.strong(t("decisions.type")), ": ", rx.el.span(v.decision_type, lang="el")),
        rx.el.p(rx.el.a(t("decisions.document"), href=v.document_url, rel="noopener", target="_blank")),
        rx.el.section(rx.el.h3(t("decisions.concerns"), id="decision-links"),
                      rx.cond(v.links.length() > 0, rx.el.ul(rx.foreach(v.links, link_item)),
                              rx.el.p(t("decisions.no_links"), class_name="muted")),
                      aria_labelledby="decision-links"),
        rx.cond(DecisionPageState.can_link, desk()),
    )


def measurement_section() -> rx.Component:
    f = DecisionFiguresState.figures
    return figures_section("decisions.figures.title", "decisions-figures", DecisionFiguresState.load, [
        ("decisions.figures.linked", f.linked, f.linked_share, "/api/v1/decisions?format=csv"),
    ])


add_pages = PageTable.of(
    (decisions_page, "/decisions", "decisions.title", DecisionsState.load),
    (decision_page, "/decisions/[ada]", "decisions.page_title", DecisionPageState.load),
).add_pages

"""Pages of service reports: the public list and map, reporting a problem, one
report's page, the public figures and the staff desk."""

from __future__ import annotations

import reflex as rx

from syros_app.core.registry import measurement_sections
from syros_app.ui.components import confirm_dialog, field_error, no_access, when_loaded
from syros_app.ui.i18n import GREEK, by_language as bi, greek, t
from syros_app.ui.layout import PageTable, ShellState, draft_status, gated_page, lead_page, link, page_shell, page_title

from . import rules
from .map import syros_map
from .state import MeasurementState, ReportFormState, ReportPageState, ReportsListState, StaffReportsState
from .views import DeskDetail, DrillView, FigureView, KeyView, NearbyView, NoteView, ReportCard, SummaryView, TargetView
from .views import UpdateView

UPLOAD_ID = "report_photos"

PAGES = PageTable()


# --- labels (translated on the client, so a language switch updates them) -------------------------

def _match(prefix: str, value, options) -> rx.Component:
    return rx.match(value, *[(o, t(f"{prefix}.{o}")) for o in options], value)


def category_label(value):
    return _match("reports.category", value, (*rules.CATEGORIES, "*"))


def status_label(value):
    return _match("reports.status", value, rules.STATUSES)


def department_label(value):
    return rx.cond(value == "", t("reports.department.none"), _match("reports.department", value, rules.DEPARTMENTS))


def unit_label(value):
    return rx.cond(value == "*", t("reports.unit.*"), greek(value))


def status_badge(value) -> rx.Component:
    return rx.el.span(status_label(value), class_name="badge status-badge", data_status=value)


def alert(message, kind: str = "error") -> rx.Component:
    return rx.cond(message != "", rx.el.p(message, class_name=f"alert {kind}", role="alert" if kind == "error" else "status"))


def select(id_: str, label_key: str, options: list[tuple[str, rx.Var | str]], *, value=None, on_change=None,
           name: str | None = None, hint_key: str | None = None) -> rx.Component:
    props = {}
    if value is not None:
        props["value"] = value
    if on_change is not None:
        props["on_change"] = on_change
    return rx.el.div(
        rx.el.label(t(label_key), html_for=id_),
        # a plain label equal to its value is a place name (a municipal unit): Greek in any language
        rx.el.select(*[rx.el.option(text, value=v, **({"lang": GREEK} if isinstance(text, str) and text == v else {}))
                       for v, text in options], id=id_, name=name or id_, **props),
        rx.el.p(t(hint_key), class_name="hint") if hint_key else rx.fragment(),
        class_name="field",
    )


def category_options(all_key: str | None = "reports.category.*"):
    first = [("", t(all_key))] if all_key else [("", t("reports.form.choose"))]
    return first + [(c, t(f"reports.category.{c}")) for c in rules.CATEGORIES]


def unit_options(all_key: str | None = "reports.unit.*"):
    first = [("", t(all_key))] if all_key else [("", t("reports.form.choose"))]
    return first + [(u, u) for u in rules.MUNICIPAL_UNITS]


# --- the public list and its map --------------------------------------------------------------------

def report_card(item: ReportCard) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(category_label(item.category), class_name="badge category-badge"),
            status_badge(item.status),
            class_name="report-badges",
        ),
        rx.el.h3(link(t("reports.card.report"), " #", item.id, href=item.url), class_name="report-card-title"),
        rx.el.p(item.description, lang=GREEK),
        rx.el.p(
            rx.cond(item.place != "", rx.fragment(greek(item.place), " · "), rx.fragment()),
            greek(item.unit), " · ", bi(item.created, item.created_en),
            class_name="muted",
        ),
        rx.cond(item.supporters > 0,
                rx.el.p(t("reports.card.supporters"), ": ", item.supporters, class_name="muted"), rx.fragment()),
        class_name="card report-card",
    )


def map_texts() -> dict:
    """The map's words (client-side lookups, so a language switch renames markers and buttons)."""
    return {
        "marker": t("reports.map.marker"),
        "open": t("reports.map.open"),
        "close": t("reports.map.close"),
        "cluster": t("reports.map.cluster"),
        "zoomIn": t("reports.map.zoom_in"),
        "zoomOut": t("reports.map.zoom_out"),
        "category": {c: t(f"reports.category.{c}") for c in rules.CATEGORIES},
        "status": {st: t(f"reports.status.{st}") for st in rules.STATUSES},
    }


def overview_map() -> rx.Component:
    """Leaflet map of the reports on this page; the list below carries the same reports as text."""
    return rx.el.section(
        rx.el.h2(t("reports.map.title"), id="map-heading"),
        rx.el.p(t("reports.map.hint"), class_name="hint", id="map-hint"),
        syros_map(tile_url=ReportsListState.tile_url, attribution=ReportsListState.attribution,
                  center=list(rules.SYROS_CENTRE_VIEW), zoom=12, points=ReportsListState.markers,
                  label=t("reports.map.label"), described_by="map-hint", text=map_texts(),
                  class_name="syros-map"),
        aria_labelledby="map-heading",
        class_name="map-section",
    )


@PAGES.add("/reports", "reports.list.title", on_load=ReportsListState.load)
def reports_list_page() -> rx.Component:
    return lead_page(
        "reports.list.title", "reports.list.intro",
        rx.el.p(link(rx.icon("circle-plus", size=20, aria_hidden="true"), t("reports.list.new"),
                     href="/reports/new", class_name="button")),
        rx.el.form(
            select("filter-category", "reports.filter.category", category_options(),
                   value=ReportsListState.category, on_change=ReportsListState.set_category),
            select("filter-unit", "reports.filter.unit", unit_options(),
                   value=ReportsListState.unit, on_change=ReportsListState.set_unit),
            select("filter-state", "reports.filter.state",
                   [("open", t("reports.state.open")), ("closed", t("reports.state.closed")),
                    ("all", t("reports.state.all"))],
                   value=ReportsListState.state_filter, on_change=ReportsListState.set_state_filter),
            rx.cond(ReportsListState.logged_in,
                    rx.el.div(rx.el.input(type="checkbox", id="filter-mine", checked=ReportsListState.mine,
                                          on_change=ReportsListState.toggle_mine),
                              rx.el.label(t("reports.filter.mine"), html_for="filter-mine"), class_name="check")),
            class_name="form filters",
            aria_label=t("reports.filter.label"),
        ),
        overview_map(),
        rx.el.section(
            rx.el.h2(t("reports.list.results"), " (", ReportsListState.total, ")", id="results-heading"),
            rx.cond(
                ReportsListState.items.length() > 0,
                rx.el.ul(rx.foreach(ReportsListState.items, report_card), class_name="card-list"),
                rx.el.p(rx.cond(ReportsListState.loaded, t("reports.list.empty"), t("reports.loading")),
                        class_name="empty-state"),
            ),
            rx.el.nav(
                rx.el.button(t("reports.list.previous"), type="button", class_name="secondary",
                             disabled=ReportsListState.page == 0, on_click=ReportsListState.turn_page(-1)),
                rx.el.span(ReportsListState.page_label, class_name="muted"),
                rx.el.button(t("reports.list.next"), type="button", class_name="secondary",
                             disabled=~ReportsListState.has_next, on_click=ReportsListState.turn_page(1)),
                class_name="pager",
                aria_label=t("reports.list.pages"),
            ),
            aria_labelledby="results-heading",
        ),
        rx.el.p(link(t("reports.list.open311"), href="/open311/v2/requests.json"), " · ",
                link(t("reports.list.figures"), href="/measurement"), class_name="muted"),
    )


# --- reporting a problem ---------------------------------------------------------------------------

def nearby_item(item: NearbyView) -> rx.Component:
    return rx.el.li(
        rx.el.p(status_badge(item.status), greek(item.description)),
        rx.el.p(rx.cond(item.distance != "", rx.el.span(item.distance, " · "), rx.fragment()),
                t("reports.card.supporters"), ": ", item.supporters, class_name="muted"),
        rx.el.div(
            rx.el.button(rx.icon("thumbs-up", size=18, aria_hidden="true"), t("reports.form.me_too"), type="button",
                         class_name="secondary", on_click=ReportFormState.support(item.id)),
            link(t("reports.form.see"), " #", item.id, href=item.url, class_name="button secondary"),
            class_name="button-row",
        ),
        class_name="card",
    )


def photo_item(name: str, index: int) -> rx.Component:
    return rx.el.li(
        rx.icon("image", size=18, aria_hidden="true"), rx.el.span(name),
        rx.el.button(t("reports.form.remove_photo"), type="button", class_name="secondary small",
                     on_click=ReportFormState.remove_photo(index)),
        class_name="photo-item",
    )


def report_form() -> rx.Component:
    return rx.el.form(
        select("category", "reports.form.category", category_options(None), value=ReportFormState.category,
               on_change=ReportFormState.set_category),
        rx.el.div(
            rx.el.label(t("reports.form.description"), html_for="description"),
            rx.el.textarea(id="description", name="description", rows=4, max_length=rules.MAX_DESCRIPTION,
                           required=True, aria_describedby="description-hint", data_draft="description"),
            rx.el.p(t("reports.form.description_hint"), id="description-hint", class_name="hint"),
            class_name="field",
        ),
        rx.el.fieldset(
            rx.el.legend(t("reports.form.location")),
            rx.el.p(t("reports.form.location_hint"), class_name="hint"),
            rx.el.button(rx.icon("locate-fixed", size=20, aria_hidden="true"),
                         rx.cond(ReportFormState.locating, t("reports.form.locating"), t("reports.form.use_location")),
                         type="button", class_name="secondary", on_click=ReportFormState.locate),
            rx.el.p(ReportFormState.geo_message, class_name="hint", aria_live="polite", id="geo-message"),
            rx.el.p(t("reports.form.map_hint"), class_name="hint", id="map-hint"),
            syros_map(tile_url=ReportFormState.tile_url, attribution=ReportFormState.attribution,
                      center=list(rules.SYROS_CENTRE_VIEW), zoom=12, picked=ReportFormState.picked,
                      on_pick=ReportFormState.pick, label=t("reports.form.map_label"), described_by="map-hint",
                      text=map_texts(), pick_centre_label=t("reports.form.pick_centre"), class_name="syros-map"),
            rx.el.div(
                coordinate_field("lat", ReportFormState.lat, ReportFormState.set_lat),
                coordinate_field("lon", ReportFormState.lon, ReportFormState.set_lon),
                class_name="coords",
            ),
            rx.el.div(
                rx.el.label(t("reports.form.address"), html_for="address"),
                rx.el.input(id="address", name="address", max_length=rules.MAX_ADDRESS, auto_complete="off"),
                class_name="field",
            ),
            select("unit", "reports.form.unit", unit_options(None), value=ReportFormState.unit,
                   on_change=ReportFormState.set_unit, hint_key="reports.form.unit_hint"),
            class_name="fieldset",
        ),
        rx.cond(
            ReportFormState.nearby.length() > 0,
            rx.el.section(
                rx.el.h2(t("reports.form.nearby_title"), id="nearby-heading"),
                rx.el.p(t("reports.form.nearby_hint"), class_name="hint"),
                rx.el.ul(rx.foreach(ReportFormState.nearby, nearby_item), class_name="card-list"),
                aria_labelledby="nearby-heading",
                class_name="nearby",
            ),
        ),
        rx.el.fieldset(
            rx.el.legend(t("reports.form.photos")),
            rx.el.p(t("reports.form.photos_hint"), class_name="hint", id="photos-hint"),
            # The label wraps the dropzone and its file input, so the input is labelled;
            # clicks reach the input through the label (no_click), keys through the zone.
            rx.el.label(
                rx.upload.root(
                    rx.el.span(rx.icon("camera", size=20, aria_hidden="true"), t("reports.form.add_photos"),
                               class_name="button secondary upload-label"),
                    id=UPLOAD_ID,
                    accept={"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]},
                    max_files=rules.MAX_PHOTOS,
                    multiple=True,
                    no_click=True,
                    on_drop=ReportFormState.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),
                    class_name="upload-zone",
                ),
                class_name="upload-wrap",
            ),
            rx.el.ul(rx.foreach(ReportFormState.photo_names, photo_item), class_name="photo-list",
                     aria_live="polite"),
            alert(ReportFormState.photo_error),
            class_name="fieldset",
        ),
        rx.el.div(
            rx.el.input(type="checkbox", id="show_name", name="show_name"),
            rx.el.label(t("reports.form.show_name"), html_for="show_name"),
            class_name="check",
        ),
        alert(ReportFormState.error),
        rx.el.button(t("reports.form.submit"), type="submit", class_name="primary"),
        draft_status(),
        on_submit=ReportFormState.submit,
        class_name="form report-form",
    )


def coordinate_field(name: str, value, on_change) -> rx.Component:
    return rx.el.div(
        rx.el.label(t(f"reports.form.{name}"), html_for=name),
        rx.el.input(id=name, name=name, input_mode="decimal", value=value, on_change=on_change,
                    on_blur=ReportFormState.point_changed, auto_complete="off"),
        class_name="field",
    )


def _waiting() -> rx.Component:
    return rx.el.p(t("reports.loading"), class_name="muted")


@PAGES.add("/reports/new", "reports.form.title", on_load=ReportFormState.load)
def report_new_page() -> rx.Component:
    login_prompt = rx.fragment(
        rx.el.p(t("reports.errors.login_required"), class_name="alert info"),
        rx.el.p(link(t("reports.form.login"), href="/auth/login?next=/reports/new", class_name="button primary"),
                class_name="login-prompt"),
    )
    return gated_page("reports.form.title", ReportFormState.loaded, ReportFormState.logged_in, report_form(),
                      login_prompt, waiting=_waiting())


# --- one report ------------------------------------------------------------------------------------

def update_item(update: UpdateView) -> rx.Component:
    return rx.el.li(
        rx.el.p(status_badge(update.status_to), rx.el.span(update.when, class_name="muted")),
        rx.cond(update.forwarded_to != "", rx.el.p(t("reports.page.forwarded_to"), ": ", update.forwarded_to)),
        rx.cond(update.note != "", rx.el.p(update.note, lang=GREEK)),
        rx.cond(update.by_staff, rx.el.p(t("reports.page.by_staff"), class_name="muted"),
                rx.el.p(t("reports.page.by_reporter"), class_name="muted")),
        class_name="timeline-item",
    )


def rating_form() -> rx.Component:
    def radio(name: str, value: str, label, id_: str) -> rx.Component:
        return rx.el.div(rx.el.input(type="radio", name=name, value=value, id=id_),
                         rx.el.label(label, html_for=id_), class_name="check")

    return rx.el.form(
        rx.el.h2(t("reports.rate.title"), id="rate-heading"),
        rx.el.fieldset(
            rx.el.legend(t("reports.rate.fixed_question")),
            radio("fixed", "yes", t("reports.rate.fixed_yes"), "fixed-yes"),
            radio("fixed", "no", t("reports.rate.fixed_no"), "fixed-no"),
            class_name="fieldset",
        ),
        rx.el.fieldset(
            rx.el.legend(t("reports.rate.score_question")),
            rx.el.div(*[radio("score", str(n), str(n), f"score-{n}") for n in range(1, 6)], class_name="score-row"),
            rx.el.p(t("reports.rate.score_hint"), class_name="hint"),
            class_name="fieldset",
        ),
        rx.el.div(
            rx.el.label(t("reports.rate.comment"), html_for="rate-comment"),
            rx.el.textarea(id="rate-comment", name="comment", rows=3, max_length=1000, data_draft="rate-comment"),
            class_name="field",
        ),
        rx.el.button(t("reports.rate.submit"), type="submit", class_name="primary"),
        draft_status(),
        on_submit=ReportPageState.rate,
        class_name="form card",
        aria_labelledby="rate-heading",
    )


@PAGES.add("/reports/[report_id]", "reports.nav", on_load=ReportPageState.load)
def report_page() -> rx.Component:
    s, v = ReportPageState, ReportPageState.view
    details = rx.el.article(
        rx.el.h1(category_label(v.category), " #", v.report_id, class_name="page-title"),
        rx.el.p(status_badge(v.status)),
        alert(s.message, "success"),
        alert(s.error),
        rx.el.p(v.description, class_name="report-description", lang=GREEK),
        rx.el.dl(
            rx.cond(v.place != "", rx.fragment(rx.el.dt(t("reports.page.address")), rx.el.dd(v.place, lang=GREEK))),
            rx.cond(v.coords != "", rx.fragment(rx.el.dt(t("reports.page.coords")), rx.el.dd(v.coords))),
            rx.el.dt(t("reports.page.unit")), rx.el.dd(v.unit, lang=GREEK),
            rx.el.dt(t("reports.page.created")), rx.el.dd(bi(v.created, v.created_en)),
            rx.el.dt(t("reports.page.reporter")),
            rx.el.dd(rx.cond(v.reporter != "", greek(v.reporter),
                             rx.cond(v.reporter_deleted, t("reports.page.reporter_deleted"),
                                     t("reports.page.reporter_hidden")))),
            rx.cond(v.department != "", rx.fragment(rx.el.dt(t("reports.page.department")),
                                                     rx.el.dd(department_label(v.department)))),
            rx.cond(v.forwarded_to != "", rx.fragment(rx.el.dt(t("reports.page.forwarded_to")),
                                                       rx.el.dd(v.forwarded_to, lang=GREEK))),
            rx.el.dt(t("reports.card.supporters")), rx.el.dd(v.supporters),
            rx.cond(v.rating != "", rx.fragment(rx.el.dt(t("reports.page.rating")), rx.el.dd(v.rating))),
            class_name="details",
        ),
        rx.cond(v.merged_into != "",
                rx.el.p(t("reports.page.merged_into"), " ",
                        link("#", v.merged_into, href="/reports/" + v.merged_into), class_name="alert success")),
        rx.cond(v.markers.length() > 0,
                syros_map(tile_url=v.tile_url, attribution=v.attribution, center=v.center, zoom=15,
                          points=v.markers, label=t("reports.page.map_label"), text=map_texts(),
                          class_name="syros-map small-map")),
        rx.cond(v.photos.length() > 0,
                rx.el.section(
                    rx.el.h2(t("reports.page.photos"), id="photos-heading"),
                    rx.el.ul(rx.foreach(v.photos, lambda src, i: rx.el.li(
                        rx.el.img(src=src, alt=t("reports.page.photo_alt"), loading="lazy", class_name="report-photo"))),
                        class_name="photo-grid"),
                    aria_labelledby="photos-heading")),
        rx.cond(v.can_support,
                rx.el.button(rx.icon("thumbs-up", size=18, aria_hidden="true"), t("reports.form.me_too"),
                             type="button", class_name="secondary", on_click=s.support)),
        rx.cond(v.supported, rx.el.p(t("reports.page.you_support"), class_name="muted")),
        rx.cond(v.can_rate, rating_form()),
        rx.el.section(
            rx.el.h2(t("reports.page.history"), id="history-heading"),
            rx.el.ol(rx.foreach(v.updates, update_item), class_name="timeline"),
            aria_labelledby="history-heading",
        ),
        rx.el.p(link(t("reports.page.back"), href="/reports")),
    )
    not_found = rx.fragment(page_title("reports.page.not_found"), rx.el.p(link(t("reports.page.back"), href="/reports")))
    return page_shell(when_loaded(s.loaded, s.found, details, not_found, _waiting()))


# --- public figures --------------------------------------------------------------------------------

def bar_chart(rows, label_fn, caption_key: str) -> rx.Component:
    """Plain HTML bars (received, and the share resolved within target); the table beside
    it carries every number, so the chart is hidden from screen readers."""
    def bar(row: FigureView) -> rx.Component:
        return rx.el.div(
            rx.el.span(label_fn(row), class_name="bar-label"),
            rx.el.span(rx.el.span(class_name="bar", style={"width": row.bar.to_string() + "%"}),
                       rx.el.span(bi(row.received, row.received_en), class_name="bar-value"), class_name="bar-track"),
            rx.el.span(rx.el.span(class_name="bar bar-within", style={"width": row.within_bar.to_string() + "%"}),
                       rx.el.span(bi(row.within_target, row.within_target_en), class_name="bar-value"),
                       class_name="bar-track"),
            class_name="bar-row",
        )

    return rx.el.figure(
        rx.el.figcaption(t(caption_key), class_name="muted"),
        rx.el.div(
            rx.el.div(rx.el.span(""), rx.el.span(t("reports.figures.received")),
                      rx.el.span(t("reports.figures.within_target")), class_name="bar-row bar-head"),
            rx.foreach(rows, bar),
            class_name="bars",
        ),
        aria_hidden="true",
        class_name="chart",
    )


def data_table(caption, columns: list, rows, row_fn, class_name: str = "figures-table") -> rx.Component:
    """A captioned table in a scroll box that keyboard users can focus (wide tables on phones)."""
    return rx.el.div(
        rx.el.table(rx.el.caption(caption), rx.el.thead(rx.el.tr(*[rx.el.th(c, scope="col") for c in columns])),
                    rx.el.tbody(rx.foreach(rows, row_fn)), class_name=class_name),
        class_name="table-scroll", tab_index=0,
    )


def table_section(id_: str, heading: list, hint_key: str, table: rx.Component) -> rx.Component:
    return rx.el.section(rx.el.h2(*heading, id=id_), rx.el.p(t(hint_key), class_name="hint"), table,
                         aria_labelledby=id_)


FIGURE_COLUMNS = ("reports.figures.received", "reports.figures.median_ack", "reports.figures.median_resolve",
                  "reports.figures.within_target", "reports.figures.overdue", "reports.figures.fixed_rate",
                  "reports.figures.satisfaction")


FIGURE_FIELDS = ("received", "median_ack", "median_resolve", "within_target", "overdue", "fixed_rate", "satisfaction")


def figure_cells(r) -> list[rx.Component]:
    """One ``<td>`` per figure, in the reader's language."""
    return [rx.el.td(bi(getattr(r, name), getattr(r, f"{name}_en"))) for name in FIGURE_FIELDS]


def figures_table(rows, label_fn, first_col_key: str, caption_key: str) -> rx.Component:
    def row(r: FigureView) -> rx.Component:
        return rx.el.tr(
            rx.el.th(label_fn(r), scope="row"), *figure_cells(r),
        )

    return data_table(t(caption_key), [t(k) for k in (first_col_key, *FIGURE_COLUMNS)], rows, row)


def figures_section(id_: str, title_key: str, rows, label_fn, first_col_key: str) -> rx.Component:
    return rx.el.section(
        rx.el.h2(t(title_key), id=id_),
        rx.cond(rows.length() > 0,
                rx.el.div(bar_chart(rows, label_fn, "reports.figures.chart_caption"),
                          figures_table(rows, label_fn, first_col_key, title_key), class_name="figures-pair"),
                rx.el.p(t("reports.figures.empty"), class_name="empty-state")),
        aria_labelledby=id_,
    )


def total_tiles() -> rx.Component:
    def tile(label_key: str, value) -> rx.Component:
        return rx.el.div(rx.el.dt(t(label_key)), rx.el.dd(value), class_name="tile")

    def tiles(row: FigureView) -> rx.Component:
        return rx.el.dl(*[tile(f"reports.figures.{name}", bi(getattr(row, name), getattr(row, f"{name}_en")))
                          for name in FIGURE_FIELDS], class_name="tiles")

    return rx.foreach(MeasurementState.total, tiles)


def drill_table() -> rx.Component:
    def row(r: DrillView) -> rx.Component:
        return rx.el.tr(
            rx.el.td(bi(r.month_label, r.month_label_en)), rx.el.td(category_label(r.category)), rx.el.td(r.unit, lang=GREEK),
            *figure_cells(r),
        )

    columns = [t(k) for k in ("reports.figures.month", "reports.figures.category", "reports.figures.unit",
                              *FIGURE_COLUMNS)]
    return table_section("drill-heading", [t("reports.figures.drill_title")], "reports.figures.drill_hint",
                         data_table(t("reports.figures.drill_title"), columns, MeasurementState.drill, row))


@PAGES.add("/measurement", "reports.figures.title", on_load=MeasurementState.load)
def measurement_page() -> rx.Component:
    s = MeasurementState
    return lead_page(
        "reports.figures.title", "reports.figures.intro",
        rx.el.p(t("reports.figures.working_days"), class_name="hint"),
        rx.el.form(
            select("fig-months", "reports.figures.period",
                   [(str(m), t(f"reports.figures.months_{m}")) for m in (3, 6, 12, 24, 36)],
                   value=s.months.to_string(), on_change=s.set_months),
            select("fig-category", "reports.filter.category", category_options(), value=s.category,
                   on_change=s.set_category),
            select("fig-unit", "reports.filter.unit", unit_options(), value=s.unit, on_change=s.set_unit),
            class_name="form filters",
            aria_label=t("reports.filter.label"),
        ),
        rx.el.p(t("reports.figures.period_shown"), ": ", bi(s.period, s.period_en), " · ",
                link(t("reports.figures.download_csv"), href=s.csv_url), " · ",
                link(t("reports.figures.download_json"), href=s.json_url), class_name="muted"),
        rx.el.section(rx.el.h2(t("reports.figures.summary"), id="summary-heading"), total_tiles(),
                      aria_labelledby="summary-heading"),
        figures_section("by-category", "reports.figures.by_category", s.by_category, lambda r: category_label(r.key),
                        "reports.figures.category"),
        figures_section("by-unit", "reports.figures.by_unit", s.by_unit, lambda r: unit_label(r.key),
                        "reports.figures.unit"),
        figures_section("by-month", "reports.figures.by_month", s.by_month,
                        lambda r: bi(r.month_label, r.month_label_en), "reports.figures.month"),
        rx.cond(s.is_staff, drill_table()),
        *measurement_sections(),
    )


# --- staff desk ------------------------------------------------------------------------------------

def queue_row(item: ReportCard) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.input(type="checkbox", name="bulk-" + item.id.to_string(), value="on", form="bulk-form",
                             id="bulk-" + item.id.to_string(), aria_label=t("reports.desk.bulk_pick") + " #" +
                             item.id.to_string()),
                 " ", link("#", item.id, href=item.url)),
        rx.el.td(category_label(item.category)),
        rx.el.td(item.unit, lang=GREEK),
        rx.el.td(status_badge(item.status)),
        rx.el.td(item.due, rx.cond(item.overdue, rx.el.span(t("reports.staff.overdue"), class_name="badge overdue"))),
        rx.el.td(department_label(item.department)),
        rx.el.td(rx.el.button(t("reports.staff.open"), rx.el.span(" #", item.id, class_name="visually-hidden"),
                              type="button", class_name="secondary small", id="open-" + item.id.to_string(),
                              on_click=StaffReportsState.select(item.id))),
        data_overdue=item.overdue.to_string(),
    )


def note_item(note: NoteView) -> rx.Component:
    return rx.el.li(rx.el.p(rx.el.strong(note.author), " ", rx.el.span(note.when, class_name="muted")),
                    rx.el.p(note.body, lang=GREEK), class_name="internal-note")


def desk_nearby_item(item: NearbyView) -> rx.Component:
    return rx.el.li(link("#", item.id, href=item.url), " ", status_badge(item.status), " ", greek(item.description),
                    rx.cond(item.distance != "", rx.el.span(" · ", item.distance, class_name="muted")))


def desk_where(d: DeskDetail) -> rx.Component:
    """Where the report is: the address as text, the map (its marker only shows where) and
    the open reports of its category close by, as map buttons and as a list."""
    return rx.el.section(
        rx.el.h3(t("reports.desk.where"), id="where-heading"),
        rx.el.p(rx.el.strong(t("reports.desk.address")), ": ", greek(d.place), class_name="desk-place"),
        rx.cond(
            d.markers.length() > 0,
            rx.fragment(
                rx.el.p(t("reports.desk.map_hint"), class_name="hint", id="desk-map-hint"),
                syros_map(tile_url=d.tile_url, attribution=d.attribution, center=d.center, zoom=16,
                          points=d.markers, label=t("reports.desk.map_label"), described_by="desk-map-hint",
                          text=map_texts(), class_name="syros-map small-map desk-map"),
                rx.el.h4(t("reports.desk.nearby_title")),
                rx.cond(d.nearby.length() > 0,
                        rx.fragment(rx.el.ul(rx.foreach(d.nearby, desk_nearby_item), class_name="desk-nearby"),
                                    rx.el.p(t("reports.desk.nearby_merge_hint"), class_name="hint")),
                        rx.el.p(t("reports.desk.nearby_none"), class_name="muted")),
            ),
            rx.el.p(t("reports.desk.no_point"), class_name="muted"),
        ),
        aria_labelledby="where-heading",
    )


def desk_detail(d: DeskDetail) -> rx.Component:
    """The staff-only detail: SLA clock, where it is, officer, internal notes, then the public history and photos."""
    s = StaffReportsState
    return rx.el.div(
        rx.el.p(rx.icon("clock", size=18, aria_hidden="true"), " ", rx.el.strong(t("reports.desk.sla")), " ",
                rx.el.span(d.sla, class_name="sla-clock", data_late=d.sla_late.to_string())),
        rx.el.p(t("reports.desk.reporter"), ": ", greek(d.reporter), rx.cond(d.coords != "", rx.fragment(" · ", d.coords)),
                " · ", link(t("reports.desk.public_page"), href="/reports/" + d.report_id.to_string())),
        desk_where(d),
        rx.el.form(
            rx.el.h3(t("reports.desk.officer")),
            rx.el.input(type="hidden", name="report_id", value=d.report_id),
            rx.el.div(
                rx.el.label(t("reports.desk.officer_label"), html_for="st-officer"),
                rx.el.select(rx.el.option(t("reports.desk.officer_none"), value=""),
                             rx.foreach(d.officers, lambda o: rx.el.option(o.name, value=o.id)),
                             id="st-officer", name="officer_id", default_value=d.assigned_id,
                             key="officer-" + d.report_id.to_string() + d.assigned_id),
                class_name="field"),
            rx.el.button(t("reports.desk.save_officer"), type="submit", class_name="secondary"),
            on_submit=s.assign_officer, class_name="form",
        ),
        rx.el.section(
            rx.el.h3(t("reports.desk.notes"), id="notes-heading"),
            rx.el.p(t("reports.desk.notes_hint"), class_name="hint"),
            rx.cond(d.notes.length() > 0, rx.el.ul(rx.foreach(d.notes, note_item), class_name="note-list"),
                    rx.el.p(t("reports.desk.no_notes"), class_name="muted")),
            rx.el.form(
                rx.el.input(type="hidden", name="report_id", value=d.report_id),
                rx.el.div(rx.el.label(t("reports.desk.note_label"), html_for="st-internal"),
                          rx.el.textarea(id="st-internal", name="body", rows=3, aria_describedby="st-internal-error",
                                         aria_invalid=rx.cond(s.note_error != "", "true", "false")),
                          field_error("st-internal", s.note_error), class_name="field"),
                rx.el.button(t("reports.desk.add_note"), type="submit", class_name="secondary"),
                on_submit=s.add_note, reset_on_submit=True, class_name="form",
            ),
            aria_labelledby="notes-heading",
        ),
        rx.el.h3(t("reports.desk.history")),
        rx.el.ol(rx.foreach(d.updates, update_item), class_name="timeline"),
        rx.cond(d.photos.length() > 0, rx.el.div(
            rx.el.h3(t("reports.desk.photos")),
            rx.el.ul(rx.foreach(d.photos, lambda src: rx.el.li(rx.el.a(
                rx.el.img(src=src, alt=t("reports.desk.photo_alt"), loading="lazy", width="160", class_name="thumb"),
                href=src, target="_blank", rel="noopener"))), class_name="photo-list"),
        )),
        class_name="desk-detail",
    )


def bulk_form() -> rx.Component:
    """One status, with one public note, for the reports ticked in the list (asks first)."""
    s = StaffReportsState
    statuses = [(st, t(f"reports.status.{st}")) for st in (rules.ACKNOWLEDGED, rules.IN_PROGRESS, rules.RESOLVED)]
    return rx.el.form(
        rx.el.h3(t("reports.desk.bulk_title")),
        select("bulk-status", "reports.desk.bulk_status", statuses, name="status"),
        rx.el.div(rx.el.label(t("reports.staff.note"), html_for="bulk-note"),
                  rx.el.textarea(id="bulk-note", name="note", rows=2, aria_describedby="bulk-note-error",
                                 aria_invalid=rx.cond(s.bulk_error != "", "true", "false")),
                  field_error("bulk-note", s.bulk_error), class_name="field"),
        rx.el.button(t("reports.desk.bulk_apply"), type="submit", class_name="secondary"),
        on_submit=s.ask_bulk, id="bulk-form", class_name="form bulk-form",
    )


def selected_panel(item: ReportCard) -> rx.Component:
    s = StaffReportsState
    status_options = [(st, t(f"reports.status.{st}")) for st in rules.STATUSES if st not in ("submitted", "merged")]
    return rx.el.section(
        rx.el.h2(t("reports.card.report"), " #", item.id, " · ", category_label(item.category), id="selected-heading",
                 tab_index=-1),
        rx.el.p(status_badge(item.status), greek(item.unit), " · ", greek(item.place)),
        rx.el.p(s.selected_text, lang=GREEK),
        rx.foreach(s.detail, desk_detail),
        rx.el.button(t("reports.desk.back_to_queue"), type="button", class_name="secondary",
                     on_click=s.close_detail(item.id)),
        rx.el.form(
            rx.el.h3(t("reports.staff.change_status")),
            rx.el.input(type="hidden", name="report_id", value=item.id),
            select("st-status", "reports.staff.new_status", status_options, name="status"),
            rx.el.div(rx.el.label(t("reports.staff.note"), html_for="st-note"),
                      rx.el.textarea(id="st-note", name="note", rows=3, required=True,
                                     aria_describedby="st-note-hint st-note-error",
                                     aria_invalid=rx.cond(s.status_note_error != "", "true", "false")),
                      rx.el.p(t("reports.staff.note_hint"), class_name="hint", id="st-note-hint"),
                      field_error("st-note", s.status_note_error), class_name="field"),
            rx.el.div(rx.el.label(t("reports.staff.forwarded_to"), html_for="st-forward"),
                      rx.el.input(id="st-forward", name="forwarded_to", list="forward-bodies", auto_complete="off"),
                      rx.el.datalist(*[rx.el.option(value=b) for b in rules.FORWARD_BODIES], id="forward-bodies"),
                      class_name="field"),
            rx.el.button(t("reports.staff.save_status"), type="submit", class_name="primary"),
            on_submit=s.change_status, reset_on_submit=True, class_name="form",
        ),
        rx.el.form(
            rx.el.h3(t("reports.staff.assign")),
            rx.el.input(type="hidden", name="report_id", value=item.id),
            select("st-department", "reports.staff.department",
                   [(d, t(f"reports.department.{d}")) for d in rules.DEPARTMENTS], name="department"),
            rx.el.button(t("reports.staff.save_assign"), type="submit", class_name="primary"),
            on_submit=s.assign, class_name="form",
        ),
        rx.el.form(
            rx.el.h3(t("reports.staff.merge")),
            rx.el.input(type="hidden", name="duplicate_id", value=item.id),
            rx.el.div(rx.el.label(t("reports.staff.merge_into"), html_for="st-into"),
                      rx.el.input(id="st-into", name="into_id", input_mode="numeric", required=True),
                      class_name="field"),
            rx.el.div(rx.el.label(t("reports.staff.note"), html_for="st-merge-note"),
                      rx.el.input(id="st-merge-note", name="note"), class_name="field"),
            rx.el.button(t("reports.staff.save_merge"), type="submit", class_name="danger"),
            on_submit=s.ask_merge, reset_on_submit=True, class_name="form",
        ),
        aria_labelledby="selected-heading",
        class_name="card staff-panel",
    )


def target_row(row: TargetView) -> rx.Component:
    s = StaffReportsState
    return rx.el.tr(
        rx.el.th(category_label(row.category), scope="row"),
        rx.cond(
            s.is_admin,
            rx.el.td(rx.el.form(
                rx.el.input(type="hidden", name="category", value=row.category),
                rx.el.label(t("reports.staff.ack_days"), html_for="ack-" + row.category, class_name="visually-hidden"),
                rx.el.input(id="ack-" + row.category, name="ack_days", type="number", min=1, max=365,
                            default_value=row.ack_days.to_string(), class_name="small-input"),
                rx.el.label(t("reports.staff.resolve_days"), html_for="res-" + row.category,
                            class_name="visually-hidden"),
                rx.el.input(id="res-" + row.category, name="resolve_days", type="number", min=1, max=365,
                            default_value=row.resolve_days.to_string(), class_name="small-input"),
                rx.el.button(t("reports.staff.save_target"), type="submit", class_name="secondary small"),
                on_submit=s.save_target, class_name="target-form",
            ), col_span=2),
            rx.fragment(rx.el.td(row.ack_days), rx.el.td(row.resolve_days)),
        ),
    )


def key_row(key: KeyView) -> rx.Component:
    return rx.el.li(
        rx.el.span(key.name, " (", key.prefix, "…) · ", key.created),
        rx.cond(key.revoked, rx.el.span(t("reports.staff.key_revoked_badge"), class_name="badge"),
                rx.el.button(t("reports.staff.revoke"), type="button", class_name="danger small",
                             on_click=StaffReportsState.revoke_key(key.id))),
        class_name="key-row",
    )


def summary_row(row: SummaryView) -> rx.Component:
    return rx.el.tr(rx.el.th(category_label(row.category), scope="row"),
                    rx.foreach(row.cells, lambda cell: rx.el.td(cell)), rx.el.td(row.total))


def triage_summary() -> rx.Component:
    columns = [t("reports.figures.category"), *rules.MUNICIPAL_UNITS, t("reports.staff.total")]
    return table_section("summary-heading", [t("reports.staff.summary")], "reports.staff.summary_hint",
                         data_table(t("reports.staff.summary"), columns, StaffReportsState.summary, summary_row))


@PAGES.add("/staff/reports", "reports.staff.title", on_load=StaffReportsState.load)
def staff_page() -> rx.Component:
    s = StaffReportsState
    desk = rx.fragment(
        alert(s.message, "success"),
        alert(s.error),
        rx.el.form(
            select("q-category", "reports.filter.category", category_options(), value=s.category,
                   on_change=s.set_category),
            select("q-unit", "reports.filter.unit", unit_options(), value=s.unit, on_change=s.set_unit),
            rx.el.div(rx.el.input(type="checkbox", id="q-overdue", checked=s.overdue_only,
                                  on_change=s.toggle_overdue),
                      rx.el.label(t("reports.staff.overdue_only"), html_for="q-overdue"), class_name="check"),
            class_name="form filters",
            aria_label=t("reports.filter.label"),
        ),
        confirm_dialog(s),
        # list and detail side by side on a desktop; on a phone the detail follows the
        # list, and opening a report scrolls to it and focuses it
        rx.el.div(
            rx.el.section(
                rx.el.h2(t("reports.staff.queue"), " (", s.queue.length(), ")", id="queue-heading"),
                data_table(t("reports.staff.queue_caption"), [t(k) for k in (
                    "reports.staff.col_id", "reports.figures.category", "reports.figures.unit",
                    "reports.staff.col_status", "reports.staff.col_due", "reports.staff.department",
                    "reports.staff.col_action")],
                    s.queue, queue_row, class_name="figures-table queue"),
                bulk_form(),
                aria_labelledby="queue-heading",
                class_name="desk-list",
            ),
            rx.foreach(s.selected, selected_panel),
            class_name="desk-grid",
        ),
        triage_summary(),
        table_section("targets-heading", [t("reports.staff.targets")], "reports.staff.targets_hint",
                      data_table(t("reports.staff.targets"), [t(k) for k in (
                          "reports.figures.category", "reports.staff.ack_days", "reports.staff.resolve_days")],
                          s.targets, target_row)),
        rx.cond(s.manages_keys, rx.el.section(
            rx.el.h2(t("reports.staff.keys"), id="keys-heading"),
            rx.el.p(t("reports.staff.keys_hint"), class_name="hint"),
            rx.cond(s.new_key != "", rx.el.div(rx.el.p(t("reports.staff.key_once")),
                                               rx.el.code(s.new_key, class_name="new-key"),
                                               class_name="alert success", role="status")),
            rx.el.form(
                rx.el.div(rx.el.label(t("reports.staff.key_name"), html_for="key-name"),
                          rx.el.input(id="key-name", name="name", required=True), class_name="field"),
                rx.el.button(t("reports.staff.issue"), type="submit", class_name="primary"),
                on_submit=s.issue_key, reset_on_submit=True, class_name="form",
            ),
            rx.el.ul(rx.foreach(s.keys, key_row), class_name="key-list"),
            aria_labelledby="keys-heading",
        )),
        rx.el.p(link(t("reports.nav_measurement"), href="/measurement")),
    )
    return gated_page("reports.staff.title", s.loaded, s.allowed, desk,
                      no_access("reports.errors.triage_only", ShellState.logged_in), waiting=_waiting())



add_pages = PAGES.add_pages

"""Pages of events: the public list, one event (register, waitlist, cancel, add to
calendar, minutes), the organisers' desk, and the events' section of /measurement."""

from __future__ import annotations

import reflex as rx

from syros_app.core.registry import backlinks
from syros_app.ui.components import alerts, card_list, confirm_dialog, field, loading, no_access, options
from syros_app.ui.i18n import by_language as bi, t
from syros_app.ui.layout import PageTable, ShellState, link, page_shell, page_title

from . import rules
from .state import EventCheckinState, EventPageState, EventsFiguresState, EventsListState, StaffEventsState
from .views import CheckinRow, EventCard, FigureView, StaffRow


def both(text) -> rx.Var:
    """A ``views.Both`` in the reader's language."""
    return bi(text.el, text.en)


def event_href(event_id) -> rx.Var:
    return "/events/" + event_id.to_string()


def kind_label(value) -> rx.Component:
    return rx.match(value, *[(k, t(f"events.kind.{k}")) for k in rules.KINDS], value)


def event_card(item: EventCard) -> rx.Component:
    return rx.el.li(
        rx.el.span(kind_label(item.kind), class_name="badge"),
        rx.el.h3(link(item.title, href=event_href(item.id)), lang="el"),  # what the municipality wrote
        rx.el.p(both(item.when), " · ", rx.el.span(item.place, lang="el"), class_name="muted"),
        rx.cond(item.has_minutes, rx.el.p(t("events.card.minutes")), rx.el.p(both(item.seats))),
        class_name="card",
    )


def _list_section(id_: str, heading_key: str, items, empty_key: str) -> rx.Component:
    return rx.el.section(rx.el.h2(t(heading_key), id=id_),
                         card_list(EventsListState.loaded, items, event_card, empty_key), aria_labelledby=id_)


def events_list_page() -> rx.Component:
    feeds = rx.el.p(link(t("events.list.subscribe"), href="/api/v1/events.ics"), " · ",
                    link(t("events.list.open_data"), href="/api/v1/events"), class_name="muted")
    return page_shell(
        page_title("events.list.title"), rx.el.p(t("events.list.intro"), class_name="lead"), feeds,
        _list_section("upcoming-heading", "events.list.upcoming", EventsListState.upcoming,
                      "events.list.none_upcoming"),
        _list_section("past-heading", "events.list.past", EventsListState.past, "events.list.none_past"),
    )


def my_place() -> rx.Component:
    v = EventPageState.view
    cancel = rx.el.button(t("events.page.cancel"), type="button", class_name="button secondary",
                          on_click=EventPageState.cancel)
    attended = rx.match(v.my_attended, ("yes", rx.el.p(rx.el.strong(t("events.page.you_attended")))),
                        ("no", rx.el.p(t("events.page.you_did_not_attend"), class_name="muted")), rx.fragment())
    return rx.cond(v.my_attended != "", attended, rx.match(
        v.my_status,
        ("registered", rx.el.div(rx.el.p(rx.el.strong(t("events.page.you_registered"))), cancel)),
        ("waitlisted", rx.el.div(rx.el.p(rx.el.strong(t("events.page.you_waitlisted"))),
                                 rx.el.p(both(v.my_position)), cancel)),
        rx.cond(
            v.can_register,
            rx.el.button(rx.cond(v.full, t("events.page.join_waitlist"), t("events.page.register")), type="button",
                         class_name="button primary", on_click=EventPageState.register),
            rx.cond(v.closed_reason != "",
                    rx.el.p(rx.match(v.closed_reason, *[(k, t(k)) for k in CLOSED_REASONS], ""), class_name="muted"),
                    rx.cond(EventPageState.logged_in, rx.fragment(),
                            rx.el.a(t("events.page.log_in"), href="/auth/login", class_name="button"))),
        ),
    ))


CLOSED_REASONS = ("events.errors.cancelled", "events.errors.started", "events.errors.registration_closed")


def event_detail() -> rx.Component:
    v = EventPageState.view
    return rx.el.article(
        rx.el.p(rx.el.span(kind_label(v.kind), class_name="badge"),
                rx.cond(v.cancelled, rx.el.span(t("events.status.cancelled"), class_name="badge"))),
        rx.el.h1(v.title, class_name="page-title", tab_index=-1, lang="el"),
        rx.el.dl(
            rx.el.dt(t("events.page.when")), rx.el.dd(both(v.when)),
            rx.el.dt(t("events.page.where")),
            rx.el.dd(rx.el.span(v.place, lang="el"), rx.cond(v.map_url != "", rx.el.span(" · ", rx.el.a(t("events.page.map"),
                                                                                   href=v.map_url)))),
            rx.el.dt(t("events.page.seats")), rx.el.dd(both(v.seats)),
        ),
        rx.el.p(v.description, class_name="prose", style={"white_space": "pre-line"}, lang="el"),
        *backlinks("event"),
        rx.el.section(rx.el.h2(t("events.page.your_place"), id="place-heading"), alerts(EventPageState), my_place(),
                      aria_labelledby="place-heading"),
        rx.el.p(rx.el.a(t("events.page.add_to_calendar"), href=v.ical_url, class_name="button secondary")),
        rx.cond(v.minutes != "", rx.el.section(
            rx.el.h2(t("events.page.minutes"), id="minutes-heading"),
            rx.el.p(v.minutes, class_name="prose", style={"white_space": "pre-line"}),
            rx.cond(v.recording_url != "", rx.el.p(rx.el.a(t("events.page.recording"), href=v.recording_url,
                                                           rel="noopener noreferrer"))),
            aria_labelledby="minutes-heading")),
        rx.el.p(link(t("events.page.back"), href="/events")),
    )


def event_page() -> rx.Component:
    s = EventPageState
    return page_shell(rx.cond(s.loaded, rx.cond(s.found, event_detail(), rx.fragment(
        page_title("events.page.not_found"), rx.el.p(link(t("events.page.back"), href="/events")))), loading()))


# --- organisers' desk -----------------------------------------------------------------------------

def _input(name: str, row, **props) -> rx.Component:
    """A field of the event form, labelled ``events.form.<name>``, filled from ``row.form``."""
    return field(f"events.form.{name}", rx.el.input(id=f"ev-{name}", name=name, default_value=row.form[name],
                                                     **props), f"ev-{name}")


def event_form() -> rx.Component:
    e = StaffEventsState.editing
    return rx.el.form(
        rx.el.h2(rx.cond(e.id > 0, t("events.staff.edit_title"), t("events.staff.new_title")), id="form-heading"),
        rx.el.input(type="hidden", name="event_id", value=e.id),
        field("events.form.kind", rx.el.select(*options("events.kind", rules.KINDS), id="ev-kind", name="kind",
                                               default_value=e.kind), "ev-kind"),
        _input("title", e, required=True, max_length=rules.MAX_TITLE),
        field("events.form.description", rx.el.textarea(id="ev-description", name="description", rows=4,
                                                        default_value=e.form["description"], required=True),
              "ev-description"),
        _input("place", e, required=True, max_length=rules.MAX_PLACE),
        _input("starts_at", e, type="datetime-local", required=True),
        _input("ends_at", e, type="datetime-local", required=True),
        _input("capacity", e, type="number", min=1, input_mode="numeric"),
        _input("lat", e, input_mode="decimal"),
        _input("lon", e, input_mode="decimal"),
        rx.el.div(rx.el.input(type="checkbox", id="ev-open", name="registration_open",
                              default_checked=(e.id == 0) | (e.form["registration_open"] == "on")),
                  rx.el.label(t("events.form.registration_open"), html_for="ev-open"), class_name="field"),
        rx.el.div(rx.el.button(t("events.form.save"), type="submit", class_name="button primary"),
                  rx.el.button(t("events.staff.new"), type="button", class_name="button secondary",
                               on_click=StaffEventsState.new), class_name="button-row"),
        on_submit=StaffEventsState.save, reset_on_submit=False, key=e.id.to_string(), class_name="form card",
        aria_labelledby="form-heading",
    )


def minutes_form(row: StaffRow) -> rx.Component:
    minutes_id, url_id = f"min-{row.id}", f"rec-{row.id}"
    return rx.el.form(
        rx.el.input(type="hidden", name="event_id", value=row.id),
        rx.el.label(t("events.form.minutes"), html_for=minutes_id),
        rx.el.textarea(id=minutes_id, name="minutes", rows=3, default_value=row.form["minutes"]),
        rx.el.label(t("events.form.recording_url"), html_for=url_id),
        rx.el.input(id=url_id, name="recording_url", type="url", default_value=row.form["recording_url"]),
        rx.el.label(t("events.form.attendance"), html_for=f"att-{row.id}"),
        rx.el.input(id=f"att-{row.id}", name="attendance", type="number", min=0, input_mode="numeric",
                    default_value=row.form["attendance"]),
        rx.el.button(t("events.form.publish"), type="submit", class_name="button secondary"),
        on_submit=StaffEventsState.publish, reset_on_submit=False, class_name="form",
    )


def staff_row(row: StaffRow) -> rx.Component:
    return rx.el.li(
        rx.el.span(kind_label(row.kind), class_name="badge"),
        rx.cond(row.status == rules.CANCELLED, rx.el.span(t("events.status.cancelled"), class_name="badge")),
        rx.el.h3(link(row.title, href=event_href(row.id))),
        rx.el.p(both(row.when), class_name="muted"),
        rx.el.p(t("events.staff.counts"), ": ", row.registered, " / ", row.capacity, " · ",
                t("events.staff.waitlist"), ": ", row.waitlisted),
        rx.cond(row.status != rules.CANCELLED, rx.el.div(
            rx.cond(row.past, rx.fragment(), rx.el.button(t("events.staff.edit"), type="button", class_name="button",
                                                          on_click=StaffEventsState.edit(row.id))),
            rx.cond(row.past, rx.fragment(), rx.el.button(t("events.staff.cancel"), type="button",
                                                          class_name="button secondary",
                                                          on_click=StaffEventsState.ask_cancel(row.id))),
            link(t("events.staff.checkin"), href="/staff/events/" + row.id.to_string() + "/attendance",
                 class_name="button secondary"),
            class_name="button-row")),
        rx.cond(row.can_publish, minutes_form(row)),
        class_name="card",
    )


def staff_page() -> rx.Component:
    s = StaffEventsState
    return page_shell(
        page_title("events.staff.title"),
        rx.cond(s.loaded, rx.cond(s.allowed, rx.fragment(
            alerts(s),
            event_form(),
            rx.el.section(rx.el.h2(t("events.staff.all"), id="all-heading"),
                          card_list(s.loaded, s.rows, staff_row, "events.list.none_upcoming"),
                          aria_labelledby="all-heading"),
            confirm_dialog(s),
        ), no_access("events.errors.staff_only", ShellState.logged_in)), loading()),
    )


# --- the check-in list at the door -----------------------------------------------------------------

def _mark_button(row: CheckinRow, value: str, label_key: str) -> rx.Component:
    # the pressed one is filled in by the style sheet (.mark-toggle[aria-pressed="true"])
    return rx.el.button(t(label_key), type="button", aria_pressed=rx.cond(row.mark == value, "true", "false"),
                        class_name="button secondary mark-toggle", on_click=EventCheckinState.mark(row.id, value == "yes"))


def checkin_row(row: CheckinRow) -> rx.Component:
    name_id = "checkin-name-" + row.id.to_string()
    return rx.el.li(
        rx.el.p(rx.el.strong(row.name), id=name_id),
        rx.cond(EventCheckinState.view.open,
                rx.el.div(_mark_button(row, "yes", "events.checkin.came"),
                          _mark_button(row, "no", "events.checkin.missed"),
                          role="group", aria_labelledby=name_id, class_name="button-row"),
                rx.el.p(rx.match(row.mark, ("yes", t("events.checkin.came")), ("no", t("events.checkin.missed")),
                                 t("events.checkin.unmarked")), class_name="muted")),
        class_name="card checkin-row",
    )


def checkin_page() -> rx.Component:
    s, v = EventCheckinState, EventCheckinState.view
    body = rx.fragment(
        rx.el.h1(t("events.checkin.title"), ": ", v.title, class_name="page-title", tab_index=-1),
        rx.el.p(both(v.when), class_name="muted"),
        rx.el.p(t("events.checkin.intro"), class_name="hint"),
        rx.cond(v.open, rx.fragment(), rx.el.p(t("events.checkin.not_yet"), class_name="alert info")),
        alerts(s),
        rx.el.p(both(v.summary), role="status", aria_live="polite", class_name="checkin-summary"),
        card_list(s.loaded, v.rows, checkin_row, "events.checkin.empty", aria_label=t("events.checkin.title")),
        rx.el.p(link(t("events.checkin.back"), href="/staff/events")),
    )
    return page_shell(rx.cond(s.loaded, rx.cond(s.allowed, rx.cond(s.found, body, rx.fragment(
        page_title("events.page.not_found"), rx.el.p(link(t("events.checkin.back"), href="/staff/events")))),
        no_access("events.errors.staff_only", ShellState.logged_in)), loading()))


# --- /measurement -------------------------------------------------------------------------------

def figure_row(r: FigureView) -> rx.Component:
    return rx.el.tr(rx.el.th(r.quarter, scope="row"), rx.el.td(kind_label(r.kind)),
                    rx.foreach(r.cells, lambda cell: rx.el.td(both(cell))))


FIGURE_COLUMNS = ("events.figures.quarter", "events.figures.kind", "events.figures.held",
                  "events.figures.registrations", "events.figures.with_minutes", "events.figures.attendance_rate")


def measurement_section() -> rx.Component:
    s = EventsFiguresState
    table = rx.el.div(rx.el.table(
        rx.el.caption(t("events.figures.title")),
        rx.el.thead(rx.el.tr(*[rx.el.th(t(k), scope="col") for k in FIGURE_COLUMNS])),
        rx.el.tbody(rx.foreach(s.figures, figure_row))), class_name="table-scroll", tab_index=0)
    return rx.el.section(
        rx.el.h2(t("events.figures.title"), id="events-figures"),
        rx.el.p(t("events.figures.definition"), class_name="hint"),
        rx.cond(s.loaded, rx.cond(s.figures.length() > 0, table,
                                  rx.el.p(t("events.figures.empty"), class_name="empty-state")), loading()),
        rx.el.p(link(t("events.figures.csv"), href="/api/v1/events/figures.csv"), " · ",
                link(t("events.list.open_data"), href="/api/v1/events"), class_name="muted"),
        aria_labelledby="events-figures", on_mount=EventsFiguresState.load,
    )


add_pages = PageTable.of(
    (events_list_page, "/events", "events.list.title", EventsListState.load),
    (event_page, "/events/[event_id]", "events.nav", EventPageState.load),
    (staff_page, "/staff/events", "events.staff.title", StaffEventsState.load),
    (checkin_page, "/staff/events/[event_id]/attendance", "events.checkin.title", EventCheckinState.load),
).add_pages

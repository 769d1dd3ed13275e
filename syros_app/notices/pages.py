"""Pages of notices: archive, one notice, subscribe, e-mail links, staff board."""

from __future__ import annotations

import reflex as rx

from syros_app.ui.i18n import GREEK, greek, lang_when, t
from syros_app.ui.components import alerts, confirm_dialog, field_error, no_access
from syros_app.ui.layout import PageTable, ShellState, gated_page, lead_page, link, page_shell, page_title

from . import rules
from .staff_alerts import KINDS as _STAFF_ALERT_KINDS
from .state import LinkState, NoticeDetailState, NoticesState, StaffAlertsState, StaffNoticesState, SubscribeState
from .views import NoticeCard, StaffNoticeRow, SubscriptionView

PAGES = PageTable()


_CARD = "card notice"
_URGENT_CARD = "card notice urgent"


def _alerts(state) -> rx.Component:
    return rx.fragment(
        rx.cond(state.error != "", rx.el.div(state.error, role="alert", class_name="alert error")),
        rx.cond(state.success != "", rx.el.div(state.success, role="status", class_name="alert success")),
    )


def _category_options(include_all: bool) -> list[rx.Component]:
    options = [rx.el.option(t("notices.filter_all_categories"), value="")] if include_all else []
    return options + [rx.el.option(t(rules.category_key(c)), value=c) for c in rules.CATEGORIES]


def _area_options(all_key: str) -> list[rx.Component]:
    return [rx.el.option(t(all_key), value="")] + [rx.el.option(a, value=a, lang=GREEK) for a in rules.AREAS]


def notice_card(item: NoticeCard) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.cond(item.urgent, rx.el.span(t("notices.urgent"), class_name="badge urgent")),
            rx.el.span(item.category_label, class_name="badge"),
            rx.el.span(item.area_label, class_name="badge area", lang=lang_when(item.area_greek)),
            class_name="notice-badges",
        ),
        rx.el.h2(link(item.title, href=item.url), class_name="notice-title", lang=GREEK),
        rx.cond(item.correction != "", rx.el.p(item.correction, class_name="alert error notice-correction")),
        rx.el.p(item.excerpt, lang=GREEK),
        rx.el.p(t("notices.published"), ": ", item.published, class_name="muted"),
        class_name=rx.cond(item.urgent, _URGENT_CARD, _CARD),
    )


@PAGES.add("/notices", "notices.title", on_load=NoticesState.load)
def archive_page() -> rx.Component:
    return lead_page(
        "notices.title", "notices.intro",
        rx.el.p(
            link(t("notices.subscribe_link"), href="/notices/subscribe", class_name="button primary"),
            " ",
            rx.el.a(t("notices.feed_link"), href="/api/v1/notices.atom", class_name="button secondary",
                    type="application/atom+xml"),
            class_name="notice-actions",
        ),
        rx.el.div(
            rx.el.div(
                rx.el.label(t("notices.filter_category"), html_for="filter-category"),
                rx.el.select(*_category_options(True), id="filter-category", value=NoticesState.category_filter,
                             on_change=NoticesState.set_category_filter),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label(t("notices.filter_area"), html_for="filter-area"),
                rx.el.select(*_area_options("notices.filter_all_areas"), id="filter-area",
                             value=NoticesState.area_filter, on_change=NoticesState.set_area_filter),
                class_name="field",
            ),
            class_name="form filters", role="search", aria_label=t("notices.filters"),
        ),
        rx.cond(
            NoticesState.loaded,
            rx.cond(NoticesState.items.length() > 0,
                    rx.el.ul(rx.foreach(NoticesState.items, notice_card), class_name="card-list notice-list"),
                    rx.el.p(t("notices.empty"), class_name="empty-state")),
            rx.el.p(t("home.loading"), class_name="muted", aria_live="polite"),
        ),
    )


@PAGES.add("/notices/[notice_id]", "notices.title", on_load=NoticeDetailState.load)
def detail_page() -> rx.Component:
    notice = NoticeDetailState.notice
    return page_shell(
        rx.cond(
            NoticeDetailState.notice,
            rx.el.article(
                rx.el.div(
                    rx.cond(notice.urgent, rx.el.span(t("notices.urgent"), class_name="badge urgent")),
                    rx.el.span(notice.category_label, class_name="badge"),
                    rx.el.span(notice.area_label, class_name="badge area", lang=lang_when(notice.area_greek)),
                    class_name="notice-badges",
                ),
                rx.el.h1(notice.title, class_name="page-title", lang=GREEK),
                rx.cond(notice.correction != "", rx.el.p(notice.correction, class_name="alert error notice-correction")),
                rx.el.p(t("notices.published"), ": ", notice.published, class_name="muted"),
                rx.cond(notice.validity != "", rx.el.p(notice.validity, class_name="muted")),
                rx.el.div(notice.body, class_name="notice-body", lang=GREEK),
                rx.cond(notice.link != "", rx.el.p(rx.el.a(t("notices.more_info"), href=notice.link,
                                                           rel="noopener noreferrer"))),
                rx.el.p(link(t("notices.back"), href="/notices")),
                class_name="notice-detail",
            ),
            rx.cond(
                NoticeDetailState.loaded,
                rx.fragment(page_title("notices.not_found"), rx.el.p(link(t("notices.back"), href="/notices"))),
                rx.el.p(t("home.loading"), class_name="muted", aria_live="polite"),
            ),
        ),
    )


def _checkbox(prefix: str, value: str, label, checked, on_change) -> rx.Component:
    box_id = f"{prefix}-{rules.CATEGORIES.index(value) if value in rules.CATEGORIES else rules.AREAS.index(value)}"
    return rx.el.div(
        rx.el.input(type="checkbox", id=box_id, name=box_id, checked=checked, on_change=on_change),
        # an area's label is its (Greek) place name
        rx.el.label(label, html_for=box_id, **({"lang": GREEK} if value in rules.AREAS else {})),
        class_name="check",
    )


def _contact_form(name: str, channel: str, kind: str, auto_complete: str, on_submit) -> rx.Component:
    """The one-field form of the e-mail or SMS channel (field ``sub-<name>``, texts by catalogue key)."""
    return rx.el.form(
        rx.el.div(
            rx.el.label(t(f"notices.subscribe.{name}_label"), html_for=f"sub-{name}"),
            rx.el.input(id=f"sub-{name}", name=name, type=kind, auto_complete=auto_complete, input_mode=kind),
            rx.el.p(t(f"notices.subscribe.{name}_hint"), class_name="hint"),
            class_name="field",
        ),
        rx.el.button(t(f"notices.subscribe.{channel}_submit"), type="submit", class_name="button primary"),
        on_submit=on_submit, class_name="form", no_validate=True,
    )


def _my_subscription(item: SubscriptionView) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(item.channel_label), " · ", item.address),
        rx.el.p(item.categories, class_name="muted"),
        rx.cond(~item.confirmed, rx.el.p(t("notices.subscribe.unconfirmed"), class_name="muted")),
        rx.el.button(t("notices.subscribe.remove"), type="button", class_name="button danger",
                     on_click=SubscribeState.remove_mine(item.id)),
        class_name="card",
    )


@PAGES.add("/notices/subscribe", "notices.subscribe.title", on_load=SubscribeState.load)
def subscribe_page() -> rx.Component:
    return lead_page(
        "notices.subscribe.title", "notices.subscribe.intro",
        _alerts(SubscribeState),
        rx.el.section(
            rx.el.fieldset(
                rx.el.legend(t("notices.subscribe.categories")),
                rx.el.p(t("notices.subscribe.urgent_note"), class_name="hint"),
                *[_checkbox("cat", c, t(rules.category_key(c)), SubscribeState.categories.contains(c),
                            lambda _v, c=c: SubscribeState.toggle_category(c)) for c in rules.CATEGORIES],
                class_name="checks",
            ),
            rx.el.fieldset(
                rx.el.legend(t("notices.subscribe.areas")),
                rx.el.p(t("notices.subscribe.areas_hint"), class_name="hint"),
                *[_checkbox("area", a, a, SubscribeState.areas.contains(a),
                            lambda _v, a=a: SubscribeState.toggle_area(a)) for a in rules.AREAS],
                class_name="checks",
            ),
            class_name="form",
        ),
        rx.el.section(
            rx.el.h2(t("notices.subscribe.push_title"), id="push-heading"),
            rx.el.p(t("notices.subscribe.push_text")),
            rx.cond(SubscribeState.push_status == "unsupported",
                    rx.el.p(t("notices.errors.push_unsupported"), class_name="hint")),
            rx.el.button(
                rx.cond(SubscribeState.push_status == "on", t("notices.subscribe.push_update"),
                        t("notices.subscribe.push_enable")),
                type="button", id="push-enable", class_name="button primary", on_click=SubscribeState.enable_push),
            rx.cond(SubscribeState.push_status == "on",
                    rx.el.button(t("notices.subscribe.push_disable"), type="button", id="push-disable",
                                 class_name="button secondary", on_click=SubscribeState.disable_push)),
            aria_labelledby="push-heading", class_name="card channel",
        ),
        rx.el.section(
            rx.el.h2(t("notices.subscribe.email_title"), id="email-heading"),
            _contact_form("email", "email", "email", "email", SubscribeState.subscribe_email),
            aria_labelledby="email-heading", class_name="card channel",
        ),
        rx.el.section(
            rx.el.h2(t("notices.subscribe.sms_title"), id="sms-heading"),
            _contact_form("phone", "sms", "tel", "tel", SubscribeState.subscribe_sms),
            rx.cond(
                SubscribeState.sms_waiting,
                rx.el.form(
                    rx.el.div(
                        rx.el.label(t("notices.subscribe.code_label"), html_for="sub-code"),
                        rx.el.input(id="sub-code", name="code", type="text", input_mode="numeric",
                                    auto_complete="one-time-code", max_length=6),
                        class_name="field",
                    ),
                    rx.el.button(t("notices.subscribe.code_submit"), type="submit", class_name="button primary"),
                    on_submit=SubscribeState.confirm_sms, class_name="form", no_validate=True,
                ),
            ),
            aria_labelledby="sms-heading", class_name="card channel",
        ),
        rx.cond(
            SubscribeState.logged_in,
            rx.el.section(
                rx.el.h2(t("notices.subscribe.mine"), id="mine-heading"),
                rx.cond(SubscribeState.mine.length() > 0,
                        rx.el.ul(rx.foreach(SubscribeState.mine, _my_subscription), class_name="card-list"),
                        rx.el.p(t("notices.subscribe.mine_empty"), class_name="empty-state")),
                aria_labelledby="mine-heading",
            ),
        ),
        rx.el.p(t("notices.subscribe.privacy"), class_name="muted"),
    )


@PAGES.add("/notices/confirm", "notices.confirm.title", on_load=LinkState.load_confirm)
def confirm_page() -> rx.Component:
    return page_shell(
        page_title("notices.confirm.title"),
        _alerts_link(),
        rx.el.p(link(t("notices.back"), href="/notices")),
    )


def _alerts_link() -> rx.Component:
    return rx.fragment(
        rx.cond(LinkState.error != "", rx.el.div(LinkState.error, role="alert", class_name="alert error")),
        rx.cond(LinkState.message != "", rx.el.div(LinkState.message, role="status", class_name="alert success")),
    )


@PAGES.add("/notices/unsubscribe", "notices.unsubscribe.title", on_load=LinkState.load_unsubscribe)
def unsubscribe_page() -> rx.Component:
    return page_shell(
        page_title("notices.unsubscribe.title"),
        _alerts_link(),
        rx.cond(
            (LinkState.error == "") & ~LinkState.done & (LinkState.address != ""),
            rx.el.div(
                rx.el.p(t("notices.unsubscribe.question"), " ", rx.el.strong(LinkState.address)),
                rx.el.button(t("notices.unsubscribe.button"), type="button", id="unsubscribe-button",
                             class_name="button danger", on_click=LinkState.unsubscribe),
                class_name="card",
            ),
        ),
        rx.el.p(link(t("notices.back"), href="/notices")),
    )


def _staff_row(row: StaffNoticeRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(greek(link(row.title, href=row.url)), rx.cond(row.urgent, rx.el.span(t("notices.urgent"),
                                                                                class_name="badge urgent"))),
        rx.el.td(row.category_label, rx.el.br(), rx.el.span(row.area_label, lang=lang_when(row.area_greek))),
        rx.el.td(row.published),
        rx.el.td(row.sent, class_name="num"),
        rx.el.td(row.failed, rx.cond(row.failures != "", rx.el.span(" (", row.failures, ")", class_name="muted")),
                 class_name="num"),
        rx.el.td(row.pending, class_name="num"),
        rx.el.td(rx.cond(row.withdrawn, rx.el.span(t("notices.staff.withdrawn"), class_name="badge"),
                         rx.el.button(t("notices.staff.withdraw"), rx.el.span(" · ", row.title, class_name="visually-hidden"),
                                      type="button", class_name="button secondary small",
                                      on_click=StaffNoticesState.ask_withdraw(row.id)))),
    )


@PAGES.add("/staff/notices", "notices.staff.heading", on_load=StaffNoticesState.load)
def staff_page() -> rx.Component:
    S = StaffNoticesState
    form = rx.el.form(
        rx.el.div(rx.el.label(t("notices.staff.title_label"), html_for="n-title"),
                  rx.el.input(id="n-title", name="title", type="text", max_length=160, aria_describedby="n-title-error",
                              aria_invalid=rx.cond(S.title_error != "", "true", "false")),
                  field_error("n-title", S.title_error), class_name="field"),
        rx.el.div(rx.el.label(t("notices.staff.body_label"), html_for="n-body"),
                  rx.el.textarea(id="n-body", name="body", rows=6, aria_describedby="n-body-error",
                                 aria_invalid=rx.cond(S.body_error != "", "true", "false")),
                  field_error("n-body", S.body_error), class_name="field"),
        rx.el.div(rx.el.label(t("notices.staff.category_label"), html_for="n-category"),
                  rx.el.select(*_category_options(False), id="n-category", name="category", default_value="general"),
                  class_name="field"),
        rx.el.div(rx.el.label(t("notices.staff.area_label"), html_for="n-area"),
                  rx.el.select(*_area_options("notices.area_all"), id="n-area", name="area", default_value=""),
                  class_name="field"),
        rx.el.div(rx.el.input(type="checkbox", id="n-urgent", name="urgent", aria_describedby="n-urgent-hint"),
                  rx.el.label(t("notices.staff.urgent_label"), html_for="n-urgent"),
                  rx.el.p(t("notices.staff.urgent_hint"), id="n-urgent-hint", class_name="hint"), class_name="check"),
        rx.el.div(rx.el.label(t("notices.staff.valid_from_label"), html_for="n-from"),
                  rx.el.input(id="n-from", name="valid_from", type="datetime-local"), class_name="field"),
        rx.el.div(rx.el.label(t("notices.staff.valid_until_label"), html_for="n-until"),
                  rx.el.input(id="n-until", name="valid_until", type="datetime-local"), class_name="field"),
        rx.el.div(rx.el.label(t("notices.staff.link_label"), html_for="n-link"),
                  rx.el.input(id="n-link", name="link", type="url"), class_name="field"),
        rx.el.button(t("notices.staff.publish"), type="submit", class_name="button primary"),
        on_submit=S.ask_publish, reset_on_submit=False, class_name="form", key=S.form_key, no_validate=True,
    )
    return page_shell(
        page_title("notices.staff.heading"),
        rx.cond(
            S.allowed,
            rx.fragment(
                _alerts(S),
                rx.el.section(rx.el.h2(t("notices.staff.write"), id="write-heading"), form,
                              aria_labelledby="write-heading", class_name="card"),
                rx.el.section(
                    rx.el.h2(t("notices.staff.list"), id="list-heading"),
                    rx.el.button(t("notices.staff.refresh"), type="button", class_name="button secondary",
                                 on_click=S.load),
                    rx.el.div(
                        rx.el.table(
                            rx.el.thead(rx.el.tr(
                                rx.el.th(t("notices.staff.col_notice"), scope="col"),
                                rx.el.th(t("notices.staff.col_category"), scope="col"),
                                rx.el.th(t("notices.staff.col_published"), scope="col"),
                                rx.el.th(t("notices.staff.col_sent"), scope="col"),
                                rx.el.th(t("notices.staff.col_failed"), scope="col"),
                                rx.el.th(t("notices.staff.col_pending"), scope="col"),
                                rx.el.th(t("notices.staff.col_action"), scope="col"),
                            )),
                            rx.el.tbody(rx.foreach(S.rows, _staff_row)),
                            id="staff-notices-table",
                        ),
                        class_name="table-scroll", tab_index=0, role="region", aria_label=t("notices.staff.table_label"),
                    ),
                    aria_labelledby="list-heading",
                ),
            ),
            no_access("notices.errors.administrators_only", ShellState.logged_in),
        ),
        rx.cond(S.allowed, confirm_dialog(S)),
    )



@PAGES.add("/staff/alerts", "notices.staff_alert.title", on_load=StaffAlertsState.load)
def staff_alerts_page() -> rx.Component:
    """A staff person turns each kind of "work has arrived" alert on or off."""
    S = StaffAlertsState
    boxes = [rx.el.div(rx.el.input(type="checkbox", id=f"alert-{kind}", name=f"alert-{kind}",
                                   default_checked=S.view.kinds_on.contains(kind),
                                   key=S.view.kinds_on.contains(kind).to_string() + kind),
                       rx.el.label(t(f"notices.staff_alert.kind_{kind}"), html_for=f"alert-{kind}"), class_name="check")
             for kind in _STAFF_ALERT_KINDS]
    channel_names = rx.foreach(S.view.channels, lambda c, i: rx.el.span(
        rx.cond(i > 0, ", ", ""), rx.cond(c == "push", t("notices.staff_alert.channel_push"),
                                      t("notices.staff_alert.channel_email"))))
    content = rx.fragment(
        rx.el.p(S.view.intro),
        alerts(S),
        rx.cond(S.view.channels.length() > 0,
                rx.el.p(t("notices.staff_alert.channels_label"), " ", channel_names, "."),
                rx.el.p(t("notices.staff_alert.no_channels"), class_name="alert warning")),
        rx.el.p(link(t("notices.staff_alert.subscribe_link"), href="/notices/subscribe")),
        rx.el.form(
            rx.el.fieldset(rx.el.legend(t("notices.staff_alert.legend")), *boxes),
            rx.el.button(t("notices.staff_alert.save"), type="submit", class_name="button primary"),
            on_submit=S.save, class_name="form", id="staff-alerts-form",
        ),
    )
    return gated_page("notices.staff_alert.title", S.loaded, S.allowed, content,
                      no_access("notices.errors.staff_alerts_only", ShellState.logged_in))


add_pages = PAGES.add_pages

"""Pages of consultations, phone first (360 px): the list, one consultation with its
comments, the printable report, and the staff pages (consultations, moderation).

Everything a resident wrote is a text child (React escapes it); links in comments
are plain text until a moderator approves them, and then carry rel="nofollow ugc".
"""

from __future__ import annotations

import reflex as rx

from syros_app.core.i18n import catalogues
from syros_app.core.registry import backlinks
from syros_app.identity.roles import MUNICIPAL_UNITS
from syros_app.ui.components import alerts, card_list, confirm_dialog, field, loading, no_access, options, when_loaded
from syros_app.ui.i18n import GREEK, LanguageState, by_language as bi, greek, lang_when, t
from syros_app.ui.layout import PageTable, ShellState, draft_status, lead_page, link, page_shell, page_title

from . import rules
from .state import ConsultationListState, ConsultationState, ModerationState, ReportState
from .state import PageModerationState, StaffConsultationsState, StaffConsultationState
from .views import CommentItem, DiffLineView, ListItem, QueueView, ReportSection, SectionView, StaffCommentRow
from .views import StaffListItem

PHASES = ("open", "upcoming", "closed", "report_published", "draft")
QUEUE_KINDS = ("pending", "flagged", "links", "hidden")

PAGES = PageTable()


def choice(prefix: str, value: rx.Var, values) -> rx.Var:
    """The catalogue text of ``prefix.<value>`` for a value known only in the browser."""
    cats = catalogues()
    el = {v: cats["el"][f"{prefix}.{v}"] for v in values}
    en = {v: cats["en"][f"{prefix}.{v}"] for v in values}
    return rx.cond(LanguageState.lang == "en", rx.Var.create(en)[value], rx.Var.create(el)[value])


def area_options(empty_key: str) -> list[rx.Component]:
    # the unit names are proper names, the same in both languages' catalogues
    return [rx.el.option(t(empty_key), value="")] + [
        rx.el.option(t(f"consultations.unit.{i}"), value=unit, lang=GREEK) for i, unit in enumerate(MUNICIPAL_UNITS)
    ]


def area_label(area: rx.Var) -> rx.Component:
    return rx.cond(area == "", t("consultations.whole_island"), greek(area))


# --- the list -----------------------------------------------------------------------------------


def list_card(item: ListItem) -> rx.Component:
    return rx.el.li(
        rx.el.h2(link(item.title, href=item.url), class_name="consultation-card-title", lang=GREEK),
        rx.el.p(
            rx.el.span(choice("consultations.phase", item.phase, PHASES), class_name="badge phase-" + item.phase),
            rx.el.span(choice("consultations.category", item.category, rules.CATEGORIES), class_name="badge category"),
        ),
        rx.el.p(item.summary, class_name="consultation-summary", lang=GREEK),
        rx.el.dl(
            rx.el.div(rx.el.dt(t("consultations.area")), rx.el.dd(area_label(item.area))),
            rx.el.div(rx.el.dt(t("consultations.period")), rx.el.dd(item.opens, " – ", item.closes)),
            rx.el.div(rx.el.dt(t("consultations.comments")), rx.el.dd(item.count)),
            class_name="meta",
        ),
        class_name="card consultation-card",
    )


@PAGES.add("/consultations", "consultations.title", on_load=ConsultationListState.load, description_key="consultations.intro")
def list_page() -> rx.Component:
    s = ConsultationListState
    return lead_page(
        "consultations.title", "consultations.intro",
        rx.el.div(
            field("consultations.filter_phase", rx.el.select(
                *options("consultations.phase", PHASES[:4], empty_key="consultations.filter_all"),
                id="filter-phase", value=s.phase_filter, on_change=s.set_phase_filter), "filter-phase"),
            field("consultations.filter_category", rx.el.select(
                *options("consultations.category", rules.CATEGORIES, empty_key="consultations.filter_all"),
                id="filter-category", value=s.category_filter, on_change=s.set_category_filter), "filter-category"),
            field("consultations.filter_area", rx.el.select(
                *area_options("consultations.filter_all"),
                rx.el.option(t("consultations.whole_island_only"), value="all"),
                id="filter-area", value=s.area_filter, on_change=s.set_area_filter), "filter-area"),
            class_name="filters",
            role="search",
            aria_label=t("consultations.filters"),
        ),
        card_list(s.loaded, s.items, list_card, "consultations.none"),
    )


# --- one consultation ---------------------------------------------------------------------------


def diff_view(lines) -> rx.Component:
    def line(d: DiffLineView) -> rx.Component:
        return rx.match(
            d.kind,
            ("added", rx.el.ins(rx.el.span(t("consultations.diff_added"), class_name="visually-hidden"), greek(d.text),
                                class_name="diff-line added")),
            ("removed", rx.el.del_(rx.el.span(t("consultations.diff_removed"), class_name="visually-hidden"), greek(d.text),
                                   class_name="diff-line removed")),
            rx.el.span(d.text, class_name="diff-line same", lang=GREEK),
        )

    return rx.el.div(rx.foreach(lines, line), class_name="diff")


def section_block(section: SectionView) -> rx.Component:
    s = ConsultationState
    return rx.el.section(
        rx.el.h2(t("consultations.article"), " ", section.position, ". ", greek(section.title), id=f"section-{section.id}"),
        rx.el.div(section.body, class_name="section-body", lang=GREEK),
        rx.el.div(
            rx.el.button(
                rx.icon("message-square", size=18, aria_hidden="true"),
                t("consultations.comments"), " (", section.count, ")",
                type="button", class_name="secondary", on_click=s.show_section_comments(section.id),
            ),
            rx.cond(section.version > 1, rx.el.span(t("consultations.version"), " ", section.version,
                                                    class_name="badge version")),
            class_name="section-actions",
        ),
        rx.cond(
            section.history.length() > 0,
            rx.el.details(
                rx.el.summary(t("consultations.earlier_versions")),
                rx.foreach(section.history, lambda v: rx.el.div(
                    rx.el.p(rx.el.strong(t("consultations.version"), " ", v.version), " · ", v.created,
                            rx.cond(v.note != "", rx.fragment(" · ", greek(v.note)))),
                    diff_view(v.diff),
                    class_name="version",
                )),
                class_name="history",
            ),
        ),
        class_name="consultation-section",
        aria_labelledby=f"section-{section.id}",
    )


def segment(seg) -> rx.Component:
    return rx.cond(
        seg.href != "",
        rx.el.a(seg.text, href=seg.href, rel="nofollow ugc noopener noreferrer", target="_blank", reload_document=True),
        rx.el.span(seg.text),
    )


def comment_text(c: CommentItem) -> rx.Component:
    return rx.match(
        c.status,
        ("hidden", rx.el.p(t("consultations.hidden_prefix"), " ", greek(c.hidden_reason), class_name="comment-hidden")),
        ("withdrawn", rx.el.p(t("consultations.withdrawn_text"), class_name="comment-hidden")),
        rx.el.p(rx.foreach(c.segments, segment), class_name="comment-body", lang=GREEK),
    )


def response_box(c: CommentItem) -> rx.Component:
    return rx.cond(
        c.response_outcome != "",
        rx.el.div(
            rx.el.p(rx.el.strong(t("consultations.response_label")), " ",
                    rx.el.span(choice("consultations.outcome", c.response_outcome, rules.OUTCOMES),
                               class_name="badge outcome-" + c.response_outcome)),
            rx.el.p(c.response_reason, class_name="response-reason", lang=GREEK),
            class_name="response",
        ),
    )


def author(c: CommentItem) -> rx.Component:
    return rx.el.strong(rx.cond(c.author_deleted, t("consultations.deleted_user"), greek(c.author)),
                        class_name="comment-author")


def depth_class(c, base: str) -> rx.Var:
    return rx.match(c.depth, (1, base + " depth-1"), (2, base + " depth-2"), base)


def support_buttons(c: CommentItem) -> rx.Component:
    s = ConsultationState
    counts = rx.el.span(t("consultations.agree"), ": ", c.agree, " · ", t("consultations.disagree"), ": ", c.disagree,
                        class_name="muted support-counts")
    return rx.cond(
        c.can_support & s.logged_in,
        rx.el.div(
            rx.el.button(rx.icon("thumbs-up", size=18, aria_hidden="true"), t("consultations.agree"), " ", c.agree,
                         type="button", class_name="support", aria_pressed=rx.cond(c.my_support == "agree", "true", "false"),
                         on_click=s.support(c.id, "agree")),
            rx.el.button(rx.icon("thumbs-down", size=18, aria_hidden="true"), t("consultations.disagree"), " ", c.disagree,
                         type="button", class_name="support",
                         aria_pressed=rx.cond(c.my_support == "disagree", "true", "false"),
                         on_click=s.support(c.id, "disagree")),
            role="group", aria_label=t("consultations.support_group"), class_name="support-buttons",
        ),
        rx.cond(c.status == "visible", counts),
    )


def text_form(handler, field_id: str, label_key: str, submit_key: str, *, default: rx.Var | str = "",
              max_length: int = rules.COMMENT_MAX, hint_key: str = "consultations.comment_hint",
              name: str = "body", extra: rx.Component | None = None,
              draft_key: rx.Var | str = "") -> rx.Component:
    """A short text form; ``draft_key`` names what the text is about (e.g. the comment replied
    to), so a draft kept on the device comes back only into the same box (assets/agora.js)."""
    return rx.el.form(
        extra or rx.fragment(),
        field(label_key, rx.el.textarea(id=field_id, name=name, default_value=default, rows=4, max_length=max_length,
                                        required=True, aria_describedby=f"{field_id}-hint",
                                        data_draft=draft_key if isinstance(draft_key, rx.Var) else (draft_key or field_id)),
              field_id, hint_key),
        rx.el.div(
            rx.el.button(t(submit_key), type="submit", class_name="primary"),
            rx.el.button(t("consultations.cancel"), type="button", class_name="secondary",
                         on_click=ConsultationState.cancel),
            class_name="form-actions",
        ),
        draft_status(),
        on_submit=handler,
        reset_on_submit=True,
        class_name="form inline-form",
    )


def moderation_buttons(c: CommentItem) -> rx.Component:
    """Hide (confirmed, with a public reason) or restore, where a moderator reads."""
    m = PageModerationState
    return rx.cond(
        ShellState.usable.contains("/staff/moderation"),
        rx.cond(
            c.status == "hidden",
            rx.el.button(t("consultations.restore"), rx.el.span(" · ", c.author, class_name="visually-hidden"),
                         type="button", class_name="link-button", on_click=m.restore(c.id)),
            rx.cond(c.status != "withdrawn",
                    rx.el.button(t("consultations.hide"), rx.el.span(" · ", c.author, class_name="visually-hidden"),
                                 type="button", class_name="link-button danger", on_click=m.ask_hide(c.id))),
        ),
    )


def comment_view(c: CommentItem) -> rx.Component:
    s = ConsultationState
    return rx.el.li(
        rx.el.article(
            rx.el.header(
                author(c), " ",
                rx.el.span(c.created, class_name="muted"),
                rx.cond(c.edited != "", rx.el.span(" · ", t("consultations.edited"), class_name="muted")),
                rx.cond(c.status == "pending", rx.el.span(t("consultations.pending_badge"), class_name="badge pending")),
                rx.cond((s.section_filter == "all") & (c.depth == 0),
                        rx.el.p(t("consultations.on"), " ", rx.el.span(c.section_title, lang=lang_when(c.section_greek)),
                               class_name="muted comment-section")),
                class_name="comment-head",
            ),
            comment_text(c),
            response_box(c),
            support_buttons(c),
            rx.el.div(
                rx.cond(c.can_reply & s.logged_in,
                        rx.el.button(t("consultations.reply"), type="button", class_name="link-button",
                                     on_click=s.open_form("reply_to", c.id))),
                rx.cond(c.editable, rx.fragment(
                    rx.el.button(t("consultations.edit"), type="button", class_name="link-button",
                                 on_click=s.open_form("editing_id", c.id)),
                    rx.el.button(t("consultations.withdraw"), type="button", class_name="link-button",
                                 on_click=s.withdraw(c.id)),
                )),
                rx.cond(s.logged_in & ~c.mine & (c.status == "visible"),
                        rx.el.button(t("consultations.flag"), type="button", class_name="link-button",
                                     on_click=s.open_form("flagging_id", c.id))),
                moderation_buttons(c),
                class_name="comment-actions",
            ),
            rx.cond(s.reply_to == c.id, text_form(s.post_reply, "reply-body", "consultations.reply_label",
                                                  "consultations.send_reply",
                                                  draft_key="reply-" + c.id.to_string())),
            rx.cond(s.editing_id == c.id, text_form(s.save_edit, "edit-body", "consultations.edit_label",
                                                    "consultations.save", default=c.body,
                                                    draft_key="edit-" + c.id.to_string())),
            rx.cond(s.flagging_id == c.id, text_form(s.save_flag, "flag-reason", "consultations.flag_label",
                                                     "consultations.send_flag", name="reason",
                                                     max_length=rules.REASON_MAX,
                                                     hint_key="consultations.flag_hint",
                                                     draft_key="flag-" + c.id.to_string())),
            class_name="comment-inner",
        ),
        id=c.anchor,
        class_name=depth_class(c, "comment"),
    )


def participation() -> rx.Component:
    s = ConsultationState
    return rx.cond(
        s.accepts,
        rx.cond(
            s.logged_in,
            rx.cond(
                s.blocked_until != "",
                rx.el.p(t("consultations.you_are_blocked"), " ", s.blocked_until, class_name="alert error"),
                rx.el.form(
                    rx.el.h3(t("consultations.new_comment")),
                    field("consultations.comment_on", rx.el.select(
                        rx.el.option(t("consultations.whole_text"), value="0"),
                        rx.foreach(s.sections, lambda sec: rx.el.option(f"{sec.position}. {sec.title}", value=f"{sec.id}",
                                                                         lang=GREEK)),
                        id="comment-section", name="section",
                        default_value=rx.cond((s.section_filter == "all"), "0", s.section_filter),
                        key=s.section_filter,
                    ), "comment-section"),
                    field("consultations.your_comment", rx.el.textarea(
                        id="comment-body", name="body", rows=5, max_length=rules.COMMENT_MAX, required=True,
                        aria_describedby="comment-body-hint", data_draft="comment-body"), "comment-body",
                        "consultations.comment_hint"),
                    rx.cond(s.head.moderation_mode == "pre", rx.el.p(t("consultations.pre_moderation_note"), class_name="hint")),
                    rx.el.button(t("consultations.send_comment"), type="submit", class_name="primary"),
                    draft_status(),
                    on_submit=s.post_comment,
                    reset_on_submit=True,
                    class_name="form card",
                ),
            ),
            rx.el.p(link(t("consultations.login_to_comment"), href=s.login_url, class_name="button"),
                    class_name="login-prompt"),
        ),
        rx.match(
            s.phase,
            ("upcoming", rx.el.p(t("consultations.not_yet_open"), class_name="empty-state")),
            ("report_published", rx.el.p(t("consultations.closed_with_report"), class_name="empty-state")),
            rx.el.p(t("consultations.comments_closed"), class_name="empty-state"),
        ),
    )


def comments_block() -> rx.Component:
    s = ConsultationState
    return rx.el.section(
        rx.el.h2(t("consultations.comments"), " (", s.total_count, ")", id="comments-heading", tab_index=-1),
        alerts(s),
        participation(),
        rx.el.div(
            field("consultations.show", rx.el.select(
                rx.el.option(t("consultations.filter_all_comments"), value="all"),
                rx.el.option(t("consultations.whole_text"), " (", s.whole_count, ")", value="0"),
                rx.foreach(s.sections, lambda sec: rx.el.option(f"{sec.position}. {sec.title} ({sec.count})",
                                                               value=f"{sec.id}", lang=GREEK)),
                id="comment-filter", value=s.section_filter, on_change=s.set_section_filter), "comment-filter"),
            field("consultations.sort", rx.el.select(
                rx.el.option(t("consultations.sort_newest"), value="newest"),
                rx.el.option(t("consultations.sort_supported"), value="supported"),
                rx.el.option(t("consultations.sort_oldest"), value="oldest"),
                id="comment-sort", value=s.sort, on_change=s.set_sort), "comment-sort"),
            class_name="filters",
        ),
        rx.cond(
            s.comments.length() > 0,
            rx.el.ul(rx.foreach(s.comments, comment_view), class_name="comment-list"),
            rx.cond(s.comments_loaded, rx.el.p(t("consultations.no_comments"), class_name="empty-state"), loading()),
        ),
        rx.cond(
            s.pages > 1,
            rx.el.nav(
                rx.el.button(t("consultations.previous"), type="button", class_name="secondary",
                             disabled=s.page <= 1, on_click=s.go_page(s.page - 1)),
                rx.el.span(t("consultations.page"), " ", s.page, " / ", s.pages, aria_live="polite"),
                rx.el.button(t("consultations.next"), type="button", class_name="secondary",
                             disabled=s.page >= s.pages, on_click=s.go_page(s.page + 1)),
                aria_label=t("consultations.pagination"),
                class_name="pagination",
            ),
        ),
        aria_labelledby="comments-heading",
    )


@PAGES.add("/consultations/[consultation_id]", "consultations.kind", on_load=ConsultationState.load)
def detail_page() -> rx.Component:
    s = ConsultationState
    return page_shell(
        rx.cond(ShellState.usable.contains("/staff/moderation"),
                rx.fragment(alerts(PageModerationState), confirm_dialog(PageModerationState))),
        rx.cond(
            ~s.loaded,
            loading(),
            rx.cond(
                ~s.found,
                rx.fragment(page_title("consultations.not_found_title"),
                            rx.el.p(t("consultations.errors.not_found")),
                            link(t("consultations.back_to_list"), href="/consultations")),
                rx.el.div(
                    rx.el.p(link(t("consultations.back_to_list"), href="/consultations"), class_name="breadcrumb"),
                    rx.el.h1(s.head.title, class_name="page-title", lang=GREEK),
                    rx.el.p(
                        rx.el.span(choice("consultations.phase", s.phase, PHASES), class_name="badge phase-" + s.phase),
                        rx.el.span(choice("consultations.category", s.head.category, rules.CATEGORIES),
                                   class_name="badge category"),
                    ),
                    rx.el.dl(
                        rx.el.div(rx.el.dt(t("consultations.area")), rx.el.dd(area_label(s.head.area))),
                        rx.el.div(rx.el.dt(t("consultations.period")), rx.el.dd(s.head.opens, " – ", s.head.closes)),
                        class_name="meta",
                    ),
                    rx.el.div(s.head.summary, class_name="consultation-summary", lang=GREEK),
                    *backlinks("consultation"),
                    rx.cond(s.phase == "report_published", rx.el.p(
                        link(t("consultations.read_report"), href=f"/consultations/{s.cid}/report", class_name="button"))),
                    rx.cond(s.attachments.length() > 0, rx.el.section(
                        rx.el.h2(t("consultations.attachments"), id="attachments-heading"),
                        rx.el.ul(rx.foreach(s.attachments, lambda a: rx.el.li(
                            link(a.filename, href=a.url, reload_document=True), " ",
                            rx.el.span("(", bi(a.size, a.size_en), ")", class_name="muted"))),
                            class_name="attachment-list"),
                        aria_labelledby="attachments-heading",
                    )),
                    rx.el.div(rx.foreach(s.sections, section_block), class_name="sections"),
                    comments_block(),
                    class_name="consultation",
                ),
            ),
        ),
    )


# --- the report ---------------------------------------------------------------------------------


def report_comment(c: CommentItem) -> rx.Component:
    return rx.el.li(
        rx.el.p(author(c), " ", rx.el.span(c.created, class_name="muted")),
        comment_text(c),
        rx.el.p(t("consultations.agree"), ": ", c.agree, " · ", t("consultations.disagree"), ": ", c.disagree,
                class_name="muted"),
        response_box(c),
        class_name=depth_class(c, "report-comment"),
    )


def report_section(sec: ReportSection) -> rx.Component:
    return rx.el.section(
        rx.el.h2(sec.title, lang=GREEK),
        rx.cond(~sec.is_whole, rx.fragment(
            rx.el.h3(t("consultations.what_changed")),
            rx.cond(sec.what_changed != "", rx.el.p(sec.what_changed, class_name="section-body", lang=GREEK),
                    rx.el.p(t("consultations.no_change"), class_name="muted")),
            rx.cond(sec.diff.length() > 0, diff_view(sec.diff)),
            rx.el.details(rx.el.summary(t("consultations.final_text")),
                          rx.el.div(sec.final_text, class_name="section-body", lang=GREEK),
                          open=True),
        )),
        rx.el.h3(t("consultations.comments_and_responses")),
        rx.cond(sec.comments.length() > 0, rx.el.ul(rx.foreach(sec.comments, report_comment), class_name="comment-list"),
                rx.el.p(t("consultations.no_comments"), class_name="muted")),
        class_name="report-section",
    )


@PAGES.add("/consultations/[consultation_id]/report", "consultations.report_title", on_load=ReportState.load)
def report_page() -> rx.Component:
    s = ReportState
    return page_shell(
        when_loaded(
            s.loaded,
            s.published,
            rx.el.article(
                rx.el.p(link(t("consultations.back_to_consultation"), href=f"/consultations/{s.cid}"),
                        class_name="breadcrumb no-print"),
                rx.el.p(t("consultations.report_kicker"), class_name="kicker"),
                rx.el.h1(s.title, class_name="page-title", lang=GREEK),
                rx.el.p(t("consultations.report_published_at"), " ", s.published_at, " · ",
                        t("consultations.closed_at"), " ", s.closes, " · ",
                        t("consultations.comments"), ": ", s.comment_total, class_name="muted"),
                rx.el.h2(t("consultations.report_summary")),
                rx.el.div(s.summary, class_name="section-body", lang=GREEK),
                rx.el.table(
                    rx.el.caption(t("consultations.outcomes_caption")),
                    rx.el.thead(rx.el.tr(rx.el.th(t("consultations.outcome_col"), scope="col"),
                                         rx.el.th(t("consultations.count_col"), scope="col"))),
                    rx.el.tbody(rx.foreach(s.outcome_counts, lambda row: rx.el.tr(
                        rx.el.td(choice("consultations.outcome", row[0], rules.OUTCOMES)), rx.el.td(row[1])))),
                    class_name="outcomes",
                ),
                rx.el.div(
                    rx.el.button(t("consultations.print"), type="button", class_name="secondary",
                                 on_click=rx.call_script("window.print()")),
                    link(t("consultations.download_pdf"),
                         href=f"/api/v1/consultations/{s.cid}/report.pdf?lang={LanguageState.lang}",
                         class_name="button secondary", reload_document=True),
                    link(t("consultations.download_csv"), href=f"/api/v1/consultations/{s.cid}/comments.csv",
                         class_name="button secondary", reload_document=True),
                    link(t("consultations.download_json"), href=f"/api/v1/consultations/{s.cid}/report.json",
                         class_name="button secondary", reload_document=True),
                    class_name="report-tools no-print",
                ),
                rx.foreach(s.report_sections, report_section),
                class_name="report-page",
            ),
            rx.fragment(page_title("consultations.report_title"),
                        rx.el.p(t("consultations.errors.report_not_published"), class_name="empty-state"),
                        link(t("consultations.back_to_list"), href="/consultations")),
        ),
    )


# --- staff --------------------------------------------------------------------------------------


def staff_nav(waiting: rx.Var) -> rx.Component:
    return rx.el.nav(
        rx.el.ul(
            rx.cond(ShellState.usable.contains("/staff/consultations"),
                    rx.el.li(link(t("consultations.nav_staff"), href="/staff/consultations"))),
            rx.cond(ShellState.usable.contains("/staff/moderation"),
                    rx.el.li(link(t("consultations.nav_moderation"), " ",
                                  rx.el.span(waiting, class_name="badge count",
                                             aria_label=t("consultations.waiting_items")),
                                  href="/staff/moderation"))),
            class_name="staff-nav-list",
        ),
        aria_label=t("consultations.staff_navigation"),
        class_name="staff-nav",
    )


def staff_gate(state, *content: rx.Component,
               refusal_key: str = "consultations.errors.administrators_only") -> rx.Component:
    return page_shell(when_loaded(
        state.loaded,
        state.allowed,
        rx.el.div(staff_nav(state.waiting), *content),
        rx.fragment(page_title("consultations.staff_only_title"), no_access(refusal_key, ShellState.logged_in)),
    ))


def details_fields(defaults) -> list[rx.Component]:
    """The fields of a consultation's details; ``defaults``: the current values (``StaffDetails``), or None."""
    d = defaults
    return [
        field("consultations.field_title", rx.el.input(id="c-title", name="title", required=True,
                                                       max_length=rules.TITLE_MAX, default_value=d.title if d is not None else ""),
              "c-title"),
        field("consultations.field_summary", rx.el.textarea(id="c-summary", name="summary", rows=4,
                                                            max_length=rules.SUMMARY_MAX,
                                                            default_value=d.summary if d is not None else ""), "c-summary"),
        field("consultations.field_category", rx.el.select(*options("consultations.category", rules.CATEGORIES),
                                                           id="c-category", name="category",
                                                           default_value=d.category if d is not None else "other"), "c-category"),
        field("consultations.field_area", rx.el.select(*area_options("consultations.whole_island"), id="c-area",
                                                       name="area", default_value=d.area if d is not None else ""), "c-area"),
        field("consultations.field_opens", rx.el.input(id="c-opens", name="opens_at", type="datetime-local", required=True,
                                                       default_value=d.opens_at if d is not None else StaffConsultationsState.default_opens),
              "c-opens", "consultations.athens_time"),
        field("consultations.field_closes", rx.el.input(id="c-closes", name="closes_at", type="datetime-local",
                                                        required=True,
                                                        default_value=d.closes_at if d is not None else StaffConsultationsState.default_closes),
              "c-closes", "consultations.athens_time"),
        field("consultations.field_moderation", rx.el.select(*options("consultations.mode", rules.MODERATION_MODES),
                                                             id="c-mode", name="moderation_mode",
                                                             default_value=d.moderation_mode if d is not None else "post"), "c-mode"),
    ]


def staff_list_item(item: StaffListItem) -> rx.Component:
    return rx.el.li(
        link(item.title, href=f"/staff/consultations/{item.id}", class_name="open-item-title"),
        rx.el.p(rx.el.span(choice("consultations.phase", item.phase, PHASES), class_name="badge phase-" + item.phase),
                t("consultations.closes"), " ", item.closes, " · ", t("consultations.comments"), ": ", item.count),
        class_name="card",
    )


@PAGES.add("/staff/consultations", "consultations.staff_title", on_load=StaffConsultationsState.load)
def staff_list_page() -> rx.Component:
    s = StaffConsultationsState
    return staff_gate(
        s,
        page_title("consultations.staff_title"),
        rx.el.ul(rx.foreach(s.items, staff_list_item), class_name="card-list"),
        rx.el.h2(t("consultations.new_consultation"), id="new-heading"),
        rx.cond(s.error != "", rx.el.div(s.error, role="alert", class_name="alert error")),
        rx.el.form(*details_fields(None), rx.el.button(t("consultations.create"), type="submit", class_name="primary"),
                   on_submit=s.create, class_name="form", aria_labelledby="new-heading"),
    )


def staff_section(sec: SectionView) -> rx.Component:
    s = StaffConsultationState
    return rx.el.li(
        rx.el.h3(sec.position, ". ", sec.title),
        rx.el.p(t("consultations.version"), " ", sec.version, " · ", t("consultations.comments"), ": ", sec.count,
                class_name="muted"),
        rx.cond(
            s.editing_section == sec.id,
            rx.el.form(
                field("consultations.field_section_title", rx.el.input(id="s-title", name="title", default_value=sec.title,
                                                                       required=True), "s-title"),
                field("consultations.field_section_body", rx.el.textarea(id="s-body", name="body", rows=8,
                                                                         default_value=sec.body, required=True), "s-body"),
                field("consultations.field_note", rx.el.input(id="s-note", name="note", max_length=rules.REASON_MAX),
                      "s-note", "consultations.note_hint"),
                rx.el.div(rx.el.button(t("consultations.save"), type="submit", class_name="primary"),
                          rx.el.button(t("consultations.cancel"), type="button", class_name="secondary",
                                       on_click=s.cancel_section_edit), class_name="form-actions"),
                on_submit=s.save_section, class_name="form",
            ),
            rx.fragment(
                rx.el.div(sec.body, class_name="section-body"),
                rx.cond(s.status != "report_published",
                        rx.el.button(t("consultations.edit_section"), " ", sec.position, type="button",
                                     class_name="secondary", on_click=s.start_section_edit(sec.id))),
            ),
        ),
        rx.cond(s.ended, rx.el.form(
            rx.el.input(type="hidden", name="section_id", value=f"{sec.id}"),
            field("consultations.field_change_summary", rx.el.textarea(
                id=f"change-{sec.id}", name="summary", rows=3, default_value=sec.change_summary), f"change-{sec.id}"),
            rx.el.button(t("consultations.save_change_summary"), type="submit", class_name="secondary"),
            on_submit=s.save_change_summary, class_name="form", key=f"cs-{sec.id}-{s.form_key}",
        )),
        class_name="card staff-section",
    )


def response_row(row: StaffCommentRow) -> rx.Component:
    return rx.el.li(
        rx.el.input(type="checkbox", id=f"c-{row.id}", name=f"c_{row.id}", class_name="check"),
        rx.el.label(
            rx.el.strong(row.author), " · ", rx.el.span(row.section_title, class_name="muted"),
            rx.el.span(row.body, class_name="response-row-text"),
            rx.cond(row.response_outcome != "", rx.el.span(
                t("consultations.response_label"), " ", choice("consultations.outcome", row.response_outcome, rules.OUTCOMES),
                class_name="badge")),
            html_for=f"c-{row.id}",
        ),
        class_name=depth_class(row, "response-row"),
    )


@PAGES.add("/staff/consultations/[consultation_id]", "consultations.staff_title", on_load=StaffConsultationState.load)
def staff_edit_page() -> rx.Component:
    s = StaffConsultationState
    return staff_gate(
        s,
        rx.cond(
            ~s.found,
            rx.el.p(t("consultations.errors.not_found"), class_name="empty-state"),
            rx.el.div(
                rx.el.p(link(t("consultations.back_to_staff_list"), href="/staff/consultations"), " · ",
                        link(t("consultations.public_page"), href=f"/consultations/{s.cid}"), class_name="breadcrumb"),
                rx.el.h1(s.details.title, class_name="page-title"),
                rx.el.p(rx.el.span(choice("consultations.phase", s.phase, PHASES), class_name="badge phase-" + s.phase)),
                alerts(s),
                rx.el.div(
                    rx.cond(s.status == "draft", rx.el.button(t("consultations.open_action"), type="button",
                                                              class_name="primary", on_click=s.ask_open)),
                    rx.cond(s.status == "open", rx.el.button(t("consultations.close_action"), type="button",
                                                             class_name="danger", on_click=s.ask_close)),
                    rx.cond(s.status == "report_published", link(t("consultations.read_report"),
                                                                 href=f"/consultations/{s.cid}/report", class_name="button")),
                    class_name="form-actions",
                ),
                rx.el.details(
                    rx.el.summary(t("consultations.details")),
                    rx.el.form(*details_fields(s.details), rx.el.button(t("consultations.save"), type="submit", class_name="primary"),
                               on_submit=s.save_details, class_name="form", key=f"details-{s.form_key}"),
                ),
                rx.el.h2(t("consultations.sections_heading")),
                rx.el.ul(rx.foreach(s.sections, staff_section), class_name="card-list"),
                rx.cond((s.status == "draft") | (s.status == "open"), rx.el.form(
                    rx.el.h3(t("consultations.add_section")),
                    field("consultations.field_section_title", rx.el.input(id="new-s-title", name="title", required=True),
                          "new-s-title"),
                    field("consultations.field_section_body", rx.el.textarea(id="new-s-body", name="body", rows=6,
                                                                             required=True), "new-s-body"),
                    rx.el.button(t("consultations.add_section"), type="submit", class_name="secondary"),
                    on_submit=s.add_section, reset_on_submit=True, class_name="form card",
                )),
                rx.el.h2(t("consultations.attachments")),
                rx.el.ul(rx.foreach(s.attachments, lambda a: rx.el.li(link(a.filename, href=a.url, reload_document=True), " (", a.size, ")")),
                         class_name="attachment-list"),
                rx.cond(s.status != "report_published", rx.el.div(
                    field("consultations.field_file", rx.el.input(
                        id="attachment-file", type="file", accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg",
                        aria_describedby="attachment-file-hint"), "attachment-file", "consultations.file_hint"),
                    rx.el.button(t("consultations.upload"), type="button", class_name="secondary", on_click=s.upload),
                    class_name="form card",
                )),
                rx.cond(s.ended, rx.fragment(
                    rx.el.h2(t("consultations.responses_heading"), id="responses-heading"),
                    rx.el.p(t("consultations.responses_intro"), class_name="hint"),
                    rx.el.form(
                        rx.el.fieldset(
                            rx.el.legend(t("consultations.choose_comments")),
                            rx.el.ul(rx.foreach(s.comment_rows, response_row), class_name="response-rows"),
                        ),
                        field("consultations.field_outcome", rx.el.select(*options("consultations.outcome", rules.OUTCOMES),
                                                                          id="r-outcome", name="outcome"), "r-outcome"),
                        field("consultations.field_reason", rx.el.textarea(id="r-reason", name="reason", rows=3,
                                                                           required=True), "r-reason"),
                        rx.el.button(t("consultations.save_response"), type="submit", class_name="primary"),
                        on_submit=s.respond, reset_on_submit=True, class_name="form", key=f"resp-{s.form_key}",
                    ),
                    rx.el.h2(t("consultations.report_heading")),
                    rx.el.form(
                        field("consultations.field_report_summary", rx.el.textarea(
                            id="report-summary", name="summary", rows=6, required=True, default_value=s.details.report_summary),
                              "report-summary"),
                        rx.el.button(t("consultations.publish_report"), type="submit", class_name="primary"),
                        on_submit=s.ask_publish, class_name="form", key=f"report-{s.form_key}",
                    ),
                )),
                confirm_dialog(s),
            ),
        ),
    )


def queue_item(item: QueueView) -> rx.Component:
    s = ModerationState
    c = item.comment
    return rx.el.li(
        rx.el.p(rx.el.span(choice("consultations.queue_kind", item.kind, QUEUE_KINDS), class_name="badge kind-" + item.kind),
                link(item.consultation_title, href=f"/consultations/{item.consultation_id}#comment-{item.comment_id}")),
        rx.el.p(author(c), " ", rx.el.span(c.created, class_name="muted")),
        rx.el.blockquote(item.full_text, class_name="comment-body"),
        rx.cond(item.kind == "hidden", rx.el.p(t("consultations.hidden_prefix"), " ", c.hidden_reason, class_name="muted")),
        rx.cond(item.flags.length() > 0, rx.el.div(
            rx.el.p(rx.el.strong(t("consultations.flags"))),
            rx.el.ul(rx.foreach(item.flags, lambda reason: rx.el.li(reason)))),
        ),
        rx.cond(
            item.kind == "hidden",
            rx.el.button(t("consultations.restore"), type="button", class_name="secondary",
                         on_click=s.restore(item.comment_id)),
            rx.fragment(
                rx.el.button(t("consultations.approve"), type="button", class_name="primary",
                             on_click=s.approve(item.comment_id)),
                rx.el.button(t("consultations.hide"), type="button", class_name="danger",
                             on_click=s.ask_hide(item.comment_id)),
            ),
        ),
        rx.cond(
            item.blocked_until != "",
            rx.el.p(t("consultations.blocked_until"), " ", item.blocked_until, " ",
                    rx.el.button(t("consultations.unblock"), type="button", class_name="secondary",
                                 on_click=s.unblock(item.person_id))),
            rx.el.form(
                rx.el.input(type="hidden", name="person_id", value=f"{item.person_id}"),
                field("consultations.block_days", rx.el.input(id=f"days-{item.comment_id}", name="days", type="number",
                                                              min=1, max=rules.BLOCK_MAX_DAYS, default_value="7"),
                      f"days-{item.comment_id}"),
                rx.el.button(t("consultations.block"), type="submit", class_name="secondary"),
                on_submit=s.ask_block, class_name="form",
            ),
        ),
        class_name="card queue-item",
        id=f"queue-{item.comment_id}",
    )


@PAGES.add("/staff/moderation", "consultations.moderation_title", on_load=ModerationState.load)
def moderation_page() -> rx.Component:
    s = ModerationState
    return staff_gate(
        s,
        page_title("consultations.moderation_title"),
        rx.el.p(t("consultations.waiting_items"), ": ", s.waiting, class_name="lead"),
        alerts(s),
        rx.cond(s.queue.length() > 0, rx.el.ul(rx.foreach(s.queue, queue_item), class_name="card-list"),
                rx.el.p(t("consultations.queue_empty"), class_name="empty-state")),
        confirm_dialog(s),
        refusal_key="consultations.errors.moderators_only",
    )



add_pages = PAGES.add_pages

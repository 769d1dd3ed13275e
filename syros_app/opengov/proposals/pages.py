"""Pages of residents' proposals: the list (filtered by area and status), proposing one,
one proposal's page (support; staff answer, hide, restore), and the section of /measurement."""

from __future__ import annotations

import reflex as rx

from syros_app.ui.components import alerts, card_list, confirm_dialog, field, loading
from syros_app.ui.i18n import by_language as bi, lang_when, t
from syros_app.ui.layout import PageTable, backlink_notes, draft_status, link, page_shell, page_title

from . import rules
from .state import ProposalBacklinksState, ProposalFiguresState, ProposalFormState, ProposalPageState, ProposalsListState, ProposalStaffState
from .views import FigureRow, LinkChoice, ProposalCard, ParticipationRow

UPLOAD_ID = "proposal_photo"
UPLOAD_PROPS = dict(id=UPLOAD_ID, max_files=1, multiple=False, no_click=True, class_name="upload-zone",
                    accept={"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]})


def area_label(value) -> rx.Var:
    return rx.cond(value == "", t("proposals.area.island"), value)


def status_badge(item: ProposalCard) -> rx.Component:
    return rx.fragment(
        rx.el.span(rx.match(item.status, *[(s, t(f"proposals.status.{s}")) for s in rules.STATUSES], item.status),
                   class_name="badge status-badge", data_status=item.status),
        rx.cond(item.overdue, rx.el.span(t("proposals.card.overdue"), class_name="badge overdue",
                                         data_testid="overdue-badge")),
    )


def support_progress(item: ProposalCard) -> rx.Component:
    """The support so far against the threshold: a native progress bar named by its own text."""
    text_id = "support-" + item.id.to_string()
    return rx.el.div(
        rx.el.p(bi(item.support_text.el, item.support_text.en), id=text_id, class_name="support-text"),
        rx.el.progress(value=item.supports, max=item.threshold, aria_labelledby=text_id,
                       style={"width": "100%", "height": "0.75rem"}),
        # the area apart: a unit's name is Greek in either language (lang="el")
        rx.el.p(bi(item.rule_text.el, item.rule_text.en), " (",
                rx.el.span(area_label(item.area), lang=lang_when(item.area != "")), ")", class_name="hint"),
        rx.el.p(rx.icon("calendar", size=16, aria_hidden="true"), " ", bi(item.deadline.el, item.deadline.en),
                class_name="muted"),
        class_name="support-progress",
    )


def proposal_card(item: ProposalCard) -> rx.Component:
    return rx.el.li(
        rx.el.div(status_badge(item), rx.el.span(area_label(item.area), class_name="badge area-badge",
                                                 lang=lang_when(item.area != ""))),
        rx.el.h2(link(item.title, href=item.url), class_name="card-title", lang="el"),
        rx.el.p(t("proposals.card.by"), " ", rx.el.span(item.author, lang="el"), class_name="muted"),
        support_progress(item),
        class_name="card proposal-card",
    )


def _select(id_: str, label_key: str, choices: list[tuple[str, rx.Var | str]], **props) -> rx.Component:
    # a plain label equal to its value is a place name (a municipal unit): Greek in any language
    return field(label_key, rx.el.select(*[rx.el.option(text, value=v, **({"lang": "el"} if isinstance(text, str)
                                                                          and text == v else {}))
                                           for v, text in choices], id=id_,
                                         name=id_, **props), id_)


def area_choices(first_key: str, first_value: str) -> list[tuple[str, rx.Var | str]]:
    return [(first_value, t(first_key)), *([("", t("proposals.area.island"))] if first_value != "" else []),
            *[(u, u) for u in rules.MUNICIPAL_UNITS]]


def proposals_list_page() -> rx.Component:
    s = ProposalsListState
    statuses = [("", t("proposals.filter.all_statuses")), *[(x, t(f"proposals.status.{x}"))
                                                           for x in rules.PUBLIC_STATUSES]]
    return page_shell(
        page_title("proposals.list.title"),
        rx.el.p(t("proposals.list.intro"), class_name="lead"),
        rx.el.p(link(rx.icon("plus", size=18, aria_hidden="true"), t("proposals.list.new"), href="/proposals/new",
                     class_name="button primary")),
        rx.el.form(
            _select("filter-area", "proposals.filter.area", area_choices("proposals.filter.all_areas", "*"),
                    value=s.area, on_change=s.set_area),
            _select("filter-status", "proposals.filter.status", statuses, value=s.status, on_change=s.set_status),
            rx.cond(s.is_staff, rx.el.button(t("proposals.filter.hidden"), type="button", class_name="secondary small",
                                             on_click=s.set_status(rules.HIDDEN))),
            class_name="form filters", aria_label=t("proposals.filter.label"),
        ),
        card_list(s.loaded, s.items, proposal_card, "proposals.list.empty", aria_label=t("proposals.list.title")),
    )


def proposal_form() -> rx.Component:
    s = ProposalFormState
    return rx.el.form(
        field("proposals.form.title_label", rx.el.input(id="title", name="title", required=True,
                                                       min_length=rules.TITLE_MIN, max_length=rules.TITLE_MAX,
                                                       aria_describedby="title-hint", data_draft="title"),
              "title", "proposals.form.title_hint"),
        field("proposals.form.body_label", rx.el.textarea(id="body", name="body", rows=8, required=True,
                                                         min_length=rules.BODY_MIN, max_length=rules.BODY_MAX,
                                                         aria_describedby="body-hint", data_draft="body"),
              "body", "proposals.form.body_hint"),
        _select("area", "proposals.form.area_label", area_choices("proposals.area.island", "")),
        rx.el.fieldset(
            rx.el.legend(t("proposals.form.photo")),
            rx.el.p(t("proposals.form.photo_hint"), class_name="hint"),
            # The label wraps the drop zone and its file input (as on the reports' form).
            rx.el.label(rx.upload.root(
                rx.el.span(rx.icon("camera", size=20, aria_hidden="true"), t("proposals.form.add_photo"),
                           class_name="button secondary upload-label"),
                **UPLOAD_PROPS, on_drop=s.handle_upload(rx.upload_files(upload_id=UPLOAD_ID))), class_name="upload-wrap"),
            rx.cond(s.photo_name != "", rx.el.p(
                rx.icon("image", size=18, aria_hidden="true"), " ", s.photo_name, " ",
                rx.el.button(t("proposals.form.remove_photo"), type="button", class_name="secondary small",
                             on_click=s.remove_photo), aria_live="polite")),
            rx.cond(s.photo_error != "", rx.el.p(s.photo_error, class_name="alert error", role="alert")),
            class_name="fieldset",
        ),
        rx.el.p(t("proposals.form.rules"), class_name="hint"),
        rx.cond(s.error != "", rx.el.p(s.error, class_name="alert error", role="alert")),
        rx.el.button(t("proposals.form.submit"), type="submit", class_name="primary"),
        draft_status(),
        on_submit=s.submit, reset_on_submit=False, class_name="form proposal-form",
    )


def proposal_new_page() -> rx.Component:
    s = ProposalFormState
    return page_shell(
        page_title("proposals.form.page_title"),
        rx.cond(s.loaded, rx.cond(s.logged_in, proposal_form(), rx.fragment(
            rx.el.p(t("proposals.errors.login_required"), class_name="alert info"),
            rx.el.p(link(t("proposals.form.login"), href="/auth/login?next=/proposals/new",
                         class_name="button primary")))), loading()),
    )


# --- one proposal -----------------------------------------------------------------------------------

def link_option(choice: LinkChoice) -> rx.Component:
    return rx.el.option(choice.label, value=choice.value)


def staff_tools() -> rx.Component:
    st, v = ProposalStaffState, ProposalPageState.view
    answer_form = rx.el.form(
        rx.el.h3(t("proposals.staff.answer_title")),
        rx.el.input(type="hidden", name="proposal_id", value=v.id),
        field("proposals.staff.answer_label", rx.el.textarea(id="answer", name="answer", rows=5, required=True,
                                                            max_length=rules.ANSWER_MAX,
                                                            aria_describedby="answer-hint"),
              "answer", "proposals.staff.answer_hint"),
        field("proposals.staff.link_label", rx.el.select(
            rx.el.option(t("proposals.staff.link_none"), value=""),
            rx.cond(st.can_start_consultation, rx.el.option(t("proposals.staff.new_consultation"),
                                                            value="new:consultation")),
            rx.cond(st.can_prepare_vote, rx.el.option(t("proposals.staff.new_vote"), value="new:vote")),
            rx.foreach(st.links, link_option),
            id="link", name="link"), "link", "proposals.staff.link_hint"),
        rx.el.button(t("proposals.staff.answer_submit"), type="submit", class_name="primary"),
        on_submit=st.answer, reset_on_submit=False, class_name="form",
    )
    return rx.cond(st.allowed, rx.el.section(
        rx.el.h2(t("proposals.staff.title"), id="staff-heading"),
        alerts(st),
        rx.cond((v.status != rules.ANSWERED) & (v.status != rules.HIDDEN), answer_form),
        rx.cond(v.status == rules.HIDDEN,
                rx.el.button(t("proposals.staff.restore"), type="button", class_name="secondary",
                             on_click=st.restore(v.id)),
                rx.el.button(t("proposals.staff.hide"), type="button", class_name="secondary",
                             on_click=st.ask_hide(v.id))),
        confirm_dialog(st),
        aria_labelledby="staff-heading", class_name="card staff-tools",
    ))


def proposal_details() -> rx.Component:
    s, v = ProposalPageState, ProposalPageState.view
    return rx.el.article(
        rx.el.h1(v.title, class_name="page-title", tab_index=-1),
        rx.el.p(status_badge(v), rx.el.span(area_label(v.area), class_name="badge area-badge",
                                            lang=lang_when(v.area != ""))),
        alerts(s),
        rx.cond(v.notice.el != "", rx.el.p(bi(v.notice.el, v.notice.en), role="status", class_name="alert success")),
        rx.cond(v.hidden_reason != "", rx.el.p(t("proposals.page.hidden_reason"), ": ", v.hidden_reason,
                                               class_name="alert info")),
        rx.el.p(t("proposals.card.by"), " ", v.author, " · ", bi(v.created.el, v.created.en), class_name="muted"),
        rx.cond(v.has_photo, rx.el.img(src="/api/v1/proposals/" + v.id.to_string() + "/photo",
                                       alt=t("proposals.page.photo_alt"), loading="lazy", class_name="report-photo")),
        rx.el.p(v.body, class_name="proposal-body", style={"white-space": "pre-wrap"}),
        support_progress(v),
        rx.cond(v.can_support, rx.cond(
            s.logged_in,
            rx.el.button(rx.icon("thumbs-up", size=18, aria_hidden="true"), t("proposals.page.support"),
                         type="button", class_name="primary", on_click=s.support, id="support-button"),
            link(t("proposals.page.login_to_support"), href="/auth/login?next=/proposals/" + v.id.to_string(),
                 class_name="button secondary"))),
        rx.cond(v.supported, rx.el.p(t("proposals.page.you_support"), class_name="muted")),
        rx.cond(v.answer != "", rx.el.section(
            rx.el.h2(t("proposals.page.answer"), id="answer-heading"),
            rx.el.p(bi(v.answered.el, v.answered.en), class_name="muted"),
            rx.el.p(v.answer, style={"white-space": "pre-wrap"}),
            rx.cond(v.link_url != "", rx.el.p(
                rx.match(v.link_kind, ("vote", t("proposals.page.opened_vote")), t("proposals.page.opened_consultation")),
                " ", rx.cond(v.link_title != "", link(v.link_title, href=v.link_url, id="answer-link"),
                             rx.el.span(t("proposals.page.link_pending"), class_name="muted")))),
            aria_labelledby="answer-heading", class_name="card answer")),
        staff_tools(),
        rx.el.p(link(t("proposals.page.back"), href="/proposals")),
    )


def proposal_page() -> rx.Component:
    s = ProposalPageState
    return page_shell(rx.cond(s.loaded, rx.cond(s.found, proposal_details(), rx.fragment(
        page_title("proposals.page.not_found"), rx.el.p(link(t("proposals.page.back"), href="/proposals")))),
        loading()))


# --- the section of /measurement ------------------------------------------------------------------

def _summary_row(row: FigureRow) -> rx.Component:
    return rx.el.tr(rx.el.th(bi(row.label.el, row.label.en), scope="row"), rx.el.td(bi(row.value.el, row.value.en)))


def _participation_row(row: ParticipationRow) -> rx.Component:
    # a unit's name is the same in both languages: Greek (lang="el"); "unknown" is translated
    return rx.el.tr(rx.el.th(bi(row.unit.el, row.unit.en), scope="row", lang=lang_when(row.unit.el == row.unit.en)),
                    rx.foreach(row.cells, lambda c: rx.el.td(bi(c.el, c.en))))


def measurement_section() -> rx.Component:
    s = ProposalFiguresState
    return rx.el.section(
        rx.el.h2(t("proposals.figures.title"), id="proposals-figures-heading"),
        rx.el.h3(t("proposals.figures.deadline_title")),
        rx.el.p(t("proposals.figures.deadline_definition"), class_name="hint"),
        rx.el.table(rx.el.caption(t("proposals.figures.deadline_title")),
                    rx.el.tbody(rx.foreach(s.summary, _summary_row)), class_name="figures-table"),
        rx.el.p(link(t("proposals.figures.csv_proposals"), href="/api/v1/proposals?format=csv"), " · ",
                link(t("proposals.figures.json_proposals"), href="/api/v1/proposals"), class_name="muted"),
        rx.el.h3(t("proposals.figures.participation_title")),
        rx.el.p(t("proposals.figures.participation_definition"), class_name="hint"),
        rx.el.div(rx.el.table(
            rx.el.caption(t("proposals.figures.participation_title")),
            rx.el.thead(rx.el.tr(rx.el.th(t("proposals.figures.unit"), scope="col"),
                                 rx.foreach(s.bands, lambda b: rx.el.th(bi(b.el, b.en), scope="col")),
                                 rx.el.th(t("proposals.figures.total"), scope="col"))),
            rx.el.tbody(rx.foreach(s.participation, _participation_row)),
            class_name="figures-table"), class_name="table-scroll", tab_index=0, role="region",
            aria_label=t("proposals.figures.participation_title")),
        rx.el.p(link(t("proposals.figures.csv_participation"), href="/api/v1/proposals/participation?format=csv"),
                class_name="muted"),
        on_mount=s.load,
        aria_labelledby="proposals-figures-heading",
        id="proposals-figures",
    )


def backlinks(kind: str) -> rx.Component:
    """"This came from proposal X" on a consultation's or a vote's page (registry hook)."""
    return backlink_notes(kind, rules.LINK_KINDS, ProposalBacklinksState, ProposalBacklinksState.items,
                          prefix="proposals")


add_pages = PageTable.of(
    (proposals_list_page, "/proposals", "proposals.list.title", ProposalsListState.load),
    (proposal_new_page, "/proposals/new", "proposals.form.page_title", ProposalFormState.load),
    (proposal_page, "/proposals/[proposal_id]", "proposals.nav", [ProposalPageState.load, ProposalStaffState.load]),
).add_pages

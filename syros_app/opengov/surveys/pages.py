"""Pages of surveys: the list, one survey (answer form, then its published results with a
chart and a table for every question), the staff builder, and the /measurement section."""

from __future__ import annotations

import reflex as rx

from syros_app.core.registry import backlinks
from syros_app.ui.components import alerts, card_list, confirm_dialog, field, field_error, loading, no_access
from syros_app.ui.i18n import by_language
from syros_app.ui.i18n import GREEK, t
from syros_app.ui.layout import PageTable, ShellState, link, page_shell, page_title

from . import rules
from .state import StaffSurveysState, SurveyFiguresState, SurveyPageState, SurveysListState
from .views import OptionView, QuarterRow, QuestionView, ResultRowView, ResultView, StaffQuestion, SurveyCard, TextView

def both(text) -> rx.Var:
    """A :class:`~.views.Bi` text in the reader's language."""
    return by_language(text.el, text.en)


def table(caption, column_keys: tuple[str, ...], rows, row_fn) -> rx.Component:
    """A captioned table in a scroll box keyboard users can focus (wide tables on phones)."""
    return rx.el.div(
        rx.el.table(rx.el.caption(caption), rx.el.thead(rx.el.tr(*[rx.el.th(t(k), scope="col") for k in column_keys])),
                    rx.el.tbody(rx.foreach(rows, row_fn)), class_name="results-table"),
        class_name="table-scroll", tab_index=0)


# Attribute tokens (not visible text).
_CHECKBOX, _RADIO, _TICKED = "checkbox", "radio", "on"


def _match(prefix: str, value, options) -> rx.Component:
    return rx.match(value, *[(o, t(f"{prefix}.{o}")) for o in options], value)


def status_badge(value) -> rx.Component:
    return rx.el.span(_match("surveys.status", value, rules.STATUSES), class_name="badge survey-status-" + value)


def mode_badge(value) -> rx.Component:
    return rx.el.span(_match("surveys.mode", value, rules.MODES), class_name="badge survey-mode")


# --- /surveys ---------------------------------------------------------------------------------------

def survey_card(card: SurveyCard) -> rx.Component:
    return rx.el.li(
        rx.el.div(status_badge(card.status), mode_badge(card.mode)),
        rx.el.h2(link(card.title, href=card.url, lang=GREEK), class_name="survey-card-title"),
        rx.cond(card.status == rules.OPEN,
                rx.el.p(t("surveys.closes"), ": ", both(card.closes), class_name="muted"),
                rx.el.p(t("surveys.answers"), ": ", both(card.answers), class_name="muted")),
        class_name="card",
    )


def surveys_page() -> rx.Component:
    return page_shell(
        page_title("surveys.list.title"),
        rx.el.p(t("surveys.list.intro"), class_name="lead"),
        card_list(SurveysListState.loaded, SurveysListState.items, survey_card, "surveys.list.none"),
        rx.el.p(link(t("surveys.open_data"), href="/api/v1/surveys"), class_name="muted"),
    )


# --- /surveys/[survey_id]: the form -------------------------------------------------------------------

def choice(option: OptionView, q: QuestionView) -> rx.Component:
    """A radio named ``q<id>`` (single choice, scale) or a checkbox ``q<id>_<n>`` (multiple)."""
    multiple = q.kind == rules.MULTIPLE
    field_id = q.field + "-" + option.value
    return rx.el.li(
        rx.el.input(type=rx.cond(multiple, _CHECKBOX, _RADIO),
                    name=rx.cond(multiple, q.field + "_" + option.value, q.field),
                    value=rx.cond(multiple, _TICKED, option.value), id=field_id, class_name="choice-input"),
        rx.el.label(rx.el.span(option.label, class_name="choice-title", lang=GREEK), html_for=field_id,
                    class_name="choice-label"),
        class_name="choice",
    )


def question_field(q: QuestionView) -> rx.Component:
    legend_id = q.field + "-legend"
    hint = rx.match(
        q.kind,
        (rules.MULTIPLE, rx.cond(q.max_choices > 0, rx.el.p(t("surveys.page.max_choices"), " ", q.max_choices,
                                                              class_name="hint"))),
        (rules.SCALE, rx.el.p(q.options[0].label, " = ", q.ends[0], " · ",
                              q.options[q.options.length() - 1].label, " = ", q.ends[1], class_name="hint")),
        rx.fragment(),
    )
    return rx.el.fieldset(
        rx.el.legend(rx.el.span(q.prompt, lang=GREEK), rx.cond(q.required, rx.el.span(" *", aria_hidden="true"),
                                       rx.el.span(" (", t("surveys.optional"), ")", class_name="muted")),
                     id=legend_id, class_name="choice-legend"),
        hint,
        rx.cond(
            q.kind == rules.TEXT,
            rx.el.div(
                rx.el.label(t("surveys.page.your_answer"), html_for=q.field, class_name="visually-hidden"),
                rx.el.textarea(id=q.field, name=q.field, rows=3, max_length=rules.MAX_TEXT,
                               aria_describedby=legend_id + " " + q.field + "-error",
                               aria_invalid=rx.cond(q.error != "", "true", "false")),
                class_name="field"),
            rx.el.ul(rx.foreach(q.options, lambda o: choice(o, q)), class_name="choice-list"),
        ),
        field_error(q.field, q.error),
        class_name="choices",
        aria_describedby=q.field + "-error",
    )


def answer_section() -> rx.Component:
    s = SurveyPageState
    return rx.el.section(
        rx.el.h2(t("surveys.page.answer_title"), id="answer-heading"),
        rx.cond(s.card.mode == rules.ANONYMOUS,
                rx.el.p(t("surveys.page.anonymous_note"), class_name="alert info"),
                rx.el.p(t("surveys.page.person_note"), class_name="muted")),
        rx.cond(
            s.answered,
            rx.el.p(t("surveys.page.already"), class_name="alert success", role="status"),
            rx.cond(
                s.needs_login,
                rx.el.p(t("surveys.page.login_first"), " ",
                        rx.el.a(t("staff.log_in"), href="/auth/login", class_name="button")),
                rx.el.form(
                    rx.el.p(t("surveys.page.required_note"), class_name="hint"),
                    rx.foreach(s.questions, question_field),
                    rx.el.button(t("surveys.page.submit"), type="submit", class_name="button primary"),
                    on_submit=s.submit, reset_on_submit=False, class_name="form", id="survey-form",
                ),
            ),
        ),
        aria_labelledby="answer-heading",
    )


# --- /surveys/[survey_id]: the results ---------------------------------------------------------------

def result_bar(row: ResultRowView) -> rx.Component:
    return rx.el.li(
        rx.el.span(row.label, class_name="survey-bar-label"),
        rx.el.span(rx.el.span(class_name="survey-bar-fill", style={"width": row.width}), class_name="survey-bar-track"),
        rx.el.span(both(row.share), class_name="survey-bar-value"),
        class_name="survey-bar",
    )


def result_row(row: ResultRowView) -> rx.Component:
    return rx.el.tr(rx.el.th(row.label, scope="row", lang=GREEK), rx.el.td(both(row.count)),
                    rx.el.td(both(row.share)))


def question_result(r: ResultView) -> rx.Component:
    heading = "result-" + r.id.to_string()
    return rx.el.section(
        rx.el.h3(r.prompt, id=heading, lang=GREEK),
        rx.el.p(t("surveys.results.answered"), ": ", both(r.answered),
                rx.cond(r.mean.el != "", rx.fragment(" · ", t("surveys.results.mean"), ": ", both(r.mean))),
                class_name="muted"),
        rx.cond(
            r.kind == rules.TEXT,
            rx.cond(r.texts.length() > 0,
                    rx.el.ul(rx.foreach(r.texts, lambda text: rx.el.li(text)), class_name="survey-texts", lang=GREEK),
                    rx.el.p(t("surveys.results.texts_not_published"), class_name="muted")),
            rx.el.div(
                rx.el.figure(rx.el.ul(rx.foreach(r.rows, result_bar), class_name="survey-bars"),
                             aria_hidden="true", class_name="survey-chart"),
                table(r.prompt, ("surveys.results.answer", "surveys.results.people", "surveys.results.share"), r.rows,
                      result_row),
                class_name="survey-pair",
            ),
        ),
        aria_labelledby=heading,
        class_name="survey-result",
    )


def results_section() -> rx.Component:
    s = SurveyPageState
    base = "/api/v1/surveys/" + s.card.id.to_string()
    return rx.el.section(
        rx.el.h2(t("surveys.results.title"), id="results-heading"),
        rx.el.p(t("surveys.results.total"), ": ", rx.el.strong(both(s.card.answers)),
                ". ", t("surveys.results.shares_note")),
        rx.foreach(s.results, question_result),
        rx.el.p(link(t("surveys.results.csv"), href=base + "/answers.csv"), " · ",
                link(t("surveys.results.json"), href=base)),
        rx.el.p(t("surveys.results.csv_note"), class_name="hint"),
        aria_labelledby="results-heading",
    )


def survey_body() -> rx.Component:
    s = SurveyPageState
    return rx.fragment(
        rx.el.div(status_badge(s.card.status), mode_badge(s.card.mode)),
        rx.el.h1(s.card.title, class_name="page-title", tab_index=-1, lang=GREEK),
        rx.cond(s.description != "", rx.el.p(s.description, class_name="survey-description", lang=GREEK)),
        rx.el.p(t("surveys.non_binding"), class_name="hint"),
        *backlinks("survey"),
        alerts(s),
        rx.match(
            s.card.status,
            (rules.OPEN, rx.fragment(rx.el.p(t("surveys.closes"), ": ", both(s.card.closes),
                                             class_name="muted"), answer_section())),
            (rules.PUBLISHED, results_section()),
            rx.el.p(t("surveys.page.closed"), class_name="empty-state"),
        ),
        rx.el.p(link(t("surveys.back"), href="/surveys")),
    )


def survey_page() -> rx.Component:
    s = SurveyPageState
    return page_shell(rx.cond(s.loaded, rx.cond(s.found, survey_body(),
                                                 rx.el.p(t("surveys.errors.not_found"), class_name="empty-state")),
                              loading()))


# --- /staff/surveys ---------------------------------------------------------------------------------

def _input(name: str, label_key: str, hint_key: str | None = None, **props) -> rx.Component:
    field_id = "sv-" + name.replace("_", "-")
    described = {"aria_describedby": f"{field_id}-hint"} if hint_key else {}
    return field(label_key, rx.el.input(id=field_id, name=name, **described, **props), field_id, hint_key)


def _checkbox(name: str, label_key: str, checked: bool = False) -> rx.Component:
    field_id = "sv-" + name.replace("_", "-")
    return rx.el.div(rx.el.input(type="checkbox", id=field_id, name=name, default_checked=checked),
                     rx.el.label(t(label_key), html_for=field_id), class_name="field survey-checkbox")


def _select(name: str, label_key: str, prefix: str, values) -> rx.Component:
    field_id = "sv-" + name
    return field(label_key, rx.el.select(*[rx.el.option(t(f"{prefix}.{v}"), value=v) for v in values],
                                         id=field_id, name=name), field_id)


def create_form() -> rx.Component:
    s = StaffSurveysState
    return rx.el.section(
        rx.el.h2(t("surveys.staff.new"), id="new-heading"),
        rx.el.form(
            _input("title", "surveys.staff.title_label", required=True, max_length=rules.MAX_TITLE),
            field("surveys.staff.description_label",
                  rx.el.textarea(id="sv-description", name="description", rows=3, max_length=rules.MAX_DESCRIPTION),
                  "sv-description"),
            _select("mode", "surveys.staff.mode_label", "surveys.mode_choice", rules.MODES),
            _checkbox("publish_text", "surveys.staff.publish_text_label"),
            rx.el.button(t("surveys.staff.create"), type="submit", class_name="button primary"),
            on_submit=s.create, reset_on_submit=False, key=s.form_key.to_string(), class_name="form",
        ),
        aria_labelledby="new-heading",
    )


def staff_row(card: SurveyCard) -> rx.Component:
    return rx.el.tr(
        rx.el.th(card.title, scope="row"), rx.el.td(status_badge(card.status)),
        rx.el.td(both(card.answers)),
        rx.el.td(rx.el.button(t("surveys.staff.select"), rx.el.span(" ", card.title, class_name="visually-hidden"),
                              type="button", class_name="button secondary small",
                              on_click=StaffSurveysState.select(card.id.to_string()))),
    )


def staff_question(q: StaffQuestion) -> rx.Component:
    s = StaffSurveysState
    editable = s.detail.status == rules.DRAFT
    return rx.el.li(
        rx.el.p(rx.el.strong(q.prompt), " · ", _match("surveys.kind", q.kind, rules.KINDS),
                rx.cond(q.required, rx.fragment(" · ", t("surveys.staff.required_short")))),
        rx.cond(q.details != "", rx.el.p(q.details, class_name="muted")),
        rx.cond(editable, rx.el.div(
            rx.el.button(t("surveys.staff.up"), rx.el.span(" «", q.prompt, "»", class_name="visually-hidden"),
                         type="button", class_name="button secondary small", on_click=s.move_question(q.id, -1)),
            rx.el.button(t("surveys.staff.down"), rx.el.span(" «", q.prompt, "»", class_name="visually-hidden"),
                         type="button", class_name="button secondary small", on_click=s.move_question(q.id, 1)),
            rx.el.button(t("surveys.staff.remove"), rx.el.span(" «", q.prompt, "»", class_name="visually-hidden"),
                         type="button", class_name="button secondary small", on_click=s.remove_question(q.id)),
            class_name="button-row")),
        class_name="card",
    )


def question_form() -> rx.Component:
    s = StaffSurveysState
    return rx.el.form(
        rx.el.h3(t("surveys.staff.add_question")),
        rx.el.input(type="hidden", name="survey_id", value=s.detail.id),
        _select("kind", "surveys.staff.kind_label", "surveys.kind", rules.KINDS),
        _input("prompt", "surveys.staff.prompt_label", required=True, max_length=rules.MAX_PROMPT),
        _checkbox("required", "surveys.staff.required_label", checked=True),
        field("surveys.staff.choices_label",
              rx.el.textarea(id="sv-choices", name="choices", rows=4, aria_describedby="sv-choices-hint"),
              "sv-choices", "surveys.staff.choices_hint"),
        _input("max_choices", "surveys.staff.max_label", "surveys.staff.max_hint", type="number", min=1,
               max=rules.MAX_CHOICES),
        rx.el.div(_input("scale_min", "surveys.staff.scale_min", type="number", default_value="1"),
                  _input("scale_max", "surveys.staff.scale_max", type="number", default_value="5"),
                  _input("label_low", "surveys.staff.label_low", max_length=rules.MAX_LABEL),
                  _input("label_high", "surveys.staff.label_high", max_length=rules.MAX_LABEL),
                  class_name="survey-scale-fields"),
        rx.el.p(t("surveys.staff.scale_hint"), class_name="hint"),
        rx.el.button(t("surveys.staff.add"), type="submit", class_name="button primary"),
        on_submit=s.add_question, reset_on_submit=False, key="q-" + s.form_key.to_string(), class_name="form",
    )


def text_item(item: TextView) -> rx.Component:
    s = StaffSurveysState
    return rx.el.li(
        rx.el.p(rx.el.strong(item.prompt)), rx.el.p(item.text, class_name="survey-text"),
        rx.el.div(rx.el.button(t("surveys.staff.approve"), type="button", class_name="button secondary small",
                               on_click=s.moderate(item.id, True)),
                  rx.el.button(t("surveys.staff.hide"), type="button", class_name="button secondary small",
                               on_click=s.moderate(item.id, False)), class_name="button-row"),
        class_name="card",
    )


def staff_detail() -> rx.Component:
    s = StaffSurveysState
    d = s.detail
    return rx.el.section(
        rx.el.h2(d.title, id="detail-heading"),
        rx.el.p(status_badge(d.status), mode_badge(d.mode), t("surveys.answers"), ": ", both(d.answers),
                rx.cond(d.closes.el != "", rx.fragment(" · ", t("surveys.closes"), ": ", both(d.closes)))),
        rx.el.p(link(t("surveys.staff.public_page"), href="/surveys/" + d.id.to_string())),
        rx.el.h3(t("surveys.staff.questions")),
        rx.cond(d.questions.length() > 0, rx.el.ol(rx.foreach(d.questions, staff_question), class_name="card-list"),
                rx.el.p(t("surveys.staff.no_questions"), class_name="muted")),
        rx.match(
            d.status,
            (rules.DRAFT, rx.fragment(
                question_form(),
                rx.el.form(
                    rx.el.h3(t("surveys.staff.open_title")),
                    _input("closes_on", "surveys.staff.closes_on", "surveys.staff.closes_hint", type="date",
                           required=True),
                    rx.el.button(t("surveys.staff.open"), type="submit", class_name="button primary"),
                    on_submit=s.ask_open, reset_on_submit=False, class_name="form"))),
            (rules.OPEN, rx.el.button(t("surveys.staff.close"), type="button", class_name="button secondary",
                                      on_click=s.ask_close)),
            (rules.CLOSED, rx.el.button(t("surveys.staff.publish"), type="button", class_name="button primary",
                                        on_click=s.ask_publish)),
            rx.fragment(),
        ),
        rx.cond(d.publish_text, rx.el.section(
            rx.el.h3(t("surveys.staff.texts_title"), id="texts-heading"),
            rx.el.p(t("surveys.staff.texts_hint"), class_name="hint"),
            rx.cond(d.texts.length() > 0, rx.el.ul(rx.foreach(d.texts, text_item), class_name="card-list"),
                    rx.el.p(t("surveys.staff.no_texts"), class_name="muted")),
            aria_labelledby="texts-heading")),
        aria_labelledby="detail-heading",
        class_name="survey-detail",
    )


STAFF_COLUMNS = ("surveys.staff.col_title", "surveys.staff.col_status", "surveys.answers", "surveys.staff.col_action")


def staff_body() -> rx.Component:
    s = StaffSurveysState
    return rx.fragment(
        alerts(s),
        create_form(),
        rx.el.section(
            rx.el.h2(t("surveys.staff.all"), id="all-heading"),
            rx.cond(s.surveys.length() > 0,
                    table(t("surveys.staff.all"), STAFF_COLUMNS, s.surveys, staff_row),
                    rx.el.p(t("surveys.list.none"), class_name="empty-state")),
            aria_labelledby="all-heading",
        ),
        rx.cond(s.detail.id > 0, staff_detail()),
        confirm_dialog(s),
    )


def staff_page() -> rx.Component:
    s = StaffSurveysState
    return page_shell(
        page_title("surveys.staff.page_title"),
        rx.cond(s.loaded,
                rx.cond(s.allowed, staff_body(), no_access("surveys.errors.staff_only", ShellState.logged_in)),
                loading()),
    )


# --- the /measurement section ---------------------------------------------------------------------

def quarter_row(row: QuarterRow) -> rx.Component:
    return rx.el.tr(rx.el.th(row.quarter, scope="row"), rx.el.td(both(row.surveys)),
                    rx.el.td(both(row.answers)), rx.el.td(both(row.per_survey)))


def ran_row(card: SurveyCard) -> rx.Component:
    return rx.el.tr(rx.el.th(link(card.title, href=card.url, lang=GREEK), scope="row"), rx.el.td(status_badge(card.status)),
                    rx.el.td(both(card.answers)))


def measurement_section() -> rx.Component:
    s = SurveyFiguresState
    columns = ("surveys.figures.quarter", "surveys.figures.run", "surveys.figures.answers",
               "surveys.figures.per_survey")
    return rx.el.section(
        rx.el.h2(t("surveys.figures.title"), id="survey-figures-heading"),
        rx.el.dl(*[rx.fragment(rx.el.dt(t(f"surveys.figures.{k}")), rx.el.dd(t(f"surveys.figures.{k}_definition")))
                   for k in ("run", "answers", "per_survey")], class_name="survey-definitions"),
        rx.cond(s.loaded, rx.fragment(
            table(t("surveys.figures.by_quarter"), columns, s.quarters, quarter_row),
            table(t("surveys.figures.per_survey_table"),
                  ("surveys.staff.col_title", "surveys.staff.col_status", "surveys.figures.answers"), s.ran, ran_row),
        ), loading()),
        rx.el.p(link(t("surveys.figures.csv_quarters"), href="/api/v1/surveys/figures.csv"), " · ",
                link(t("surveys.figures.csv_surveys"), href="/api/v1/surveys.csv"), " · ",
                link(t("surveys.figures.json"), href="/api/v1/surveys")),
        aria_labelledby="survey-figures-heading",
        on_mount=SurveyFiguresState.load,
    )


add_pages = PageTable.of(
    (surveys_page, "/surveys", "surveys.list.title", SurveysListState.load),
    (survey_page, "/surveys/[survey_id]", "surveys.nav", SurveyPageState.load),
    (staff_page, "/staff/surveys", "surveys.staff.page_title", StaffSurveysState.load),
).add_pages

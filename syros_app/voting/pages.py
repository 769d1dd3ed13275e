"""Pages of voting (phone first): list, a vote, results, tracker check, my votes, staff."""

from __future__ import annotations

import reflex as rx

from syros_app.core.registry import backlinks
from syros_app.ui.i18n import GREEK, LanguageState, t
from syros_app.ui.components import card_list, confirm_dialog, field, field_error, no_access, when_loaded
from syros_app.ui.layout import PageTable, ShellState, gated_page, lead_page, link, page_shell, page_title

from .state import MAX_TRUSTEE_ROWS, TRUSTEE_BROWSER_STEPS, BoardState, CheckState, TrusteeState, MyVotesState, ResultsState, StaffVotesState, VotesListState, VoteState
from .views import BoardRow, ComplaintRow, MyVoteRow, TrusteeCandidate, TrusteeRow, OptionRow, OptionView, ResultRow, StaffVoteCard, UnitRow, VoteCard

PAGES = PageTable()


# Attribute tokens (not visible text).
_CHECKBOX, _RADIO, _OVER_BUDGET_CLASS = "checkbox", "radio", "over-budget"
_ALERT_INFO, _ALERT_ERROR = "alert info", "alert error"
_NOBODY = "—"  # an empty trustee row
# commands, not prose: the same in every language (voting/trustee.py)
_TRUSTEE_INIT, _TRUSTEE_DEAL, _TRUSTEE_DECRYPT, _TRUSTEE_CHECK, _TRUSTEE_ANSWER = (
    f"python -m syros_app voting trustee {step}" for step in (
        "init --key my.key", "deal --key my.key --kit kit.json", "decrypt --key my.key --kit kit.json",
        "check --key my.key --kit kit.json", "answer --key my.key --kit kit.json"))


def bi(el, en) -> rx.Var:
    """A server-provided text kept in both languages."""
    return rx.cond(LanguageState.lang == "en", en, el)


def loading() -> rx.Component:
    return rx.el.p(t("voting.loading"), class_name="muted", aria_live="polite")


def alert_error(text) -> rx.Component:
    return rx.cond(text != "", rx.el.div(text, class_name="alert error", role="alert"))


def alert_success(text) -> rx.Component:
    return rx.cond(text != "", rx.el.div(text, class_name="alert success", role="status"))


# --- /votes ------------------------------------------------------------------------------------

def vote_card(card: VoteCard) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(bi(card.kind_el, card.kind_en), class_name="badge"),
            rx.el.span(bi(card.status_el, card.status_en), class_name="badge vote-status-" + card.status),
            class_name="vote-badges",
        ),
        rx.el.h2(link(card.title, href=card.url), class_name="vote-card-title", lang=GREEK),
        rx.el.p(card.question, lang=GREEK),
        rx.cond(
            card.when != "",
            rx.el.p(
                rx.match(card.status, ("scheduled", t("voting.opens_at")), t("voting.closes_at")),
                ": ", bi(card.when, card.when_en), class_name="muted",
            ),
        ),
        rx.cond(card.status == "published", link(t("voting.see_results"), href=card.url + "/results", class_name="button secondary")),
        class_name="card vote-card",
    )


@PAGES.add("/votes", "voting.title", on_load=VotesListState.load)
def votes_page() -> rx.Component:
    return lead_page(
        "voting.title", "voting.intro",
        rx.el.p(link(t("voting.my_votes"), href="/my-votes")),
        card_list(VotesListState.loaded, VotesListState.votes, vote_card, "voting.none"),
    )


# --- /votes/[vote_id] ---------------------------------------------------------------------------

def option_label(option: OptionView, input_id) -> rx.Component:
    return rx.el.label(
        rx.el.span(option.title, class_name="choice-title", lang=GREEK),
        rx.cond(option.cost_text != "", rx.el.span(option.cost_text, class_name="choice-cost")),
        rx.cond(option.description != "", rx.el.span(option.description, class_name="choice-description", lang=GREEK)),
        html_for=input_id,
        class_name="choice-label",
    )


def option_choice(option: OptionView) -> rx.Component:
    input_id = "option-" + option.id
    multiple = (VoteState.vote.kind == "multiple") | (VoteState.vote.kind == "budget")
    return rx.el.li(
        rx.el.input(
            type=rx.cond(multiple, _CHECKBOX, _RADIO),
            id=input_id,
            name="choice",
            value=option.id,
            checked=VoteState.selected.contains(option.id),
            on_change=VoteState.toggle(option.id),
            class_name="choice-input",
        ),
        option_label(option, input_id),
        class_name="choice",
    )


def budget_meter() -> rx.Component:
    return rx.el.div(
        rx.el.p(
            rx.el.strong(t("voting.budget_left")), ": ",
            rx.el.span(VoteState.left_text, class_name=rx.cond(VoteState.over_budget, _OVER_BUDGET_CLASS, "")),
            " / ", VoteState.budget_text,
        ),
        rx.el.p(t("voting.budget_spent"), ": ", VoteState.spent_text, class_name="muted"),
        rx.cond(VoteState.over_budget, rx.el.p(t("voting.budget_over"), class_name="over-budget")),
        class_name="budget-meter",
        aria_live="polite",
        role="status",
    )


def choose_step() -> rx.Component:
    return rx.el.section(
        rx.el.fieldset(
            rx.el.legend(VoteState.vote.question, class_name="choice-legend", lang=GREEK),
            rx.match(
                VoteState.vote.kind,
                ("multiple", rx.el.p(t("voting.choose_up_to"), " ", VoteState.vote.max_choices, class_name="hint")),
                ("budget", rx.el.p(t("voting.choose_budget"), class_name="hint")),
                rx.el.p(t("voting.choose_one"), class_name="hint"),
            ),
            rx.el.ul(rx.foreach(VoteState.options, option_choice), class_name="choice-list"),
            class_name="choices",
        ),
        rx.cond(VoteState.vote.kind == "budget", budget_meter()),
        alert_error(VoteState.error),
        rx.el.button(t("voting.review_button"), type="button", on_click=VoteState.review, class_name="button primary",
                     disabled=VoteState.selected.length() == 0),
        aria_label=t("voting.your_choice"),
    )


# --- encrypted votes: the choice never leaves the browser's form ------------------------------------

def secret_option(option: OptionView) -> rx.Component:
    """An uncontrolled input (no event sends the choice anywhere); ballot.js reads it to encrypt."""
    input_id = "secret-option-" + option.id
    multiple = (VoteState.vote.kind == "multiple") | (VoteState.vote.kind == "budget")
    return rx.el.li(
        rx.el.input(type=rx.cond(multiple, _CHECKBOX, _RADIO), id=input_id, name="secret-choice", value=option.id,
                    class_name="choice-input"),
        option_label(option, input_id),
        class_name="choice",
    )


def audit_report() -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.strong(rx.cond(VoteState.audit_ok, t("voting.audit_ok"), t("voting.audit_failed")))),
        rx.el.p(t("voting.audit_contained"), ":"),
        rx.el.ul(rx.foreach(VoteState.audit_titles, lambda title: rx.el.li(title))),
        rx.el.p(t("voting.audit_discarded")),
        class_name=rx.cond(VoteState.audit_ok, _ALERT_INFO, _ALERT_ERROR), role="status", id="audit-result",
    )


def secret_choose_step() -> rx.Component:
    return rx.el.section(
        rx.cond(VoteState.audit_titles.length() > 0, audit_report()),
        rx.el.fieldset(
            rx.el.legend(VoteState.vote.question, class_name="choice-legend", lang=GREEK),
            rx.match(
                VoteState.vote.kind,
                ("multiple", rx.el.p(t("voting.choose_up_to"), " ", VoteState.vote.max_choices, class_name="hint")),
                ("budget", rx.el.p(t("voting.choose_budget"), " ", t("voting.budget_total_is"), " ",
                                   VoteState.budget_text, class_name="hint")),
                rx.el.p(t("voting.choose_one"), class_name="hint"),
            ),
            rx.el.ul(rx.foreach(VoteState.options, secret_option), class_name="choice-list"),
            class_name="choices",
            disabled=VoteState.step != "choose",
        ),
        rx.el.p(t("voting.encrypted_explained"), class_name="hint"),
        alert_error(VoteState.error),
        rx.cond(VoteState.step == "choose",
                rx.el.button(t("voting.seal_button"), type="button", on_click=VoteState.seal, class_name="button primary",
                             id="seal-button"),
                sealed_step()),
        aria_label=t("voting.your_choice"),
    )


def sealed_step() -> rx.Component:
    return rx.el.div(
        rx.el.h2(t("voting.sealed_title"), id="sealed-heading"),
        rx.el.p(t("voting.sealed_explained")),
        rx.el.p(t("voting.your_receipt"), ": ", rx.el.code(VoteState.tracker, class_name="receipt-pending")),
        rx.el.p(t("voting.cannot_change"), class_name="alert warning"),
        rx.el.div(
            rx.el.button(t("voting.cast_button"), type="button", on_click=VoteState.cast_sealed,
                         class_name="button primary", id="cast-button"),
            rx.el.button(t("voting.challenge_button"), type="button", on_click=VoteState.challenge,
                         class_name="button secondary", id="challenge-button"),
            rx.el.button(t("voting.change_button"), type="button", on_click=VoteState.change_choice,
                         class_name="button secondary"),
            class_name="button-row",
        ),
        rx.el.p(t("voting.challenge_explained"), class_name="hint"),
        class_name="card review",
        role="region",
        aria_labelledby="sealed-heading",
    )


def review_step() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("voting.review_title"), id="review-heading"),
        rx.el.p(t("voting.you_are_voting")),
        rx.el.ul(rx.foreach(VoteState.selected_titles, lambda title: rx.el.li(rx.el.strong(title))), class_name="review-list"),
        rx.el.p(t("voting.cannot_change"), class_name="alert warning"),
        alert_error(VoteState.error),
        rx.el.div(
            rx.el.button(t("voting.back_button"), type="button", on_click=VoteState.back, class_name="button secondary"),
            rx.el.button(t("voting.confirm_button"), type="button", on_click=VoteState.confirm, class_name="button primary"),
            class_name="button-row",
        ),
        aria_labelledby="review-heading",
        class_name="card review",
    )


def tracker_box(tracker) -> rx.Component:
    return rx.el.p(rx.el.code(tracker, class_name="tracker"), class_name="tracker-box")


def done_step() -> rx.Component:
    return rx.el.section(
        rx.el.div(t("voting.thanks"), class_name="alert success", role="status"),
        rx.el.h2(t("voting.your_tracker"), id="tracker-heading"),
        tracker_box(VoteState.tracker),
        rx.cond(VoteState.encrypted,
                rx.el.p(t("voting.receipt_explained"), " ",
                        link(t("voting.board_link"), href="/votes/" + VoteState.vote_id.to_string() + "/board")),
                rx.el.p(t("voting.tracker_explained"))),
        rx.el.div(
            rx.el.button(t("voting.copy_button"), type="button", on_click=VoteState.copy_tracker, class_name="button secondary"),
            rx.el.button(t("voting.download_button"), type="button", on_click=VoteState.download_tracker, class_name="button secondary"),
            class_name="button-row",
        ),
        rx.el.p(link(t("voting.my_votes"), href="/my-votes")),
        aria_labelledby="tracker-heading",
        class_name="card",
    )


def eligibility_box() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("voting.can_you_vote"), id="eligibility-heading"),
        rx.el.p(bi(VoteState.vote.reason_text.el, VoteState.vote.reason_text.en), class_name="alert info", id="ineligible-reason"),
        rx.cond(VoteState.vote.reason == "not_logged_in",
                link(t("voting.login_to_vote"), href=VoteState.login_url, class_name="button primary")),
        rx.cond((VoteState.vote.status == "published"),
                link(t("voting.see_results"), href="/votes/" + VoteState.vote_id.to_string() + "/results", class_name="button secondary")),
        aria_labelledby="eligibility-heading",
        class_name="card",
    )


def vote_body() -> rx.Component:
    vote_path = "/votes/" + VoteState.vote_id.to_string()
    return rx.fragment(
        rx.el.h1(VoteState.title, class_name="page-title", lang=GREEK),
        rx.el.p(rx.el.span(bi(VoteState.vote.status_text.el, VoteState.vote.status_text.en), class_name="badge vote-status-" + VoteState.vote.status),
                rx.cond(VoteState.vote.closes.el != "", rx.el.span(" ", t("voting.closes_at"), ": ", bi(VoteState.vote.closes.el, VoteState.vote.closes.en), class_name="muted"))),
        # While choosing, the question is the legend of the choices; otherwise it stands here.
        rx.cond(VoteState.eligible & (VoteState.step == "choose"), rx.fragment(),
                rx.el.p(rx.el.strong(VoteState.vote.question), class_name="vote-question", lang=GREEK)),
        rx.cond(VoteState.vote.explanation != "", rx.el.div(VoteState.vote.explanation, class_name="vote-explanation prose",
                                                             lang=GREEK)),
        *backlinks("vote"),
        rx.cond(VoteState.vote.has_document,
                rx.el.p(rx.el.a(t("voting.document_link"), href="/api/v1/votes/" + VoteState.vote_id.to_string() + "/document.pdf",
                                target="_blank", rel="noopener"))),
        rx.cond(VoteState.vote.turnout.el != "", rx.el.p(t("voting.turnout_so_far"), ": ", bi(VoteState.vote.turnout.el, VoteState.vote.turnout.en), class_name="muted")),
        rx.cond(
            VoteState.step == "done",
            done_step(),
            rx.cond(
                VoteState.eligible,
                rx.cond(VoteState.encrypted, secret_choose_step(),
                        rx.cond(VoteState.step == "review", review_step(), choose_step())),
                eligibility_box(),
            ),
        ),
        rx.cond(VoteState.encrypted, rx.script(src="/voting/ballot.js")),
        rx.el.p(link(t("voting.check_link"), href=vote_path + "/check"), " · ",
                rx.cond(VoteState.encrypted, rx.fragment(link(t("voting.board_link"), href=vote_path + "/board"), " · ")),
                link(t("voting.back_to_list"), href="/votes")),
    )


@PAGES.add("/votes/[vote_id]", "voting.kind_label", on_load=VoteState.load)
def vote_page() -> rx.Component:
    return page_shell(
        when_loaded(VoteState.loaded, VoteState.found, vote_body(),
                    rx.el.p(t("voting.errors.not_found"), class_name="empty-state"), loading())
    )


# --- results ---------------------------------------------------------------------------------------

def bar_row(row: ResultRow) -> rx.Component:
    """One option: its name, its votes and share in figures, and a bar as long as that share."""
    return rx.el.li(
        rx.el.div(
            rx.el.span(row.title, class_name="bar-title", lang=GREEK),
            rx.cond(row.winner, rx.el.span(t("voting.funded"), class_name="badge winner")),
            rx.el.span(bi(row.percent_el, row.percent_en), " · ", bi(row.votes_el, row.votes_en), " ",
                       t("voting.votes_lower"), class_name="bar-figures"),
            class_name="bar-head",
        ),
        rx.el.div(rx.el.div(class_name="bar-fill", style={"width": row.width}), class_name="bar-track"),
        class_name="bar-row",
    )


def table_row(row: ResultRow) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row.title, scope="row", lang=GREEK),
        rx.el.td(bi(row.votes_el, row.votes_en)),
        rx.el.td(bi(row.percent_el, row.percent_en)),
        rx.cond(ResultsState.kind == "budget", rx.el.td(bi(row.cost_text, row.cost_text_en))),
        rx.cond(ResultsState.kind == "budget", rx.el.td(rx.cond(row.winner, t("voting.yes"), t("voting.no")))),
    )


def unit_row(row: UnitRow) -> rx.Component:
    return rx.el.tr(rx.el.th(row.unit, scope="row", lang=GREEK), rx.el.td(row.participations), rx.el.td(row.roll_size),
                    rx.el.td(bi(row.percent_el, row.percent_en)))


def results_body() -> rx.Component:
    base = "/api/v1/votes/" + ResultsState.vote_id.to_string()
    return rx.fragment(
        rx.el.h1(ResultsState.title, class_name="page-title", lang=GREEK),
        rx.el.p(ResultsState.question, lang=GREEK),
        rx.cond(ResultsState.close_reason != "", rx.el.p(t("voting.closed_early"), ": ", ResultsState.close_reason, class_name="muted")),
        rx.el.section(
            rx.el.h2(t("voting.turnout"), id="turnout-heading"),
            rx.el.p(t("voting.ballots_cast"), ": ", rx.el.strong(bi(ResultsState.figures.ballots.el, ResultsState.figures.ballots.en)),
                    " · ", t("voting.roll_size"), ": ", bi(ResultsState.figures.roll_size.el, ResultsState.figures.roll_size.en),
                    " · ", rx.el.strong(bi(ResultsState.figures.turnout.el, ResultsState.figures.turnout.en))),
            rx.cond(ResultsState.units.length() > 0, rx.el.div(rx.el.table(
                rx.el.caption(t("voting.turnout_by_unit")),
                rx.el.thead(rx.el.tr(rx.el.th(t("voting.unit"), scope="col"), rx.el.th(t("voting.voted"), scope="col"),
                                     rx.el.th(t("voting.roll_size"), scope="col"), rx.el.th(t("voting.percent"), scope="col"))),
                rx.el.tbody(rx.foreach(ResultsState.units, unit_row)),
                class_name="results-table"), class_name="table-scroll", tab_index=0, role="region",
                aria_label=t("voting.turnout_by_unit"))),
            aria_labelledby="turnout-heading",
        ),
        rx.el.section(
            rx.el.h2(t("voting.results_title"), id="results-heading"),
            rx.el.p(bi(ResultsState.figures.outcome.el, ResultsState.figures.outcome.en), class_name="outcome lead", id="outcome"),
            rx.cond(ResultsState.kind == "budget",
                    rx.el.p(t("voting.budget_rule"), " ", t("voting.budget_total"), ": ",
                            bi(ResultsState.figures.budget.el, ResultsState.figures.budget.en), " · ",
                            t("voting.winners_cost"), ": ", bi(ResultsState.figures.winners_cost.el, ResultsState.figures.winners_cost.en))),
            rx.el.ul(rx.foreach(ResultsState.rows, bar_row), class_name="bars", aria_hidden="true"),
            rx.el.div(rx.el.table(
                rx.el.caption(t("voting.results_table")),
                rx.el.thead(rx.el.tr(
                    rx.el.th(t("voting.option"), scope="col"), rx.el.th(t("voting.votes"), scope="col"),
                    rx.el.th(t("voting.percent"), scope="col"),
                    rx.cond(ResultsState.kind == "budget", rx.el.th(t("voting.cost"), scope="col")),
                    rx.cond(ResultsState.kind == "budget", rx.el.th(t("voting.funded"), scope="col")),
                )),
                rx.el.tbody(rx.foreach(ResultsState.rows, table_row)),
                class_name="results-table"), class_name="table-scroll", tab_index=0, role="region",
                aria_label=t("voting.results_table")),
            aria_labelledby="results-heading",
        ),
        rx.el.section(
            rx.el.h2(t("voting.open_data"), id="open-data-heading"),
            rx.el.p(t("voting.open_data_text")),
            rx.el.ul(
                rx.el.li(rx.el.a(t("voting.download_csv"), href=base + "/ballots.csv")),
                rx.el.li(rx.el.a(t("voting.download_json"), href=base + "/results.json")),
                rx.el.li(link(t("voting.check_link"), href="/votes/" + ResultsState.vote_id.to_string() + "/check")),
            ),
            aria_labelledby="open-data-heading",
        ),
    )


@PAGES.add("/votes/[vote_id]/results", "voting.results_title", on_load=ResultsState.load)
def results_page() -> rx.Component:
    not_published = rx.fragment(rx.el.h1(ResultsState.title, class_name="page-title"),
                                rx.el.p(t("voting.errors.not_published"), class_name="empty-state"))
    return page_shell(when_loaded(
        ResultsState.loaded,
        ResultsState.found,
        rx.cond(ResultsState.published, results_body(), not_published),
        rx.el.p(t("voting.errors.not_found"), class_name="empty-state"),
        loading(),
    ))


# --- bulletin board (encrypted votes) -------------------------------------------------------------

def board_row(row: BoardRow) -> rx.Component:
    return rx.el.li(rx.el.code(row.receipt, class_name="receipt"), " ",
                    rx.el.span(row.fingerprint, class_name="fingerprint muted"), class_name="board-row")


@PAGES.add("/votes/[vote_id]/board", "voting.board_title", on_load=BoardState.load)
def board_page() -> rx.Component:
    vote_path = "/votes/" + BoardState.vote_id.to_string()
    board = rx.fragment(
        rx.el.p(BoardState.title, class_name="lead"),
        rx.el.p(t("voting.board_intro")),
        rx.el.p(t("voting.board_count_label"), ": ", BoardState.entries.length(), id="board-count"),
        rx.cond(BoardState.entries.length() > 0,
                rx.el.ol(rx.foreach(BoardState.entries, board_row), class_name="board-list"),
                rx.el.p(t("voting.board_empty"), class_name="empty-state")),
        rx.cond(BoardState.spoiled.length() > 0, rx.fragment(
            rx.el.h2(t("voting.board_spoiled"), id="spoiled-heading"),
            rx.el.p(t("voting.board_spoiled_intro"), class_name="hint"),
            rx.el.ol(rx.foreach(BoardState.spoiled, board_row), class_name="spoiled-list",
                     aria_labelledby="spoiled-heading"),
        )),
        rx.cond(BoardState.published,
                rx.el.p(rx.el.a(t("voting.record_link"), href="/api/v1/votes/" + BoardState.vote_id.to_string() + "/record"),
                        " · ", link(t("voting.see_results"), href=vote_path + "/results"))),
        rx.el.p(link(t("voting.check_link"), href=vote_path + "/check")),
    )
    return gated_page("voting.board_title", BoardState.loaded, BoardState.found, board,
                      rx.el.p(t("voting.errors.not_found"), class_name="empty-state"), waiting=loading())


# --- a trustee's page -------------------------------------------------------------------------------

def _in_browser_step(step: str, button_key: str, hint_key: str, *fields: rx.Component) -> tuple:
    return (step, rx.fragment(
        rx.el.p(t(hint_key), class_name="hint"),
        field("voting.trustee_browser.passphrase", rx.el.input(
            type="password", id="trustee-passphrase", auto_complete="current-password" if step != "transport_key"
            else "new-password", min_length=10, aria_describedby="trustee-passphrase-hint"),
            "trustee-passphrase", "voting.trustee_browser.passphrase_hint"),
        *fields,
        rx.el.button(t(button_key), type="button", on_click=TrusteeState.run_in_browser, disabled=TrusteeState.working,
                     class_name="button primary", id="trustee-run"),
    ))


def _key_file_field() -> rx.Component:
    return field("voting.trustee_browser.key_file", rx.el.input(
        type="file", id="trustee-key-file", accept=".key,.json,application/json",
        aria_describedby="trustee-key-file-hint"), "trustee-key-file", "voting.trustee_browser.key_file_hint")


def trustee_in_browser() -> rx.Component:
    """The step in this browser (assets/voting/trustee.js): the inputs are uncontrolled and outside
    any form, so no event ever carries the passphrase or the key file; only the public output comes
    back to the state (``ran_in_browser``)."""
    return rx.el.section(
        rx.el.h2(t("voting.trustee_browser.title"), id="trustee-browser-heading"),
        rx.match(
            TrusteeState.step,
            _in_browser_step("transport_key", "voting.trustee_browser.init_button", "voting.trustee_browser.init_hint",
                             field("voting.trustee_browser.confirm", rx.el.input(
                                 type="password", id="trustee-passphrase-confirm", auto_complete="new-password"),
                                 "trustee-passphrase-confirm")),
            _in_browser_step("commitments", "voting.trustee_browser.deal_button", "voting.trustee_browser.deal_hint",
                             _key_file_field()),
            _in_browser_step("check", "voting.trustee_browser.check_button", "voting.trustee_browser.check_hint",
                             _key_file_field()),
            _in_browser_step("answer", "voting.trustee_browser.answer_button", "voting.trustee_browser.answer_hint",
                             _key_file_field()),
            _in_browser_step("partials", "voting.trustee_browser.decrypt_button",
                             "voting.trustee_browser.decrypt_hint", _key_file_field()),
            rx.fragment(),
        ),
        rx.cond(TrusteeState.working, rx.el.div(
            rx.el.label(t("voting.trustee_browser.working"), html_for="trustee-progress"),
            rx.el.progress(id="trustee-progress", max=100, value=0),
            class_name="field", role="status", aria_live="polite")),
        rx.el.p(rx.el.button(t("voting.trustee_browser.download"), type="button", class_name="button secondary",
                             on_click=rx.call_script("window.syrosTrustee.page.download()"), id="trustee-download"),
                class_name="hint"),
        rx.el.p(t("voting.trustee_browser.download_hint"), class_name="hint"),
        class_name="card",
        aria_labelledby="trustee-browser-heading",
    )


def trustee_offline() -> rx.Component:
    """The same step with the offline command (voting/trustee.py): paste its output."""
    kit = "/api/v1/votes/" + TrusteeState.vote_id.to_string() + "/trustee-kit.json"
    return rx.el.details(
        rx.el.summary(t("voting.trustee_browser.offline")),
        rx.el.p(t("voting.trustee_intro")),
        rx.el.p(rx.el.strong(t("voting.trustee_command")), " ", rx.match(
            TrusteeState.step,
            ("transport_key", rx.el.code(_TRUSTEE_INIT)),
            ("commitments", rx.el.code(_TRUSTEE_DEAL)),
            ("partials", rx.el.code(_TRUSTEE_DECRYPT)),
            ("check", rx.el.code(_TRUSTEE_CHECK)),
            ("answer", rx.el.code(_TRUSTEE_ANSWER)),
            rx.fragment(),
        )),
        rx.el.p(rx.el.a(t("voting.trustee_kit_link"), href=kit)),
        rx.el.form(
            rx.el.div(
                rx.el.label(t("voting.trustee_output_label"), html_for="trustee-output"),
                rx.el.textarea(id="trustee-output", name="output", rows="8", spell_check=False, required=True),
                class_name="field",
            ),
            rx.el.button(t("voting.trustee_post_button"), type="submit", class_name="button secondary"),
            on_submit=TrusteeState.submit,
            reset_on_submit=True,
            class_name="form",
        ),
        class_name="card",
    )


def trustee_body() -> rx.Component:
    # every step of the ceremony runs in this browser or, the same, with the offline command
    in_browser = rx.Var.create(list(TRUSTEE_BROWSER_STEPS)).contains(TrusteeState.step)
    return rx.fragment(
        rx.el.p(TrusteeState.title, class_name="lead"),
        rx.el.p(t("voting.trustee_you_are"), " ", TrusteeState.index, " / ", TrusteeState.trustees, " · ",
                t("voting.trustee_threshold"), " ", TrusteeState.threshold),
        rx.el.p(rx.el.strong(t("voting.trustee_next")), " ", rx.match(
            TrusteeState.step,
            ("transport_key", rx.el.span(t("voting.trustee_browser.step_init"))),
            ("commitments", rx.el.span(t("voting.trustee_browser.step_deal"))),
            ("partials", rx.el.span(t("voting.trustee_browser.step_decrypt"))),
            ("check", rx.el.span(t("voting.trustee_browser.step_check"))),
            ("answer", rx.el.span(t("voting.trustee_browser.step_answer"))),
            ("done", rx.el.span(t("voting.trustee_done"))),
            rx.el.span(t("voting.trustee_waiting")),
        ), id="trustee-step"),
        alert_error(TrusteeState.error),
        alert_success(TrusteeState.done),
        rx.cond(in_browser, trustee_in_browser()),
        rx.cond(in_browser, trustee_offline()),
        trustee_complaints(),
        rx.script(src="/voting/trustee.js"),
    )


def complaint_item(row: ComplaintRow) -> rx.Component:
    return rx.el.li(t("voting.trustee_complaint_by"), " ", row.complainant, " ", t("voting.trustee_complaint_against"),
                    " ", row.dealer, " — ", rx.match(
                        row.status,
                        ("answered", t("voting.trustee_complaint_answered")),
                        ("disqualifying", t("voting.trustee_complaint_disqualifying")),
                        t("voting.trustee_complaint_pending")))


def trustee_complaints() -> rx.Component:
    """The key ceremony's public complaints and how each ended (the step output box posts them)."""
    return rx.el.section(
        rx.el.h2(t("voting.trustee_complaints"), id="complaints-heading"),
        rx.el.p(t("voting.trustee_complaints_hint"), class_name="hint"),
        rx.cond(TrusteeState.complaints.length() > 0,
                rx.el.ul(rx.foreach(TrusteeState.complaints, complaint_item), id="complaints"),
                rx.el.p(t("voting.trustee_no_complaints"), class_name="muted")),
        aria_labelledby="complaints-heading",
    )


@PAGES.add("/votes/[vote_id]/trustee", "voting.trustee_title", on_load=TrusteeState.load)
def trustee_page() -> rx.Component:
    return gated_page("voting.trustee_title", TrusteeState.loaded, TrusteeState.found & TrusteeState.is_trustee,
                      trustee_body(), rx.el.p(t("voting.errors.not_trustee"), class_name="empty-state"), waiting=loading())


# --- check my tracker ----------------------------------------------------------------------------

@PAGES.add("/votes/[vote_id]/check", "voting.check_title", on_load=CheckState.load)
def check_page() -> rx.Component:
    return page_shell(
        page_title("voting.check_title"),
        rx.cond(CheckState.found_vote, rx.fragment(
            rx.el.p(CheckState.title, class_name="lead"),
            rx.cond(
                CheckState.published,
                rx.fragment(
                    rx.cond(CheckState.encrypted, rx.el.p(t("voting.receipt_check_intro")), rx.el.p(t("voting.check_intro"))),
                    rx.el.form(
                        rx.el.div(
                            rx.el.label(t("voting.tracker_label"), html_for="tracker-input"),
                            rx.el.input(id="tracker-input", name="tracker", auto_complete="off", spell_check=False,
                                        auto_capitalize="characters", required=True, max_length=64),
                            rx.el.p(t("voting.tracker_hint"), class_name="hint"),
                            class_name="field",
                        ),
                        rx.el.button(t("voting.check_button"), type="submit", class_name="button primary"),
                        on_submit=CheckState.check,
                        class_name="form",
                    ),
                    rx.match(
                        CheckState.result,
                        ("found", rx.el.div(
                            rx.el.p(t("voting.tracker_found"), " ", rx.el.code(CheckState.tracker)),
                            rx.el.p(t("voting.tracker_choice"), ":"),
                            rx.el.ul(rx.foreach(CheckState.chosen, lambda title: rx.el.li(title))),
                            class_name="alert success", role="status", id="check-result")),
                        ("on_board", rx.el.div(
                            rx.el.p(t("voting.receipt_on_board"), " ", rx.el.code(CheckState.tracker)),
                            class_name="alert success", role="status", id="check-result")),
                        ("missing", rx.el.div(t("voting.tracker_missing"), class_name="alert error", role="alert", id="check-result")),
                        ("invalid", rx.el.div(t("voting.tracker_invalid"), class_name="alert error", role="alert", id="check-result")),
                        rx.fragment(),
                    ),
                ),
                rx.el.p(t("voting.check_not_yet"), class_name="empty-state"),
            ),
        ), rx.el.p(t("voting.errors.not_found"), class_name="empty-state")),
    )


# --- my votes -------------------------------------------------------------------------------------

def my_vote_row(row: MyVoteRow) -> rx.Component:
    path = "/votes/" + row.vote_id.to_string()
    return rx.el.li(
        rx.el.h2(link(row.title, href=path), class_name="vote-card-title", lang=GREEK),
        rx.el.p(t("voting.you_voted_on"), " ", bi(row.voted_on_el, row.voted_on_en), " · ", bi(row.status_el, row.status_en)),
        rx.cond(row.tracker != "",
                rx.el.p(t("voting.your_tracker"), ": ", rx.el.code(row.tracker, class_name="tracker small")),
                rx.el.p(rx.cond(row.encrypted, t("voting.receipt_not_kept"), t("voting.tracker_unavailable")),
                        class_name="muted")),
        rx.cond(row.published, link(t("voting.check_link"), href=path + "/check", class_name="button secondary")),
        class_name="card",
    )


@PAGES.add("/my-votes", "voting.my_votes", on_load=MyVotesState.load)
def my_votes_page() -> rx.Component:
    return page_shell(
        page_title("voting.my_votes"),
        rx.el.p(t("voting.my_votes_intro")),
        rx.cond(MyVotesState.duties.length() > 0, rx.el.section(
            rx.el.h2(t("voting.my_trusteeships"), id="trustee-duties-heading"),
            rx.el.ul(rx.foreach(MyVotesState.duties, lambda d: rx.el.li(
                link(d.title, href="/votes/" + d.vote_id.to_string() + "/trustee"))), class_name="trustee-duties"),
            class_name="card", aria_labelledby="trustee-duties-heading")),
        rx.cond(
            MyVotesState.loaded,
            rx.cond(
                MyVotesState.logged_in,
                rx.cond(MyVotesState.rows.length() > 0,
                        rx.el.ul(rx.foreach(MyVotesState.rows, my_vote_row), class_name="card-list"),
                        rx.el.p(t("voting.my_votes_none"), class_name="empty-state")),
                rx.el.p(link(t("voting.login_to_see"), href="/auth/login?next=/my-votes", class_name="button primary")),
            ),
            loading(),
        ),
    )


# --- staff ----------------------------------------------------------------------------------------

def staff_card(card: StaffVoteCard) -> rx.Component:
    return rx.el.li(
        rx.el.div(rx.el.span(bi(card.kind_el, card.kind_en), class_name="badge"),
                  rx.el.span(bi(card.status_el, card.status_en), class_name="badge vote-status-" + card.status),
                  class_name="vote-badges"),
        rx.el.h3(card.title),
        rx.cond(card.opens != "", rx.el.p(t("voting.opens_at"), ": ", card.opens, class_name="muted")),
        rx.cond(card.closes != "", rx.el.p(t("voting.closes_at"), ": ", card.closes, class_name="muted")),
        rx.el.button(t("voting.staff.manage"), type="button", on_click=StaffVotesState.manage(card.id),
                     class_name="button secondary", aria_label=t("voting.staff.manage") + ": " + card.title),
        class_name="card",
    )


def option_editor(row: OptionRow, index: rx.Var) -> rx.Component:
    n = index.to_string()
    return rx.el.fieldset(
        rx.el.legend(t("voting.staff.option"), " ", index + 1),
        rx.el.div(rx.el.label(t("voting.staff.option_title"), html_for="option-title-" + n),
                  rx.el.input(id="option-title-" + n, name="option_title_" + n, default_value=row.title, max_length=200),
                  class_name="field"),
        rx.el.div(rx.el.label(t("voting.staff.option_description"), html_for="option-description-" + n),
                  rx.el.textarea(id="option-description-" + n, name="option_description_" + n, default_value=row.description, rows=2),
                  class_name="field"),
        rx.cond(StaffVotesState.form.kind == "budget",
                rx.el.div(rx.el.label(t("voting.staff.option_cost"), html_for="option-cost-" + n),
                          rx.el.input(id="option-cost-" + n, name="option_cost_" + n, default_value=row.cost,
                                      input_mode="numeric"),
                          class_name="field")),
        class_name="option-editor",
    )


def kind_option(kind: str) -> rx.Component:
    return rx.el.option(t(f"voting.kind.{kind}"), value=kind)


def vote_form() -> rx.Component:
    return rx.el.section(
        rx.el.h2(rx.cond(StaffVotesState.selected_id == 0, t("voting.staff.new_title"), t("voting.staff.edit_title")),
                 id="vote-form-heading"),
        field("voting.staff.kind", rx.el.select(
            *[kind_option(k) for k in ("yes_no", "single", "multiple", "budget")],
            id="vote-kind", value=StaffVotesState.form.kind, on_change=StaffVotesState.set_kind,
            disabled=~StaffVotesState.editable), "vote-kind", "voting.staff.kind_hint"),
        rx.el.form(
            field("voting.staff.title_field", rx.el.input(id="vote-title", name="title", default_value=StaffVotesState.form.title,
                                                     required=True, max_length=200), "vote-title"),
            field("voting.staff.question", rx.el.textarea(id="vote-question", name="question", rows=2,
                                                           default_value=StaffVotesState.form.question, required=True), "vote-question"),
            field("voting.staff.explanation", rx.el.textarea(id="vote-explanation", name="explanation", rows=5,
                                                              default_value=StaffVotesState.form.explanation), "vote-explanation"),
            field("voting.staff.roll", rx.el.select(
                rx.foreach(StaffVotesState.rolls, lambda r: rx.el.option(r.name, " (", r.size, ")", value=r.id)),
                id="vote-roll", name="roll_id", default_value=StaffVotesState.form.roll), "vote-roll"),
            field("voting.staff.unit", rx.el.select(
                rx.el.option(t("voting.staff.all_units"), value=""),
                rx.foreach(StaffVotesState.units, lambda u: rx.el.option(u, value=u)),
                id="vote-unit", name="unit", default_value=StaffVotesState.form.unit), "vote-unit"),
            field("voting.staff.min_age", rx.el.input(id="vote-min-age", name="min_age", input_mode="numeric",
                                                       default_value=StaffVotesState.form.min_age), "vote-min-age", "voting.staff.min_age_hint"),
            rx.cond(StaffVotesState.form.kind == "multiple",
                    field("voting.staff.max_choices", rx.el.input(id="vote-max", name="max_choices", input_mode="numeric",
                                                                   default_value=StaffVotesState.form.max_choices), "vote-max")),
            rx.cond(StaffVotesState.form.kind == "budget",
                    field("voting.staff.budget_total", rx.el.input(id="vote-budget", name="budget_total", input_mode="numeric",
                                                                    default_value=StaffVotesState.form.budget), "vote-budget")),
            rx.el.h3(t("voting.staff.options")),
            rx.el.p(t("voting.staff.options_hint"), class_name="hint"),
            rx.foreach(StaffVotesState.form.options, option_editor),
            rx.el.div(
                rx.el.button(t("voting.staff.add_option"), type="button", on_click=StaffVotesState.add_option,
                             class_name="button secondary"),
                rx.el.button(t("voting.staff.save"), type="submit", class_name="button primary", id="save-vote"),
                class_name="button-row",
            ),
            on_submit=StaffVotesState.save,
            key=StaffVotesState.form_key,
            id="vote-form",
            custom_attrs={"data-version": StaffVotesState.form_key},
            class_name="form",
        ),
        aria_labelledby="vote-form-heading",
        class_name="card",
    )


def hidden_id() -> rx.Component:
    return rx.el.input(type="hidden", name="vote_id", value=StaffVotesState.selected_id.to_string())


def trustee_status(row: TrusteeRow) -> rx.Component:
    return rx.el.li(row.index, ". ", row.name, " — ",
                    rx.cond(row.decrypted, t("voting.staff.trustee_decrypted"),
                            rx.cond(row.dealt, t("voting.staff.trustee_dealt"),
                                    rx.cond(row.key_posted, t("voting.staff.trustee_key_posted"),
                                            t("voting.staff.trustee_waiting")))),
                    ceremony_status(row))


def ceremony_status(row: TrusteeRow) -> rx.Component:
    """A dealer's standing in the key ceremony: complained against, or disqualified."""
    return rx.fragment(
        rx.cond(row.complained_against, rx.el.span(" · ", t("voting.staff.trustee_complained_against"))),
        rx.cond(row.disqualified, rx.el.strong(" · ", t("voting.staff.trustee_disqualified"))),
    )


def key_completion() -> rx.Component:
    """Why an encrypted draft cannot open yet, and (once k qualified trustees dealt) the explicit
    staff step that fixes the key with them (asked for confirmation)."""
    return rx.fragment(
        rx.cond(StaffVotesState.key_reason != "", rx.el.p(
            rx.match(StaffVotesState.key_reason, *[(key, t(key)) for key in (
                "voting.staff.key_no_trustees", "voting.staff.key_complaint_pending",
                "voting.staff.key_can_complete")], t("voting.staff.key_waiting_dealers")),
            class_name="alert info", id="key-reason")),
        rx.cond(StaffVotesState.can_complete, rx.el.form(
            hidden_id(),
            rx.el.button(t("voting.staff.complete_key"), type="submit", class_name="button secondary",
                         id="complete-key"),
            on_submit=StaffVotesState.complete_key, class_name="form")),
    )


def trustee_select(n: int) -> rx.Component:
    def option(candidate: TrusteeCandidate) -> rx.Component:
        return rx.el.option(candidate.name, value=candidate.person_id)

    return field(f"voting.staff.trustee_{n + 1}" if n < 3 else "voting.staff.trustee_more",
                 rx.el.select(rx.el.option(_NOBODY, value=""), rx.foreach(StaffVotesState.trustee_candidates, option),
                              id=f"trustee-{n}", name=f"trustee_{n}"), f"trustee-{n}")


def trustee_search() -> rx.Component:
    """Staff find any person with an account by name (on the server, a few at a time); those found
    join the trustee lists below."""
    return rx.el.form(
        field("voting.staff.trustee_search", rx.el.input(type="search", id="trustee-search", name="q", max_length=80,
                                                         auto_complete="off", aria_describedby="trustee-search-hint"),
              "trustee-search", "voting.staff.trustee_search_hint"),
        rx.el.button(t("voting.staff.trustee_search_button"), type="submit", class_name="button secondary",
                     id="trustee-search-button"),
        rx.el.div(rx.cond(
            StaffVotesState.trustee_found == 0, rx.el.p(t("voting.staff.trustee_search_none")),
            rx.cond(StaffVotesState.trustee_found > 0, rx.fragment(
                rx.el.p(t("voting.staff.trustee_search_found")),
                rx.el.ul(rx.foreach(StaffVotesState.trustee_matches, lambda c: rx.el.li(c.name)),
                         class_name="trustee-matches")))),
            role="status", aria_live="polite", id="trustee-search-result"),
        on_submit=StaffVotesState.search_trustees, role="search", class_name="form",
    )


def trustees_panel() -> rx.Component:
    return rx.el.section(
        rx.el.h3(t("voting.staff.trustees"), id="trustees-heading"),
        rx.el.p(t("voting.staff.trustees_hint"), class_name="hint"),
        rx.cond(StaffVotesState.trustee_rows.length() > 0, rx.fragment(
            rx.el.ol(rx.foreach(StaffVotesState.trustee_rows, trustee_status), class_name="trustee-list"),
            rx.el.p(rx.cond(StaffVotesState.key_ready, t("voting.staff.key_ready"), t("voting.staff.key_not_ready")),
                    class_name="muted", id="key-status"),
            rx.el.p(link(t("voting.trustee_title"), href="/votes/" + StaffVotesState.selected_id.to_string() + "/trustee")),
        )),
        key_completion(),
        rx.cond(StaffVotesState.selected_status == "draft", trustee_search()),
        rx.cond(StaffVotesState.selected_status == "draft", rx.el.form(
            hidden_id(),
            field("voting.staff.threshold", rx.el.input(type="number", id="trustee-threshold", name="threshold", min=1,
                                                        max=MAX_TRUSTEE_ROWS, default_value=StaffVotesState.f_threshold),
                  "trustee-threshold"),
            *[trustee_select(n) for n in range(MAX_TRUSTEE_ROWS)],
            rx.el.button(t("voting.staff.save_trustees"), type="submit", class_name="button secondary", id="save-trustees"),
            on_submit=StaffVotesState.set_trustees, key=StaffVotesState.form_key + "-trustees", class_name="form",
        )),
        aria_labelledby="trustees-heading",
    )


def lifecycle_panel() -> rx.Component:
    status = StaffVotesState.selected_status
    return rx.el.section(
        rx.el.h2(t("voting.staff.lifecycle"), id="lifecycle-heading"),
        rx.el.p(rx.el.strong(StaffVotesState.form.title)),
        rx.el.p(t("voting.staff.status"), ": ", rx.el.strong(rx.match(
            status, *[(code, t(f"voting.status.{code}")) for code in ("draft", "scheduled", "open", "closed")],
            t("voting.status.published"))), class_name="muted"),
        rx.cond(
            StaffVotesState.editable,
            rx.fragment(
                rx.el.form(
                    hidden_id(),
                    rx.el.div(rx.el.label(t("voting.document"), html_for="document-file"),
                              rx.el.input(type="file", id="document-file", name="document", accept="application/pdf"),
                              rx.el.p(t("voting.staff.document_hint"), class_name="hint"), class_name="field"),
                    rx.cond(StaffVotesState.has_document, rx.el.p(t("voting.staff.has_document"), class_name="muted")),
                    rx.el.button(t("voting.staff.upload"), type="submit", class_name="button secondary"),
                    action="/api/v1/staff/votes/" + StaffVotesState.selected_id.to_string() + "/document",
                    method="post", enc_type="multipart/form-data", class_name="form", id="document-form",
                    # Reflex forms always prevent the default submit; this one is a plain
                    # multipart POST to the upload route, so submit it natively.
                    on_submit=rx.call_script("document.getElementById('document-form').submit()"),
                ),
                rx.el.form(
                    hidden_id(),
                    field("voting.staff.opens_at", rx.el.input(type="datetime-local", id="opens-at", name="opens_at",
                                                                default_value=StaffVotesState.form.opens), "opens-at"),
                    field("voting.staff.closes_at", rx.el.input(type="datetime-local", id="closes-at", name="closes_at",
                                                                 default_value=StaffVotesState.form.closes), "closes-at"),
                    rx.el.button(t("voting.staff.schedule"), type="submit", class_name="button secondary"),
                    on_submit=StaffVotesState.schedule, key=StaffVotesState.form_key + "-schedule", class_name="form",
                ),
                rx.el.form(
                    hidden_id(),
                    field("voting.staff.open_closes_at", rx.el.input(
                        type="datetime-local", id="open-closes-at", name="closes_at",
                        aria_describedby="open-closes-at-hint open-closes-at-error",
                        aria_invalid=rx.cond(StaffVotesState.closes_error != "", "true", "false")),
                          "open-closes-at", "voting.staff.open_hint"),
                    field_error("open-closes-at", StaffVotesState.closes_error),
                    rx.el.button(t("voting.staff.open_now"), type="submit", class_name="button primary", id="open-now"),
                    on_submit=StaffVotesState.open_now, key=StaffVotesState.form_key + "-open", class_name="form",
                ),
                rx.cond(status == "scheduled", rx.el.form(
                    hidden_id(),
                    rx.el.button(t("voting.staff.unschedule"), type="submit", class_name="button secondary"),
                    on_submit=StaffVotesState.unschedule, class_name="form")),
            ),
        ),
        rx.cond(status == "open", rx.el.form(
            hidden_id(),
            rx.el.p(t("voting.staff.reason_hint"), class_name="hint"),
            rx.el.button(t("voting.staff.close"), type="submit", class_name="button danger", id="close-vote"),
            on_submit=StaffVotesState.close, class_name="form",
        )),
        rx.cond(status == "closed", rx.fragment(
            rx.el.p(t("voting.staff.preview"), ": ", StaffVotesState.preview),
            rx.el.form(
                hidden_id(),
                rx.el.button(t("voting.staff.publish"), type="submit", class_name="button primary", id="publish-vote"),
                on_submit=StaffVotesState.publish, class_name="form"),
        )),
        trustees_panel(),
        rx.el.p(link(t("voting.staff.view_page"), href="/votes/" + StaffVotesState.selected_id.to_string())),
        aria_labelledby="lifecycle-heading",
        class_name="card",
    )


@PAGES.add("/staff/votes", "voting.staff.title", on_load=StaffVotesState.load)
def staff_page() -> rx.Component:
    s = StaffVotesState
    desk = rx.fragment(
        alert_success(s.notice),
        alert_error(s.error),
        rx.el.button(t("voting.staff.new"), type="button", on_click=s.new_vote, class_name="button secondary"),
        rx.cond(s.selected_id != 0, lifecycle_panel()),
        rx.cond(s.editable, vote_form()),
        rx.el.h2(t("voting.staff.all_votes")),
        rx.el.ul(rx.foreach(s.votes, staff_card), class_name="card-list"),
    )
    return gated_page("voting.staff.title", s.loaded, s.allowed, desk,
                      no_access("voting.errors.administrators_only", ShellState.logged_in),
                      rx.cond(s.allowed, confirm_dialog(s)), waiting=loading())



add_pages = PAGES.add_pages

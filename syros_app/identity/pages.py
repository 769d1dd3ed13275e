"""Pages of identity: my account (GDPR), the login error page, staff roles and voter rolls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from syros_app.ui.i18n import t
from syros_app.ui.components import field_error, no_access
from syros_app.ui.layout import PageTable, ShellState, gated_page, link, page_shell, page_title

from .state import AccountState, LoginErrorState, RolesState, RollsState
from .views import AuditRow, ProblemRow, RollRow, RollView, StaffRow

# Copies the chosen file's text into the textarea (no upload round trip; the form sends text).
_FILE_TO_TEXTAREA = "/js/roll-file.js"  # a chosen CSV file fills the text area

PAGES = PageTable()


def _alert(text: rx.Var, kind: str) -> rx.Component:
    return rx.cond(text != "", rx.el.div(text, role="alert" if kind == "error" else "status",
                                         class_name=f"alert {kind}"))


def _outcome_alerts(state: type[rx.State]) -> tuple[rx.Component, rx.Component]:
    """The done text and the refusal of a page's last action (``message`` / ``error``)."""
    return _alert(state.message, "success"), _alert(state.error, "error")


def _login_needed(next_path: str) -> rx.Component:
    return rx.el.div(
        rx.el.p(t("identity.account.login_needed")),
        link(t("identity.header.login"), href=f"/auth/login?next={next_path}", class_name="button",
             reload_document=True),
        class_name="card",
    )


def _section(heading_key: str, heading_id: str, *children: rx.Component, class_name: str = "card") -> rx.Component:
    """A page section named by its own heading (a card unless told otherwise; "" for no class)."""
    props = {"class_name": class_name} if class_name else {}
    return rx.el.section(rx.el.h2(t(heading_key), id=heading_id), *children, aria_labelledby=heading_id, **props)


def _table(rows: rx.Var, row: Callable[[Any], rx.Component], table_id: str, heading_id: str,
           column_keys: tuple[str, ...]) -> rx.Component:
    """A staff table: headed columns, one row per item, scrollable and named by its heading."""
    return rx.el.div(
        rx.el.table(
            rx.el.thead(rx.el.tr(*[rx.el.th(t(key), scope="col") for key in column_keys])),
            rx.el.tbody(rx.foreach(rows, row)),
            id=table_id,
        ),
        class_name="table-scroll",
        tab_index=0,
        role="region",
        aria_labelledby=heading_id,
    )


# --- /account -----------------------------------------------------------------------------------

def _roll_item(roll: RollView) -> rx.Component:
    return rx.el.li(rx.el.span(roll.name, class_name="roll-name"), " · ", rx.el.span(roll.unit, class_name="muted"))


def _nickname_form() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            rx.el.label(t("identity.account.nickname"), html_for="nickname"),
            rx.el.input(id="nickname", name="nickname", default_value=AccountState.account.nickname, max_length=40,
                        auto_complete="nickname", aria_describedby="nickname-hint", key=AccountState.account.nickname),
            rx.el.p(t("identity.account.nickname_hint"), id="nickname-hint", class_name="hint"),
            class_name="field",
        ),
        rx.el.button(t("identity.account.save"), type="submit", class_name="primary"),
        on_submit=AccountState.save_nickname,
        class_name="form",
    )


def _delete_section() -> rx.Component:
    return _section("identity.account.delete_title", "delete-heading",
        rx.el.p(t("identity.account.delete_text")),
        rx.cond(
            AccountState.confirming_delete,
            rx.el.form(
                rx.el.div(
                    rx.el.input(type="checkbox", id="confirm-delete", name="confirm", value="yes",
                                class_name="checkbox"),
                    rx.el.label(t("identity.account.delete_confirm_label"), html_for="confirm-delete"),
                    class_name="check-row",
                ),
                _alert(AccountState.delete_error, "error"),
                rx.el.div(
                    rx.el.button(t("identity.account.delete_final"), type="submit", class_name="danger"),
                    rx.el.button(t("identity.account.cancel"), type="button", class_name="secondary",
                                 on_click=AccountState.cancel_delete),
                    class_name="button-row",
                ),
                on_submit=AccountState.delete_account,
                class_name="form",
            ),
            rx.el.button(t("identity.account.delete_button"), type="button", class_name="danger",
                         on_click=AccountState.ask_delete),
        ),
        class_name="card danger-zone",
    )


def _staff_entries():
    """Every capability's staff-only pages (each page checks permission itself)."""
    from syros_app.core.registry import nav_entries

    return [entry for entry in nav_entries(staff=True) if entry.staff_only]


def _account_content() -> rx.Component:
    return rx.el.div(
        *_outcome_alerts(AccountState),
        _section("identity.account.my_data", "data-heading",
            rx.el.dl(
                rx.el.dt(t("identity.account.display_name")),
                rx.el.dd(AccountState.account.display_name, id="account-display-name"),
                rx.el.dt(t("identity.account.birth_year")),
                rx.el.dd(AccountState.account.birth_year),
                rx.el.dt(t("identity.account.father_name")),
                rx.el.dd(AccountState.account.father_name),
                rx.el.dt(t("identity.account.first_login")),
                rx.el.dd(AccountState.account.first_login),
                class_name="data-list",
            ),
            rx.el.p(t("identity.account.taxid_note"), class_name="hint"),
            _nickname_form(),
        ),
        _section("identity.account.rolls", "rolls-heading",
            rx.cond(
                AccountState.account.rolls.length() > 0,
                rx.el.ul(rx.foreach(AccountState.account.rolls, _roll_item), class_name="roll-list"),
                rx.el.p(t("identity.account.no_rolls"), class_name="muted"),
            ),
        ),
        rx.cond(
            AccountState.account.is_staff,
            _section("identity.account.staff_title", "staff-heading",
                rx.el.ul(
                    *[rx.el.li(link(t(entry.label_key), href=entry.route)) for entry in _staff_entries()],
                    class_name="link-list",
                ),
            ),
        ),
        _section("identity.account.export_title", "export-heading",
            rx.el.p(t("identity.account.export_text")),
            rx.el.a(t("identity.account.export_button"), href="/api/v1/me/export", download="syros-agora-my-data.json",
                    class_name="button secondary", id="export-link", reload_document=True),
        ),
        _delete_section(),
        class_name="account-sections",
    )


@PAGES.add("/account", "identity.account.title", on_load=AccountState.load)
def account_page() -> rx.Component:
    return gated_page("identity.account.title", AccountState.loaded, AccountState.account.logged_in,
                      _account_content(), _login_needed("/account"))


# --- /login-error -----------------------------------------------------------------------------------

@PAGES.add("/login-error", "identity.login_error.title", on_load=LoginErrorState.load)
def login_error_page() -> rx.Component:
    return page_shell(
        page_title("identity.login_error.title"),
        rx.el.div(
            rx.match(
                LoginErrorState.reason,
                ("state", rx.el.p(t("identity.login_error.state"))),
                ("denied", rx.el.p(t("identity.login_error.denied"))),
                ("code", rx.el.p(t("identity.login_error.code"))),
                ("userinfo", rx.el.p(t("identity.login_error.userinfo"))),
                ("invalid_person", rx.el.p(t("identity.login_error.invalid_person"))),
                rx.el.p(t("identity.login_error.provider")),
            ),
            role="alert",
            class_name="alert error",
            id="login-error-message",
        ),
        rx.el.p(t("identity.login_error.nothing_saved")),
        rx.el.div(
            link(t("identity.login_error.retry"), href="/auth/login", class_name="button", reload_document=True),
            link(t("nav.home"), href="/", class_name="button secondary"),
            class_name="button-row",
        ),
    )


# --- /staff/roles -----------------------------------------------------------------------------------

def _not_allowed() -> rx.Component:
    return no_access("identity.staff.not_allowed", ShellState.logged_in)


def _staff_row(row: StaffRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row.name),
        rx.el.td(row.role_label),
        rx.el.td(row.granted),
        rx.el.td(
            rx.el.button(
                t("identity.roles.revoke"),
                rx.el.span(" ", row.name, " · ", row.role_label, class_name="visually-hidden"),
                type="button",
                class_name="secondary",
                on_click=RolesState.revoke(row.person_id, row.role),
            )
        ),
    )


def _history_item(row: AuditRow) -> rx.Component:
    return rx.el.li(rx.el.span(row.at, class_name="muted"), " — ", row.text)


def _roles_content() -> rx.Component:
    return rx.el.div(
        *_outcome_alerts(RolesState),
        _section("identity.roles.grant_title", "grant-heading",
            rx.el.form(
                rx.el.div(
                    rx.el.label(t("identity.roles.taxid"), html_for="grant-taxid"),
                    rx.el.input(id="grant-taxid", name="taxid", input_mode="numeric", max_length=9,
                                auto_complete="off", aria_describedby="grant-taxid-hint"),
                    rx.el.p(t("identity.roles.taxid_hint"), id="grant-taxid-hint", class_name="hint"),
                    class_name="field",
                ),
                rx.el.div(
                    rx.el.label(t("identity.roles.role"), html_for="grant-role"),
                    rx.el.select(
                        rx.el.option(t("identity.role.moderator"), value="moderator"),
                        rx.el.option(t("identity.role.department_officer"), value="department_officer"),
                        rx.el.option(t("identity.role.administrator"), value="administrator"),
                        id="grant-role", name="role", default_value="moderator",
                    ),
                    class_name="field",
                ),
                rx.el.div(
                    rx.el.label(t("identity.roles.department"), html_for="grant-department"),
                    rx.el.select(
                        rx.el.option(t("identity.roles.department_none"), value=""),
                        rx.foreach(RolesState.departments, lambda d: rx.el.option(d[1], value=d[0])),
                        id="grant-department", name="department", default_value="",
                        aria_describedby="grant-department-hint",
                        aria_invalid=rx.cond(RolesState.department_error != "", "true", "false"),
                    ),
                    rx.el.p(t("identity.roles.department_hint"), id="grant-department-hint", class_name="hint"),
                    field_error("grant-department", RolesState.department_error),
                    class_name="field",
                ),
                rx.el.button(t("identity.roles.grant"), type="submit", class_name="primary"),
                on_submit=RolesState.grant,
                reset_on_submit=True,
                class_name="form",
            ),
        ),
        rx.el.section(
            rx.el.h2(t("identity.roles.current_title"), id="current-heading"),
            _table(RolesState.staff, _staff_row, "staff-table", "current-heading",
                   ("identity.roles.col_name", "identity.roles.col_role", "identity.roles.col_since",
                    "identity.roles.col_action")),
        ),
        _section("identity.roles.history_title", "history-heading",
            rx.cond(
                RolesState.history.length() > 0,
                rx.el.ul(rx.foreach(RolesState.history, _history_item), class_name="history-list"),
                rx.el.p(t("identity.roles.history_empty"), class_name="muted"),
            ),
            class_name="",
        ),
    )


@PAGES.add("/staff/roles", "identity.roles.title", on_load=RolesState.load)
def roles_page() -> rx.Component:
    return gated_page("identity.roles.title", RolesState.loaded, RolesState.allowed, _roles_content(), _not_allowed())


# --- /staff/rolls -----------------------------------------------------------------------------------

def _roll_row(row: RollRow) -> rx.Component:
    return rx.el.tr(rx.el.td(row.name), rx.el.td(row.count), rx.el.td(row.created))


def _problem_item(row: ProblemRow) -> rx.Component:
    return rx.el.li(row.text, data_line=row.line)


def _rolls_content() -> rx.Component:
    return rx.el.div(
        _alert(RollsState.message, "success"),
        rx.cond(
            RollsState.error != "",
            rx.el.div(
                rx.el.p(RollsState.error),
                rx.cond(RollsState.problems.length() > 0,
                        rx.el.ul(rx.foreach(RollsState.problems, _problem_item), class_name="problem-list")),
                role="alert",
                class_name="alert error",
                id="roll-report",
            ),
        ),
        _section("identity.rolls.upload_title", "upload-heading",
            rx.el.p(t("identity.rolls.format_help")),
            # The fields belong to the form through form="roll-form"; the file picker does not,
            # so only the text it fills in is submitted (no upload round trip).
            rx.el.div(
                rx.el.div(
                    rx.el.label(t("identity.rolls.name"), html_for="roll-name"),
                    rx.el.input(id="roll-name", name="name", max_length=120, auto_complete="off", form="roll-form"),
                    class_name="field",
                ),
                rx.el.div(
                    rx.el.label(t("identity.rolls.file"), html_for="roll-file"),
                    rx.el.input(id="roll-file", type="file", accept=".csv,.txt,text/csv,text/plain",
                                aria_describedby="roll-file-hint"),
                    rx.el.p(t("identity.rolls.file_hint"), id="roll-file-hint", class_name="hint"),
                    class_name="field",
                ),
                rx.el.div(
                    rx.el.label(t("identity.rolls.csv"), html_for="roll-csv"),
                    rx.el.textarea(id="roll-csv", name="csv", rows=8, spell_check=False, class_name="mono",
                                   form="roll-form"),
                    class_name="field",
                ),
                rx.el.form(
                    rx.el.button(t("identity.rolls.import"), type="submit", class_name="primary"),
                    on_submit=RollsState.import_roll,
                    id="roll-form",
                ),
                class_name="form",
            ),
            rx.script(src=_FILE_TO_TEXTAREA),
        ),
        rx.el.section(
            rx.el.h2(t("identity.rolls.list_title"), id="list-heading"),
            rx.cond(
                RollsState.rolls.length() > 0,
                _table(RollsState.rolls, _roll_row, "rolls-table", "list-heading",
                       ("identity.rolls.col_name", "identity.rolls.col_count", "identity.rolls.col_created")),
                rx.el.p(t("identity.rolls.empty"), class_name="muted"),
            ),
        ),
    )


@PAGES.add("/staff/rolls", "identity.rolls.title", on_load=RollsState.load)
def rolls_page() -> rx.Component:
    return gated_page("identity.rolls.title", RollsState.loaded, RollsState.allowed, _rolls_content(), _not_allowed())



add_pages = PAGES.add_pages

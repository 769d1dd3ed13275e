"""Small page pieces every capability uses: form fields, choices, alerts, lists.

One shape for each, so a form field or an empty list looks and reads the same on
every page (and keyboard and screen-reader behaviour is fixed in one place).
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from .i18n import t


def loading() -> rx.Component:
    return rx.el.p(t("home.loading"), class_name="muted", aria_live="polite")


def when_loaded(loaded: rx.Var, shown: rx.Var, content: rx.Component, otherwise: rx.Component,
                waiting: rx.Component | None = None) -> rx.Component:
    """"Loading" (or ``waiting``) until the page's data came; then ``content`` when ``shown``
    (found, allowed, published…), else ``otherwise`` (not found, no access, a login prompt)."""
    return rx.cond(loaded, rx.cond(shown, content, otherwise), waiting if waiting is not None else loading())


def field(label_key: str, control: rx.Component, field_id: str, hint_key: str | None = None) -> rx.Component:
    """A labelled control; the hint (if any) has the id ``<field_id>-hint`` for aria-describedby."""
    return rx.el.div(
        rx.el.label(t(label_key), html_for=field_id),
        control,
        rx.el.p(t(hint_key), class_name="hint", id=f"{field_id}-hint") if hint_key else rx.fragment(),
        class_name="field",
    )


def options(prefix: str, values, *, empty_key: str = "") -> list[rx.Component]:
    """``<option>``s labelled from the catalogue (``prefix.<value>``), an empty first one if asked."""
    opts = [rx.el.option(t(empty_key), value="")] if empty_key else []
    return opts + [rx.el.option(t(f"{prefix}.{v}"), value=v) for v in values]


def alerts(state) -> rx.Component:
    """The state's ``error`` (role=alert) and ``notice`` (role=status), when set."""
    return rx.fragment(
        rx.cond(state.error != "", rx.el.div(state.error, role="alert", class_name="alert error")),
        rx.cond(state.notice != "", rx.el.div(state.notice, role="status", class_name="alert success")),
    )


def card_list(loaded: rx.Var, items: rx.Var, render: Callable[[rx.Var], rx.Component], empty_key: str,
              **props) -> rx.Component:
    """A list of cards, a translated empty state, or "loading" until the page's data came."""
    return rx.cond(
        loaded,
        rx.cond(
            items.length() > 0,
            rx.el.ul(rx.foreach(items, render), class_name="card-list", **props),
            rx.el.p(t(empty_key), class_name="empty-state"),
        ),
        loading(),
    )


def field_error(field_id: str, message: rx.Var) -> rx.Component:
    """A field's own error, next to it and announced (id ``<field_id>-error``; point the
    control's ``aria-describedby`` at it). Empty: nothing is shown."""
    return rx.cond(message != "", rx.el.p(message, id=f"{field_id}-error", class_name="field-error", role="alert"))


def no_access(message_key: str, logged_in: rx.Var) -> rx.Component:
    """A page this person may not use: says so in their language; a login link only to a
    visitor (a logged-in person needs a role, not a login)."""
    return rx.el.div(
        rx.el.p(t(message_key)),
        rx.cond(logged_in, rx.el.p(t("staff.ask_administrator"), class_name="muted"),
                rx.el.a(t("staff.log_in"), href="/auth/login", class_name="button")),
        class_name="card no-access",
    )


# --- confirmation -------------------------------------------------------------------------------

def open_dialog(dialog_id: str) -> rx.event.EventSpec:
    """Show a :func:`confirm_dialog` as a modal (a handler returns this once it has filled
    in what the dialog says)."""
    return rx.call_script(f"(d => d && !d.open && d.showModal())(document.getElementById({dialog_id!r}))")


def close_dialog(dialog_id: str) -> rx.event.EventSpec:
    return rx.call_script(f"(d => d && d.open && d.close())(document.getElementById({dialog_id!r}))")


CONFIRM_DIALOG = "confirm-step"


def confirm_dialog(state, dialog_id: str = CONFIRM_DIALOG) -> rx.Component:
    """The one confirmation of an irreversible or public step (``state`` mixes in
    :class:`~syros_app.ui.state_helpers.Confirming`).

    A native modal ``<dialog>`` (opened by the state's ``_ask``): the rest of the page is
    inert, so focus stays inside; Escape and "Cancel" close it and nothing happens; on
    closing, the browser returns focus to the control that asked. It says exactly what
    will happen and to whom; a step that needs a reason asks for it here, with its error
    beside the field. Focus starts on the reason when one is needed, else on "Cancel",
    the safe choice (the browser's dialog focusing steps: the first control). The form carries the
    step and its target, so "confirm" is one self-contained request the action checks.
    """
    reason_id = f"{dialog_id}-reason"
    return rx.el.dialog(
        rx.el.form(
            rx.el.h2(state.confirm_title, id=f"{dialog_id}-title"),
            rx.el.div(
                rx.el.p(state.confirm_what),
                rx.el.p(rx.el.strong(t("confirm.who")), " ", state.confirm_who),
                rx.el.p(t("confirm.cannot_undo"), class_name="muted"),
                id=f"{dialog_id}-body",
            ),
            rx.el.input(type="hidden", name="step", value=state.confirm_step),
            rx.el.input(type="hidden", name="target", value=state.confirm_target),
            rx.el.input(type="hidden", name="payload", value=state.confirm_payload),
            rx.cond(state.confirm_reason, rx.el.div(
                rx.el.label(t("confirm.reason"), html_for=reason_id),
                rx.el.textarea(id=reason_id, name="reason", rows=3, max_length=500,
                               aria_describedby=f"{reason_id}-hint {reason_id}-error",
                               aria_invalid=rx.cond(state.reason_error != "", "true", "false")),
                rx.el.p(t("confirm.reason_hint"), id=f"{reason_id}-hint", class_name="hint"),
                field_error(reason_id, state.reason_error),
                class_name="field",
            )),
            rx.el.div(
                rx.el.button(t("confirm.cancel"), type="button", class_name="button secondary",
                             on_click=close_dialog(dialog_id)),
                rx.el.button(state.confirm_label, type="submit", class_name="button primary"),
                class_name="button-row",
            ),
            on_submit=state.confirm,
            reset_on_submit=False,
            key=state.confirm_step + state.confirm_target.to_string(),
            class_name="form",
        ),
        id=dialog_id,
        aria_labelledby=f"{dialog_id}-title",
        aria_describedby=f"{dialog_id}-body",
        class_name="confirm-dialog",
    )

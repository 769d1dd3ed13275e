"""The catalogue editor, ``/staff/applications/catalogue``: a service's values, its form
edited as a new version and published when ready, and its pickup days. Phone first:
one column of forms; every control labelled, its error beside it."""

from __future__ import annotations

import reflex as rx

from syros_app.core.registry import departments
from syros_app.reports.pages import alert, data_table
from syros_app.reports.rules import MUNICIPAL_UNITS
from syros_app.ui.components import confirm_dialog, field_error, no_access
from syros_app.ui.i18n import t
from syros_app.ui.layout import ShellState, link, page_shell, page_title

from . import rules
from .catalogue_rules import ATTACHMENT_TYPES
from .catalogue_state import ApplicationsCatalogueState as S
from .catalogue_views import FieldRow, SlotRow

NS = "applications_catalogue"
ROUTE = "/staff/applications/catalogue"
WEEKDAYS = range(7)


def _k(key: str) -> str:
    return f"{NS}.{key}"


def _target(value=None) -> rx.Component:
    """The service a form acts on: the form is the whole request."""
    return rx.el.input(type="hidden", name="service_id", value=S.selected_id if value is None else value)


def _input(prefix: str, name: str, value, *, kind: str = "text", rows: int = 0, hint: bool = False,
           **props) -> rx.Component:
    """A labelled input (or text area when ``rows``) named ``name``, its hint and error beside it."""
    id_ = f"{prefix}-{name}"
    error = S.field_errors.get(id_, "")
    described = f"{id_}-hint {id_}-error" if hint else f"{id_}-error"
    common = dict(id=id_, name=name, default_value=value, aria_describedby=described,
                  aria_invalid=rx.cond(error != "", "true", "false"), **props)
    control = rx.el.textarea(rows=rows, **common) if rows else rx.el.input(type=kind, **common)
    return rx.el.div(rx.el.label(t(_k(f"{prefix}.{name}")), html_for=id_), control,
                     rx.el.p(t(_k(f"{prefix}.{name}_hint")), id=f"{id_}-hint", class_name="hint") if hint
                     else rx.fragment(),
                     field_error(id_, error), class_name="field")


def _check(prefix: str, name: str, checked, label) -> rx.Component:
    id_ = f"{prefix}-{name}"
    return rx.el.div(rx.el.input(type="checkbox", id=id_, name=name, default_checked=checked),
                     rx.el.label(label, html_for=id_), class_name="check")


def _select(prefix: str, name: str, options: list[tuple[str, object]], value, **props) -> rx.Component:
    id_ = f"{prefix}-{name}"
    error = S.field_errors.get(id_, "")
    return rx.el.div(
        rx.el.label(t(_k(f"{prefix}.{name}")), html_for=id_),
        rx.el.select(*[rx.el.option(text, value=v) for v, text in options], id=id_, name=name, default_value=value,
                     aria_describedby=f"{id_}-error", aria_invalid=rx.cond(error != "", "true", "false"), **props),
        field_error(id_, error), class_name="field")


# --- the service -------------------------------------------------------------------------------

def service_section() -> rx.Component:
    v = S.service
    texts = [_input("svc", "title_el", v.title_el, max_length=160, required=True),
             _input("svc", "title_en", v.title_en, max_length=160, required=True)]
    for name in ("purpose", "eligibility", "documents"):
        texts += [_input("svc", f"{name}_el", getattr(v, f"{name}_el"), rows=3),
                  _input("svc", f"{name}_en", getattr(v, f"{name}_en"), rows=3)]
    return rx.el.section(
        rx.el.h2(rx.cond(S.creating, t(_k("new_service")), t(_k("service"))), id="svc-heading"),
        rx.el.form(
            _target(rx.cond(S.creating, 0, S.selected_id)),
            rx.cond(S.creating, _input("svc", "slug", "", hint=True, max_length=60, required=True),
                    rx.el.p(t(_k("svc.slug")), ": ", rx.el.code(v.slug), " · ",
                            link(t(_k("svc.public_page")), href="/applications/" + v.slug))),
            *texts,
            _select("svc", "department", [(d, t(key)) for d, key in departments()], v.department),
            _input("svc", "target_days", v.target_days, input_mode="numeric", hint=True),
            _input("svc", "paper_pages", v.paper_pages, input_mode="numeric", hint=True),
            _input("svc", "fee_el", v.fee_el, hint=True), _input("svc", "fee_en", v.fee_en),
            _input("svc", "govgr_url", v.govgr_url, kind="url", hint=True),
            _check("svc", "active", v.active, t(_k("svc.active"))),
            _check("svc", "uses_pickup_slots", v.uses_pickup_slots, t(_k("svc.uses_pickup_slots"))),
            rx.el.button(t(_k("svc.save")), type="submit", class_name="primary"),
            on_submit=S.save_service, reset_on_submit=False, key="svc-" + S.form_key.to_string(), class_name="form",
        ),
        aria_labelledby="svc-heading", class_name="card",
    )


# --- its form ----------------------------------------------------------------------------------

def field_item(f: FieldRow) -> rx.Component:
    named = lambda key: t(_k(key)) + " " + f.label  # noqa: E731 - the button says which field
    return rx.el.li(
        rx.el.p(rx.el.strong(f.label), " ", rx.el.code(f.key), " · ", f.type_label,
                rx.cond(f.required, rx.fragment(" · ", t(_k("required"))))),
        rx.el.div(
            rx.el.button(t(_k("edit")), type="button", class_name="secondary small", aria_label=named("edit"),
                         on_click=S.edit_field(f.key)),
            rx.el.button(t(_k("up")), type="button", class_name="secondary small", aria_label=named("up"),
                         on_click=S.move_field(S.selected_id, f.key, -1)),
            rx.el.button(t(_k("down")), type="button", class_name="secondary small", aria_label=named("down"),
                         on_click=S.move_field(S.selected_id, f.key, 1)),
            rx.el.button(t(_k("remove")), type="button", class_name="secondary small", aria_label=named("remove"),
                         on_click=S.remove_field(S.selected_id, f.key)),
            class_name="button-row"),
        class_name="form-field-item",
    )


def field_editor() -> rx.Component:
    e = S.editor
    types = [(k, t(_k(f"type.{k}"))) for k in rules.FIELD_TYPES]
    prefills = [("", t(_k("prefill.none")))] + [(p, t(_k(f"prefill.{p}"))) for p in rules.PREFILL_SOURCES]
    return rx.el.form(
        rx.el.h3(rx.cond(S.editor_key != "", t(_k("edit_field")), t(_k("add_field"))), id="fld-heading"),
        _target(), rx.el.input(type="hidden", name="replace_key", value=S.editor_key),
        _input("fld", "key", e.key, hint=True, max_length=40, required=True, auto_complete="off"),
        _select("fld", "type", types, e.type, on_change=S.choose_type),
        _input("fld", "label_el", e.label_el, max_length=160, required=True),
        _input("fld", "label_en", e.label_en, max_length=160, required=True),
        _input("fld", "help_el", e.help_el, rows=2), _input("fld", "help_en", e.help_en, rows=2),
        _check("fld", "required", e.required, t(_k("fld.required"))),
        _select("fld", "prefill", prefills, e.prefill),
        rx.cond(S.editor_type == "choice", _input("fld", "choices", e.choices, rows=4, hint=True)),
        rx.cond(S.editor_type == "attachment", rx.fragment(
            _input("fld", "max_mb", e.max_mb, input_mode="decimal", hint=True),
            rx.el.fieldset(rx.el.legend(t(_k("fld.types"))),
                           *[_check("fld", f"type-{kind}", e.types.contains(kind), t(_k(f"mime.{kind.split('/')[1]}")))
                             for kind in ATTACHMENT_TYPES],
                           field_error("fld-types", S.field_errors.get("fld-types", "")),
                           class_name="fieldset"))),
        rx.el.div(
            rx.el.button(t(_k("save_field")), type="submit", class_name="primary"),
            rx.cond(S.editor_key != "", rx.el.button(t(_k("cancel_edit")), type="button", class_name="secondary",
                                                     on_click=S.new_field)),
            class_name="button-row"),
        on_submit=S.save_field, reset_on_submit=False, key="fld-" + S.form_key.to_string(), class_name="form",
        aria_labelledby="fld-heading",
    )


def form_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t(_k("form")), id="form-heading"),
        rx.el.p(S.version_text, class_name="muted", id="form-version"),
        rx.el.p(t(_k("form_hint")), class_name="hint"),
        field_error("form-publish", S.field_errors.get("form-publish", "")),
        rx.cond(S.fields.length() > 0, rx.el.ol(rx.foreach(S.fields, field_item), class_name="field-list"),
                rx.el.p(t(_k("no_fields")), class_name="muted")),
        rx.cond(S.editing, rx.el.div(
            rx.el.button(t(_k("publish")), type="button", class_name="primary", on_click=S.publish(S.selected_id)),
            rx.el.button(t(_k("discard")), type="button", class_name="secondary", on_click=S.discard(S.selected_id)),
            class_name="button-row")),
        field_editor(),
        aria_labelledby="form-heading", class_name="card",
    )


# --- pickup days -------------------------------------------------------------------------------

def slot_row(slot: SlotRow) -> rx.Component:
    id_ = "cap-" + slot.id.to_string()
    return rx.el.tr(
        rx.el.th(slot.day, scope="row"), rx.el.td(slot.area),
        rx.el.td(slot.booked, " / ", slot.capacity, rx.cond(slot.closed, rx.fragment(" · ", t(_k("slot.full"))))),
        rx.el.td(rx.el.form(
            _target(), rx.el.input(type="hidden", name="slot_id", value=slot.id),
            rx.el.label(t(_k("slot.capacity")), " ", slot.day, " ", slot.area, html_for=id_, class_name="visually-hidden"),
            rx.el.input(id=id_, name="capacity", input_mode="numeric", default_value=slot.capacity.to_string(),
                        size=4, key=id_ + "-" + S.form_key.to_string()),
            rx.el.button(t(_k("slot.save")), type="submit", class_name="secondary small"),
            on_submit=S.set_capacity, reset_on_submit=False, class_name="inline-form")),
        rx.el.td(rx.el.button(t(_k("slot.close")), type="button", class_name="secondary small",
                              aria_label=t(_k("slot.close")) + " " + slot.day + " " + slot.area,
                              disabled=slot.closed, on_click=S.close_day(S.selected_id, slot.id))),
    )


def slots_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t(_k("slots")), id="slots-heading"),
        rx.el.p(t(_k("slots_hint")), class_name="hint"),
        field_error("slot-capacity", S.field_errors.get("slot-capacity", "")),
        rx.el.form(
            rx.el.h3(t(_k("slot.add")), id="slot-add-heading"), _target(),
            _select("slot", "area", [(u, u) for u in MUNICIPAL_UNITS], MUNICIPAL_UNITS[0]),
            _input("slot", "first_day", "", kind="date", required=True),
            _input("slot", "last_day", "", kind="date"),
            rx.el.fieldset(rx.el.legend(t(_k("slot.weekdays"))),
                           *[_check("slot", f"wd-{d}", False, t(_k(f"weekday.{d}"))) for d in WEEKDAYS],
                           field_error("slot-weekdays", S.field_errors.get("slot-weekdays", "")), class_name="fieldset"),
            _input("slot", "capacity", "12", input_mode="numeric", required=True),
            rx.el.button(t(_k("slot.add_button")), type="submit", class_name="primary"),
            on_submit=S.add_days, reset_on_submit=False, key="slot-" + S.form_key.to_string(), class_name="form",
            aria_labelledby="slot-add-heading",
        ),
        rx.cond(S.slots.length() > 0,
                data_table(t(_k("slot.caption")), [t(_k(f"slot.col.{c}")) for c in (
                    "day", "area", "booked", "capacity", "close")], S.slots, slot_row),
                rx.el.p(t(_k("slot.none")), class_name="muted")),
        aria_labelledby="slots-heading", class_name="card",
    )


def catalogue_editor_page() -> rx.Component:
    chooser = rx.el.div(
        rx.el.div(rx.el.label(t(_k("choose")), html_for="cat-service"),
                  rx.el.select(rx.el.option(t(_k("choose_none")), value=""),
                               rx.foreach(S.services, lambda c: rx.el.option(c.label, value=c.value)),
                               id="cat-service", value=rx.cond(S.selected_id > 0, S.selected_id.to_string(), ""),
                               on_change=S.choose_service),
                  class_name="field"),
        rx.el.button(t(_k("new_service")), type="button", class_name="secondary", on_click=S.new_service),
        class_name="form",
    )
    editor = rx.fragment(
        rx.el.p(t(_k("intro")), class_name="hint"),
        rx.el.p(link(t("applications_desk.title"), href="/staff/applications")),
        alert(S.message, "success"), alert(S.error),
        chooser,
        rx.cond(S.creating | (S.selected_id > 0), service_section()),
        rx.cond((S.selected_id > 0) & ~S.creating & (S.service.govgr_url == ""), form_section()),
        rx.cond((S.selected_id > 0) & ~S.creating & S.service.uses_pickup_slots, slots_section()),
    )
    return page_shell(
        page_title(_k("title")),
        rx.cond(S.loaded, rx.cond(S.allowed, rx.fragment(editor, confirm_dialog(S)),
                                  no_access(_k("only_staff"), ShellState.logged_in)),
                rx.el.p(t(_k("loading")), class_name="muted")),
    )

"""The staff desk page, ``/staff/applications``: the department's queue with its SLA
clock, and one application's file with the desk's steps. Phone first: the file follows
the queue, and opening one scrolls to it and focuses its heading."""

from __future__ import annotations

import reflex as rx

from syros_app.reports.pages import alert, data_table, note_item, select
from syros_app.ui.components import confirm_dialog, field_error, no_access
from syros_app.ui.i18n import t
from syros_app.ui.layout import ShellState, link, page_shell, page_title

from .desk_queries import STATUSES
from .desk_state import ApplicationsDeskState as S
from .desk_views import CounterField, CounterFile, DeskDetail, Line, QueueItem, StepView
from .rules import SLOT_KEY

NS = "applications_desk"
ROUTE = "/staff/applications"


def _k(key: str) -> str:
    return f"{NS}.{key}"


def _answered_badge(answered) -> rx.Component:
    """"The applicant answered": her reply to a request for information waits for the desk."""
    return rx.cond(answered, rx.fragment(" ", rx.el.span(t(_k("resident_answered")), class_name="badge answered-badge")))


def queue_row(item: QueueItem) -> rx.Component:
    return rx.el.tr(
        rx.el.th(item.reference, rx.cond(item.counter, rx.el.span(" ", t(_k("counter_badge")), class_name="badge")),
                 scope="row"),
        rx.el.td(item.service),
        rx.el.td(rx.el.span(item.status_label, class_name="badge status-badge", data_status=item.status),
                 _answered_badge(item.resident_answered)),
        rx.el.td(rx.el.span(item.sla, class_name="sla-clock", data_late=item.late.to_string())),
        rx.el.td(item.officer),
        rx.el.td(rx.el.button(t(_k("open")), rx.el.span(" ", item.reference, class_name="visually-hidden"),
                              type="button", class_name="secondary small", id="open-" + item.id.to_string(),
                              on_click=S.select(item.id))),
        data_late=item.late.to_string(),
    )


def _line(line: Line) -> rx.Component:
    return rx.fragment(rx.el.dt(line.label), rx.el.dd(line.value))


def _step(step: StepView) -> rx.Component:
    return rx.el.li(rx.el.p(rx.el.strong(step.label), " ", rx.el.span(step.when, class_name="muted")),
                    rx.cond(step.message != "", rx.el.p(step.message)), class_name="timeline-item")


def _target(d: DeskDetail) -> rx.Component:
    """The application a form acts on: the form is the whole request."""
    return rx.el.input(type="hidden", name="application_id", value=d.id)


def _button_form(d: DeskDetail, key: str, on_submit) -> rx.Component:
    return rx.el.form(_target(d), rx.el.button(t(_k(key)), type="submit", class_name="secondary"),
                      on_submit=on_submit, class_name="form")


def _text_form(d: DeskDetail, id_: str, label_key: str, field: str, button_key: str, on_submit, *, rows: int = 3,
               hint_key: str = "", kind: str = "secondary") -> rx.Component:
    """A form of one text area, its error beside it (``field_errors[field]``)."""
    error = S.field_errors.get(field, "")
    described = f"{id_}-hint {id_}-error" if hint_key else f"{id_}-error"
    return rx.el.form(
        _target(d),
        rx.el.div(rx.el.label(t(_k(label_key)), html_for=id_),
                  rx.el.textarea(id=id_, name=field, rows=rows, aria_describedby=described,
                                 aria_invalid=rx.cond(error != "", "true", "false")),
                  rx.el.p(t(_k(hint_key)), class_name="hint", id=f"{id_}-hint") if hint_key else rx.fragment(),
                  field_error(id_, error), class_name="field"),
        rx.el.button(t(_k(button_key)), type="submit", class_name=kind),
        on_submit=on_submit, reset_on_submit=False, class_name="form",
    )


def _section(id_: str, title_key: str, *children) -> rx.Component:
    return rx.el.section(rx.el.h3(t(_k(title_key)), id=id_), *children, aria_labelledby=id_)


def file_panel(d: DeskDetail) -> rx.Component:
    return rx.el.section(
        rx.el.h2(d.reference, " · ", d.service, id="selected-heading", tab_index=-1),
        rx.el.p(rx.el.span(d.status_label, class_name="badge status-badge", data_status=d.status),
                _answered_badge(d.resident_answered), " ",
                rx.icon("clock", size=18, aria_hidden="true"), " ",
                rx.el.span(d.sla, class_name="sla-clock", data_late=d.late.to_string())),
        rx.el.dl(rx.foreach(d.facts, _line), class_name="facts"),
        rx.el.p(link(t(_k("receipt_pdf")), href=d.receipt_url),
                rx.cond(d.pdf_url != "", rx.fragment(" · ", link(t(_k("answer_pdf")), href=d.pdf_url)))),
        _section("answers-heading", "answers", rx.el.dl(rx.foreach(d.answers, _line), class_name="facts")),
        rx.cond(d.can_protocol, _button_form(d, "protocol", S.protocol)),
        _section("assign-heading", "assign", rx.el.form(
            _target(d),
            rx.el.div(rx.el.label(t(_k("officer")), html_for="ad-officer"),
                      rx.el.select(rx.el.option(t(_k("officer_none")), value=""),
                                   rx.foreach(d.officers, lambda o: rx.el.option(o.name, value=o.id)),
                                   id="ad-officer", name="officer_id", default_value=d.assigned_id,
                                   key="officer-" + d.id.to_string() + d.assigned_id),
                      class_name="field"),
            rx.el.button(t(_k("save_officer")), type="submit", class_name="secondary"),
            on_submit=S.assign, class_name="form")),
        rx.cond(d.can_request, _section("info-heading", "ask_info", _text_form(
            d, "ad-info", "ask_info_label", "message", "ask_info_send", S.request_information, hint_key="ask_info_hint"))),
        _section("notes-heading", "notes", rx.el.p(t(_k("notes_hint")), class_name="hint"),
                 rx.cond(d.notes.length() > 0, rx.el.ul(rx.foreach(d.notes, note_item), class_name="note-list"),
                         rx.el.p(t(_k("no_notes")), class_name="muted")),
                 _text_form(d, "ad-note", "note_label", "body", "add_note", S.add_note, rows=2)),
        rx.cond(d.can_answer, _section("answer-heading", "answer", _text_form(
            d, "ad-decision", "decision_label", "decision", "answer_send", S.ask_answer, rows=5,
            hint_key="decision_hint", kind="primary"))),
        rx.cond(d.can_close, _button_form(d, "close", S.ask_close)),
        _section("timeline-heading", "timeline", rx.el.ol(rx.foreach(d.timeline, _step), class_name="timeline")),
        rx.el.button(t(_k("back")), type="button", class_name="secondary", on_click=S.close_detail),
        aria_labelledby="selected-heading", class_name="card staff-panel",
    )


def _counter_input(f: CounterField) -> rx.Component:
    id_ = "counter-f-" + f.key
    error = S.field_errors.get(id_, "")
    common = dict(id=id_, name="field-" + f.key, required=f.required, aria_describedby=id_ + "-hint " + id_ + "-error",
                  aria_invalid=rx.cond(error != "", "true", "false"))
    control = rx.match(
        f.kind,
        ("textarea", rx.el.textarea(rows=3, **common)),
        ("choice", rx.el.select(rx.el.option(t(_k("counter.choose")), value=""),
                                rx.foreach(f.choices, lambda c: rx.el.option(c.label, value=c.value)),
                                on_change=lambda v: S.counter_choice(f.key, v), **common)),
        ("date", rx.el.input(type="date", **common)),
        ("number", rx.el.input(type="text", input_mode="decimal", **common)),
        rx.el.input(type="text", **common),
    )
    return rx.el.div(rx.el.label(f.label, rx.cond(f.required, " *", ""), html_for=id_), control,
                     rx.el.p(f.help, class_name="hint", id=id_ + "-hint"), field_error(id_, error), class_name="field")


COUNTER_UPLOAD = "counter_files"


def _counter_slot() -> rx.Component:
    """The pickup day, among those of the area chosen above with places left (as online)."""
    error = S.field_errors.get("counter-f-" + SLOT_KEY, "")
    id_ = "counter-f-" + SLOT_KEY
    return rx.el.div(
        rx.el.label(t("applications.pickup_day"), " *", html_for=id_),
        rx.el.select(rx.el.option(t(_k("counter.choose_day")), value=""),
                     rx.foreach(S.counter_slots, lambda c: rx.el.option(c.label, value=c.value)),
                     id=id_, name=SLOT_KEY, required=True, aria_describedby=f"{id_}-hint {id_}-error",
                     aria_invalid=rx.cond(error != "", "true", "false")),
        rx.el.p(rx.cond(S.counter_slots.length() > 0, t(_k("counter.day_hint")), t(_k("counter.no_days"))),
                id=f"{id_}-hint", class_name="hint", aria_live="polite"),
        field_error(id_, error), class_name="field")


def _counter_file(file: CounterFile) -> rx.Component:
    return rx.el.li(rx.el.a(file.name, href=file.url), " ", rx.el.span(file.size, class_name="muted"), " ",
                    rx.el.button(t(_k("counter.remove_file")), type="button", class_name="link-button",
                                 aria_label=t(_k("counter.remove_file")) + " " + file.name,
                                 on_click=S.remove_counter_file(S.counter_service_id, file.id)))


def _counter_uploads() -> rx.Component:
    """The documents handed in at the counter, scanned: the same limits as the resident's uploads."""
    return rx.el.fieldset(
        rx.el.legend(t(_k("counter.attachments"))),
        rx.el.div(rx.el.label(t(_k("counter.attachment_for")), html_for="counter-upload-field"),
                  rx.el.select(rx.foreach(S.counter_attachments, lambda c: rx.el.option(c.label, value=c.value)),
                               id="counter-upload-field", name="counter_upload_field", value=S.counter_upload_field,
                               on_change=S.choose_counter_upload_field),
                  class_name="field"),
        rx.el.label(
            rx.upload.root(
                rx.el.span(rx.icon("paperclip", size=20, aria_hidden="true"), t(_k("counter.add_file")),
                           class_name="button secondary upload-label"),
                id=COUNTER_UPLOAD, multiple=True, no_click=True,
                accept={"application/pdf": [".pdf"], "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]},
                on_drop=S.counter_upload(rx.upload_files(upload_id=COUNTER_UPLOAD), S.counter_service_id,
                                         S.counter_upload_field),
                class_name="upload-zone"),
            class_name="upload-wrap"),
        rx.el.ul(rx.foreach(S.counter_files, _counter_file), class_name="file-list", aria_live="polite"),
        class_name="fieldset")


def counter_section() -> rx.Component:
    """Filing for a resident at the counter: her ΑΦΜ, her name if she never logged in, the form."""
    taxid_error = S.field_errors.get("counter-taxid", "")
    name_error = S.field_errors.get("counter-name", "")
    return rx.el.section(
        rx.el.h2(t(_k("counter.title")), id="counter-heading"),
        rx.el.p(t(_k("counter.intro")), class_name="hint"),
        rx.el.form(
            rx.el.div(rx.el.label(t(_k("counter.service")), html_for="counter-service"),
                      rx.el.select(rx.el.option(t(_k("counter.choose")), value=""),
                                   rx.foreach(S.services, lambda c: rx.el.option(c.label, value=c.value)),
                                   id="counter-service", name="service_id", value=S.counter_service_id,
                                   on_change=S.choose_counter_service),
                      class_name="field"),
            rx.el.div(rx.el.label(t(_k("counter.taxid")), html_for="counter-taxid"),
                      rx.el.input(id="counter-taxid", name="taxid", input_mode="numeric", auto_complete="off",
                                  max_length=9, aria_describedby="counter-taxid-error",
                                  aria_invalid=rx.cond(taxid_error != "", "true", "false")),
                      field_error("counter-taxid", taxid_error), class_name="field"),
            rx.el.div(rx.el.label(t(_k("counter.name")), html_for="counter-name"),
                      rx.el.input(id="counter-name", name="name", auto_complete="off",
                                  aria_describedby="counter-name-hint counter-name-error",
                                  aria_invalid=rx.cond(name_error != "", "true", "false")),
                      rx.el.p(t(_k("counter.name_hint")), class_name="hint", id="counter-name-hint"),
                      field_error("counter-name", name_error), class_name="field"),
            rx.foreach(S.counter_fields, _counter_input),
            rx.cond(S.counter_uses_slots, _counter_slot()),
            rx.cond(S.counter_attachments.length() > 0, _counter_uploads()),
            rx.el.button(t(_k("counter.file")), type="submit", class_name="primary"),
            on_submit=S.file_at_counter, key=S.counter_key.to_string(), class_name="form",
        ),
        aria_labelledby="counter-heading",
    )


def filters() -> rx.Component:
    statuses = [("", t(_k("filter.open"))), ("all", t(_k("filter.all")))] + [
        (s, t(f"applications.status.{s}")) for s in STATUSES]
    return rx.el.form(
        select("q-status", _k("filter.status"), statuses, value=S.status,
               on_change=lambda v: S.set_filter("status", v)),
        rx.el.div(rx.el.label(t(_k("filter.service")), html_for="q-service"),
                  rx.el.select(rx.el.option(t(_k("filter.any_service")), value=""),
                               rx.foreach(S.services, lambda c: rx.el.option(c.label, value=c.value)),
                               id="q-service", value=S.service_id, on_change=lambda v: S.set_filter("service_id", v)),
                  class_name="field"),
        select("q-assigned", _k("filter.assigned"), [("", t(_k("filter.anyone"))), ("me", t(_k("filter.me"))),
                                                     ("none", t(_k("filter.nobody")))],
               value=S.assigned, on_change=lambda v: S.set_filter("assigned", v)),
        rx.el.div(rx.el.input(type="checkbox", id="q-overdue", checked=S.overdue_only,
                              on_change=lambda v: S.set_filter("overdue_only", v)),
                  rx.el.label(t(_k("filter.overdue")), html_for="q-overdue"), class_name="check"),
        class_name="form filters", aria_label=t(_k("filter.label")),
    )


def desk_page() -> rx.Component:
    desk = rx.fragment(
        alert(S.message, "success"),
        alert(S.error),
        rx.el.p(S.summary, class_name="muted"),
        filters(),
        confirm_dialog(S),
        rx.el.div(
            rx.el.section(
                rx.el.h2(t(_k("queue")), id="queue-heading"),
                rx.cond(S.queue.length() > 0,
                        data_table(t(_k("queue_caption")), [t(_k(f"col.{c}")) for c in (
                            "reference", "service", "status", "sla", "officer", "action")],
                            S.queue, queue_row, class_name="figures-table queue"),
                        rx.el.p(t(_k("empty")), class_name="muted")),
                rx.el.div(
                    rx.cond(S.page > 0, rx.el.button(t(_k("previous")), type="button", class_name="secondary",
                                                     on_click=S.turn_page(-1))),
                    rx.cond(S.has_next, rx.el.button(t(_k("next")), type="button", class_name="secondary",
                                                     on_click=S.turn_page(1))),
                    class_name="button-row"),
                aria_labelledby="queue-heading", class_name="desk-list",
            ),
            rx.foreach(S.selected, file_panel),
            class_name="desk-grid",
        ),
        counter_section(),
    )
    return page_shell(
        page_title(_k("title")),
        rx.cond(S.loaded, rx.cond(S.allowed, desk, no_access(_k("desk_only"), ShellState.logged_in)),
                rx.el.p(t(_k("loading")), class_name="muted")),
    )


# --- the applications' section of /measurement ----------------------------------------------------

def _figure_row(f) -> rx.Component:
    return rx.el.tr(rx.el.th(f.service, scope="row"), *[rx.el.td(v) for v in (
        f.submitted, f.online_share, f.completion, f.decision, f.satisfaction, f.paper)])


def measurement_section() -> rx.Component:
    from .desk_state import ApplicationsFiguresState as F

    return rx.el.section(
        rx.el.h2(t(_k("fig.title")), id="applications-figures-heading"),
        rx.el.p(t(_k("fig.intro")), class_name="hint"),
        rx.cond(F.figures_loaded,
                data_table(t(_k("fig.caption")), [t(_k(f"fig.col.{c}")) for c in (
                    "service", "submitted", "online", "completion", "decision", "satisfaction", "paper")],
                    F.figures, _figure_row),
                rx.el.p(t(_k("loading")), class_name="muted")),
        rx.el.p(rx.el.strong(t(_k("fig.paper_formula_label"))), " ", t(_k("fig.paper_formula")), " = ",
                F.paper_total, " ", t(_k("fig.pages_word")), class_name="formula"),
        rx.el.p(link(t(_k("fig.json")), href="/api/v1/service-levels"), class_name="muted"),
        aria_labelledby="applications-figures-heading", on_mount=F.load,
    )

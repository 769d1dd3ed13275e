"""Pages of e-applications for residents: the catalogue (``/applications``), a service
with its filing form, review and receipt (``/applications/<slug>``), "my applications"
(``/applications/mine``) and one application with its timeline
(``/applications/mine/<id>``). The staff desk's page is in ``desk_pages``."""

from __future__ import annotations

import reflex as rx

from syros_app.ui.components import alerts, card_list, field_error, loading
from syros_app.ui.i18n import by_language as bi, t
from syros_app.ui.layout import PageTable, link, page_shell, page_title

from syros_app.reports.map import syros_map
from syros_app.reports.pages import map_texts
from syros_app.reports.rules import SYROS_CENTRE_VIEW

from . import catalogue_pages, desk_pages, rules
from .state import ApplicationPageState, CatalogueState, FilingState, MyApplicationsState
from .views import ChoiceView, FieldView, FileView, MyItem, ReviewRow, ServiceCard, StepView

UPLOAD_ID = "application_files"
NS = "applications"
F = FilingState


def _match(prefix: str, value, options) -> rx.Component:
    return rx.match(value, *[(o, t(f"{NS}.{prefix}.{o}")) for o in options], value)


def status_badge(value) -> rx.Component:
    return rx.el.span(_match("status", value, rules.STATUSES), class_name="badge status-badge", data_status=value)


def heading(text, element_id: str, level=rx.el.h2) -> rx.Component:
    """A heading focus can move to (after a step of the form), visibly outlined then."""
    return level(text, id=element_id, tab_index=-1)


def facts(*rows: tuple[str, rx.Component]) -> rx.Component:
    return rx.el.dl(*[rx.fragment(rx.el.dt(t(f"{NS}.{key}")), rx.el.dd(value)) for key, value in rows],
                    class_name="facts")


# --- catalogue ----------------------------------------------------------------------------------

def service_card(item: ServiceCard) -> rx.Component:
    title = bi(item.title, item.title_en)
    return rx.el.li(
        rx.el.h2(rx.cond(
            item.external,
            rx.el.a(title, " ", rx.el.span(t(f"{NS}.catalogue.on_govgr"), class_name="badge"), href=item.url,
                    rel="noopener", target="_blank"),
            link(title, href=item.url)), class_name="card-title"),
        rx.el.p(bi(item.purpose, item.purpose_en)),
        rx.el.p(bi(item.department, item.department_en), class_name="muted"),
        class_name="card service-card",
    )


def catalogue_page() -> rx.Component:
    s = CatalogueState
    return page_shell(
        page_title(f"{NS}.catalogue.title"),
        rx.el.p(t(f"{NS}.catalogue.intro")),
        rx.el.p(link(t(f"{NS}.mine.title"), href="/applications/mine", class_name="button secondary")),
        rx.el.form(
            rx.el.div(
                rx.el.label(t(f"{NS}.catalogue.search"), html_for="service-search"),
                rx.el.input(id="service-search", type="search", name="q", auto_complete="off",
                            on_change=s.set_query.debounce(300)),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label(t(f"{NS}.catalogue.department"), html_for="service-department"),
                rx.el.select(rx.el.option(t(f"{NS}.catalogue.all_departments"), value=""),
                             rx.foreach(s.departments, lambda c: rx.el.option(bi(c.label, c.label_en), value=c.value)),
                             id="service-department", value=s.department, on_change=s.set_department),
                class_name="field",
            ),
            role="search", class_name="filters", on_submit=rx.prevent_default,
        ),
        card_list(s.loaded, s.items, service_card, f"{NS}.catalogue.empty", aria_live="polite"),
    )


# --- one service, its form ----------------------------------------------------------------------

def _label(f: FieldView) -> rx.Component:
    return rx.el.label(bi(f.label, f.label_en),
                       rx.cond(f.required, rx.el.span(" *", aria_hidden="true", class_name="required")),
                       rx.cond(f.required, rx.el.span(t(f"{NS}.form.required"), class_name="visually-hidden")),
                       html_for="f-" + f.key)


FORM_ID = "application-form"
# Every change sends the whole form (debounced: the last event wins and holds every field).
AUTOSAVE = F.autosave(rx.Var(_js_expr=f"Object.fromEntries(new FormData(document.getElementById('{FORM_ID}')))",
                             _var_type=dict)).debounce(500)


def _control(f: FieldView) -> rx.Component:
    common = dict(id="f-" + f.key, name=f.key, default_value=F.answers[f.key], aria_describedby=f.described_by,
                  aria_invalid=rx.cond(F.field_errors.get(f.key, "") != "", "true", "false"),
                  aria_required=rx.cond(f.required, "true", "false"), on_change=AUTOSAVE)
    return rx.match(
        f.type,
        ("textarea", rx.el.textarea(rows=4, max_length=rules.MAX_TEXTAREA, **common)),
        ("choice", rx.el.select(rx.el.option(t(f"{NS}.form.choose"), value=""),
                                rx.foreach(f.choices, lambda c: rx.el.option(bi(c.label, c.label_en), value=c.value)),
                                **common)),
        ("date", rx.el.input(type="date", **common)),
        ("number", rx.el.input(type="text", input_mode="decimal", **common)),
        rx.el.input(type="text", max_length=rules.MAX_TEXT, auto_complete=f.autocomplete, **common),
    )


def _file_item(file: FileView) -> rx.Component:
    return rx.el.li(rx.el.a(file.name, href=file.url), " ", rx.el.span(file.size, class_name="muted"), " ",
                    rx.el.button(t(f"{NS}.form.remove_file"), type="button", class_name="link-button",
                                 aria_label=t(f"{NS}.form.remove_file") + " " + file.name,
                                 on_click=F.remove_file(file.id)))


def _attachment(f: FieldView) -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.strong(bi(f.label, f.label_en)), rx.cond(f.required, " *", ""), id="f-" + f.key, tab_index=-1),
        rx.el.ul(rx.foreach(F.files, lambda file: rx.cond(file.field == f.key, _file_item(file))),
                 class_name="file-list", aria_live="polite"),
        class_name="field",
    )


def address_map(f: FieldView) -> rx.Component:
    """The reports' Syros map under an address: a tap (or, by keyboard, the map's centre) adds
    the point to the typed address, which stays the accessible way and what is required."""
    hint = "f-" + f.key + "-map-hint"
    picked = F.points.get(f.key, [])
    return rx.el.div(
        rx.el.p(t(f"{NS}.form.map_hint"), id=hint, class_name="hint"),
        syros_map(tile_url=F.tile_url, attribution=F.attribution, center=list(SYROS_CENTRE_VIEW), zoom=12,
                  picked=picked, on_pick=lambda latlng: F.pick_point(f.key, latlng), label=t(f"{NS}.form.map_label"),
                  described_by=hint, text=map_texts(), pick_centre_label=t("reports.form.pick_centre"),
                  class_name="syros-map"),
        rx.el.p(F.map_message, class_name="hint", aria_live="polite"),
        rx.cond(picked.length() == 2, rx.el.p(
            t(f"{NS}.form.point"), " ", picked[0].to_string(), ", ", picked[1].to_string(), " ",
            rx.el.button(t(f"{NS}.form.clear_point"), type="button", class_name="link-button",
                         on_click=F.clear_point(f.key)), id="f-" + f.key + "-point")),
        class_name="address-map",
    )


def form_field(f: FieldView) -> rx.Component:
    return rx.cond(
        f.type == "attachment",
        _attachment(f),
        rx.el.div(
            _label(f), _control(f),
            rx.cond(f.described_by.contains("hint"), rx.el.p(bi(f.help, f.help_en), id="f-" + f.key + "-hint",
                                                             class_name="hint")),
            field_error("f-" + f.key, F.field_errors.get(f.key, "")),
            rx.cond(f.type == "address", address_map(f)),
            class_name="field",
        ),
    )


def pickup_day() -> rx.Component:
    key = rules.SLOT_KEY
    return rx.el.div(
        rx.el.label(t(f"{NS}.pickup_day"), rx.el.span(" *", aria_hidden="true", class_name="required"),
                    rx.el.span(t(f"{NS}.form.required"), class_name="visually-hidden"), html_for="f-" + key),
        rx.el.select(rx.el.option(t(f"{NS}.form.choose_day"), value=""),
                     rx.foreach(F.slot_options, lambda c: rx.el.option(bi(c.label, c.label_en), value=c.value)),
                     # uncontrolled like the other fields: a controlled value would snap back to the
                     # state's until the debounced save arrives, and a quick "review" would read that
                     id="f-" + key, name=key, default_value=F.answers.get(key, ""), on_change=AUTOSAVE,
                     aria_describedby=f"f-{key}-hint f-{key}-error", aria_required="true"),
        rx.el.p(rx.cond(F.slot_options.length() > 0, t(f"{NS}.form.day_hint"), t(f"{NS}.form.no_days")),
                id=f"f-{key}-hint", class_name="hint", aria_live="polite"),
        field_error("f-" + key, F.field_errors.get(key, "")),
        class_name="field",
    )


def uploads() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t(f"{NS}.form.attachments")),
        rx.el.div(
            rx.el.label(t(f"{NS}.form.attachment_for"), html_for="upload-field"),
            rx.el.select(rx.foreach(F.fields, lambda f: rx.cond(f.type == "attachment", rx.el.option(
                bi(f.label, f.label_en), " — ", bi(f.help, f.help_en), value=f.key))),
                id="upload-field", name="upload_field", value=F.upload_field, on_change=F.choose_upload_field),
            class_name="field",
        ),
        rx.el.label(
            rx.upload.root(
                rx.el.span(rx.icon("paperclip", size=20, aria_hidden="true"), t(f"{NS}.form.add_file"),
                           class_name="button secondary upload-label"),
                id=UPLOAD_ID, multiple=True, no_click=True,
                accept={"application/pdf": [".pdf"], "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]},
                on_drop=F.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),
                class_name="upload-zone",
            ),
            class_name="upload-wrap",
        ),
        class_name="fieldset",
    )


def filing_form() -> rx.Component:
    return rx.el.form(
        heading(t(f"{NS}.form.title"), "form-heading"),
        rx.cond(F.has_draft, rx.el.div(
            rx.el.p(t(f"{NS}.form.resumed")),
            rx.el.button(t(f"{NS}.form.discard"), type="button", class_name="secondary", on_click=F.discard),
            class_name="card draft-note")),
        rx.el.p(t(f"{NS}.form.required_note"), class_name="hint"),
        rx.foreach(F.fields, form_field),
        rx.cond(F.service.uses_slots, pickup_day()),
        rx.cond(F.has_attachments, uploads()),
        alerts(F),
        rx.el.button(t(f"{NS}.form.to_review"), type="submit", class_name="primary"),
        rx.el.p(F.saved, role="status", class_name="draft-status", id="draft-status"),
        key=F.form_key.to_string(),
        id=FORM_ID,
        on_submit=F.to_review,
        reset_on_submit=False,
        class_name="form application-form",
    )


def _row(row: ReviewRow) -> rx.Component:
    return rx.fragment(rx.el.dt(bi(row.label, row.label_en)), rx.el.dd(bi(row.value, row.value_en)))


def review_step() -> rx.Component:
    return rx.el.section(
        heading(t(f"{NS}.review.title"), "review-heading"),
        rx.el.p(t(f"{NS}.review.intro")),
        rx.el.dl(rx.foreach(F.review, _row), class_name="facts"),
        alerts(F),
        rx.el.div(
            rx.el.button(t(f"{NS}.review.back"), type="button", class_name="secondary", on_click=F.back_to_form),
            rx.el.button(t(f"{NS}.review.submit"), type="button", class_name="primary", on_click=F.submit),
            class_name="button-row",
        ),
        aria_labelledby="review-heading",
    )


def done_step() -> rx.Component:
    d = F.done
    return rx.el.section(
        heading(t(f"{NS}.done.title"), "done-heading"),
        rx.el.div(t(f"{NS}.done.saved"), role="status", class_name="alert success"),
        rx.el.dl(
            rx.el.dt(t(f"{NS}.done.reference")), rx.el.dd(rx.el.strong(d["reference"]), id="done-reference"),
            rx.cond(d["protocol"] != "", rx.fragment(
                rx.el.dt(t(f"{NS}.done.protocol")), rx.el.dd(bi(d["protocol"], d["protocol_en"]), id="done-protocol")),
                rx.fragment(rx.el.dt(t(f"{NS}.done.protocol")), rx.el.dd(t(f"{NS}.done.protocol_later")))),
            class_name="facts",
        ),
        rx.el.p(rx.el.a(rx.icon("file-down", size=20, aria_hidden="true"), t(f"{NS}.done.receipt"),
                        href=d["receipt_url"], class_name="button", id="receipt-link")),
        rx.el.p(link(t(f"{NS}.done.follow"), href=d["mine_url"])),
        aria_labelledby="done-heading",
    )


def service_details() -> rx.Component:
    v = F.service
    return rx.el.section(
        rx.el.p(bi(v.purpose, v.purpose_en), class_name="lead"),
        rx.el.dl(
            rx.el.dt(t(f"{NS}.service.eligibility")), rx.el.dd(bi(v.eligibility, v.eligibility_en)),
            rx.el.dt(t(f"{NS}.service.documents")),
            rx.el.dd(rx.cond(v.documents.length() > 0,
                             rx.el.ul(rx.foreach(rx.cond(_en(), v.documents_en, v.documents), rx.el.li)),
                             t(f"{NS}.service.no_documents"))),
            rx.el.dt(t(f"{NS}.service.fee")),
            rx.el.dd(rx.cond(v.fee != "", bi(v.fee, v.fee_en), t(f"{NS}.service.free"))),
            rx.el.dt(t(f"{NS}.service.target")), rx.el.dd(bi(v.target, v.target_en)),
            rx.el.dt(t(f"{NS}.service.department")), rx.el.dd(bi(v.department, v.department_en)),
            rx.el.dt(t(f"{NS}.service.registry")), rx.el.dd(bi(v.registry, v.registry_en)),
            class_name="facts",
        ),
        aria_label=t(f"{NS}.service.about"),
    )


def _en():
    from syros_app.ui.i18n import LanguageState

    return LanguageState.lang == "en"


def login_first() -> rx.Component:
    return rx.el.div(
        rx.el.p(t(f"{NS}.form.login_first")),
        rx.el.a(t(f"{NS}.form.login"), href="/auth/login?next=/applications/" + F.service.slug, class_name="button"),
        class_name="card",
    )


def found_page(state, body: rx.Component, missing_key: str, back_key: str, back: str) -> rx.Component:
    """A page of one row: "loading" until its data came, then the row or "not found"."""
    missing = rx.fragment(page_title(missing_key), rx.el.p(link(t(back_key), href=back)))
    return page_shell(rx.cond(state.loaded, rx.cond(state.found, body, missing), loading()))


def service_page() -> rx.Component:
    body = rx.fragment(
        rx.el.h1(bi(F.service.title, F.service.title_en), class_name="page-title", tab_index=-1),
        service_details(),
        rx.cond(F.logged_in, rx.match(F.step, ("review", review_step()), ("done", done_step()), filing_form()),
                login_first()),
    )
    return found_page(F, body, f"{NS}.service.not_found", f"{NS}.catalogue.back", "/applications")


# --- my applications ----------------------------------------------------------------------------

def my_item(item: MyItem) -> rx.Component:
    return rx.el.li(
        status_badge(item.status),
        rx.el.h2(link(item.reference, " · ", bi(item.title, item.title_en), href=item.url), class_name="card-title"),
        rx.el.p(t(f"{NS}.mine.submitted"), " ", bi(item.submitted, item.submitted_en),
                rx.cond(item.protocol != "", rx.fragment(" · ", item.protocol)), class_name="muted"),
        class_name="card",
    )


def login_link(next_path: str) -> rx.Component:
    return rx.el.div(rx.el.p(t(f"{NS}.mine.login_first")),
                     rx.el.a(t(f"{NS}.form.login"), href=f"/auth/login?next={next_path}", class_name="button"),
                     class_name="card")


def mine_page() -> rx.Component:
    s = MyApplicationsState
    return page_shell(
        page_title(f"{NS}.mine.title"),
        rx.cond(s.loaded & ~s.logged_in, login_link("/applications/mine"),
                card_list(s.loaded, s.items, my_item, f"{NS}.mine.empty")),
        rx.el.p(link(t(f"{NS}.catalogue.title"), href="/applications")),
    )


# --- one application ----------------------------------------------------------------------------

def step_item(step: StepView) -> rx.Component:
    return rx.el.li(
        rx.el.strong(_match("step", step.kind, rules.STEPS)), " · ",
        rx.el.time(bi(step.when, step.when_en)),
        rx.cond(step.message != "", rx.el.p(step.message)),
    )


def information_form() -> rx.Component:
    s = ApplicationPageState
    return rx.el.section(
        rx.el.h2(t(f"{NS}.page.info_title"), id="info-heading"),
        rx.el.blockquote(s.view.info_request),
        rx.el.form(
            rx.el.div(
                rx.el.label(t(f"{NS}.page.info_label"), html_for="info-message"),
                rx.el.textarea(id="info-message", name="message", rows=4, max_length=rules.INFO_MAX, required=True,
                               aria_describedby="info-message-hint"),
                rx.el.p(t(f"{NS}.page.info_hint"), id="info-message-hint", class_name="hint"),
                class_name="field",
            ),
            rx.el.button(t(f"{NS}.page.info_send"), type="submit", class_name="primary"),
            on_submit=s.provide_information, reset_on_submit=False, class_name="form",
        ),
        aria_labelledby="info-heading", class_name="card",
    )


def rating_form() -> rx.Component:
    s = ApplicationPageState
    return rx.el.section(
        rx.el.form(
            rx.el.fieldset(
                rx.el.legend(t(f"{NS}.page.rate_title")),
                *[rx.el.div(rx.el.input(type="radio", name="score", value=str(n), id=f"score-{n}", required=True),
                            rx.el.label(t(f"{NS}.page.score_{n}"), html_for=f"score-{n}"), class_name="check")
                  for n in range(rules.RATING_MIN, rules.RATING_MAX + 1)],
                class_name="fieldset",
            ),
            rx.el.div(rx.el.label(t(f"{NS}.page.rate_comment"), html_for="rate-comment"),
                      rx.el.textarea(id="rate-comment", name="comment", rows=3, max_length=1000), class_name="field"),
            rx.el.button(t(f"{NS}.page.rate_send"), type="submit", class_name="primary"),
            on_submit=s.rate, reset_on_submit=False, class_name="form",
        ),
        class_name="card",
    )


def application_view() -> rx.Component:
    s = ApplicationPageState
    v = s.view
    return rx.fragment(
        rx.el.h1(v.reference, class_name="page-title", tab_index=-1),
        rx.el.p(bi(v.title, v.title_en), class_name="lead"),
        alerts(s),
        rx.el.dl(
            rx.el.dt(t(f"{NS}.page.status")), rx.el.dd(status_badge(v.status)),
            rx.el.dt(t(f"{NS}.done.protocol")),
            rx.el.dd(rx.cond(v.protocol_in != "", bi(v.protocol_in, v.protocol_in_en), t(f"{NS}.done.protocol_later"))),
            rx.el.dt(t(f"{NS}.mine.submitted")), rx.el.dd(bi(v.submitted, v.submitted_en)),
            rx.el.dt(t(f"{NS}.page.due")), rx.el.dd(bi(v.due, v.due_en)),
            rx.cond(v.protocol_out != "", rx.fragment(rx.el.dt(t(f"{NS}.page.protocol_out")), rx.el.dd(v.protocol_out))),
            class_name="facts",
        ),
        rx.el.p(
            rx.el.a(t(f"{NS}.done.receipt"), href=v.receipt_url, class_name="button secondary"), " ",
            rx.cond(v.answer_url != "", rx.el.a(rx.icon("file-check", size=20, aria_hidden="true"),
                                                t(f"{NS}.page.answer"), href=v.answer_url, class_name="button",
                                                id="answer-link")),
        ),
        rx.cond(v.can_provide_info, information_form()),
        rx.cond(v.can_rate, rating_form()),
        rx.cond(v.rating > 0, rx.el.p(t(f"{NS}.page.rated_with"), " ", v.rating, "/5", class_name="muted")),
        rx.el.section(rx.el.h2(t(f"{NS}.page.timeline"), id="timeline-heading"),
                      rx.el.ol(rx.foreach(v.steps, step_item), class_name="timeline"),
                      aria_labelledby="timeline-heading"),
        rx.el.section(rx.el.h2(t(f"{NS}.page.answers"), id="answers-heading"),
                      rx.el.dl(rx.foreach(v.answers, _row), class_name="facts"),
                      aria_labelledby="answers-heading"),
    )


def application_page() -> rx.Component:
    return found_page(ApplicationPageState, application_view(), f"{NS}.page.not_found", f"{NS}.mine.title",
                      "/applications/mine")


_PAGES = PageTable.of(
    (catalogue_page, "/applications", f"{NS}.catalogue.title", CatalogueState.load),
    (mine_page, "/applications/mine", f"{NS}.mine.title", MyApplicationsState.load),
    (application_page, "/applications/mine/[application_id]", f"{NS}.mine.title", ApplicationPageState.load),
    (service_page, "/applications/[slug]", f"{NS}.catalogue.title", FilingState.load),
    (desk_pages.desk_page, desk_pages.ROUTE, "applications_desk.title", desk_pages.S.load),
    (catalogue_pages.catalogue_editor_page, catalogue_pages.ROUTE, "applications_catalogue.title",
     catalogue_pages.S.load),
)
add_pages = _PAGES.add_pages

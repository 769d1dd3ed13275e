"""Pages of the tracker: the tree of projects, one project's page (with the staff
forms for those who keep it), and the tracker's section of /measurement."""

from __future__ import annotations

import reflex as rx

from syros_app.core.registry import departments
from syros_app.ui.components import alerts, card_list, field, options
from syros_app.ui.i18n import by_language as bi, t
from syros_app.ui.layout import PageTable, backlink_notes, link, page_shell, page_title

from . import rules
from .links import BACKLINK_KINDS, KINDS
from .ui import detail_shell, figures_section
from .state import ProjectBacklinksState, ProjectDeskState, ProjectFiguresState, ProjectPageState, ProjectsState
from .views import LinkView, MilestoneView, ProjectRow, UpdateView


def status_label(value) -> rx.Component:
    return rx.match(value, *[(s, t(f"projects.status.{s}")) for s in rules.STATUSES], value)


def department_label(value) -> rx.Component:
    return rx.match(value, *[(d, t(key)) for d, key in departments()], value)


def progress_bar(row) -> rx.Component:
    return rx.el.div(
        rx.el.progress(value=row.progress_value, max=100, aria_hidden="true"),
        rx.el.span(t("projects.progress"), ": ", bi(row.progress.el, row.progress.en), " · ",
                   t("projects.weight"), ": ", row.weight),
        class_name="muted",
    )


def stale_badge(row) -> rx.Component:
    return rx.cond(row.stale, rx.el.span(t("projects.stale"), class_name="badge", title=t("projects.stale_hint")))


def tree_item(row: ProjectRow) -> rx.Component:
    return rx.el.li(
        rx.el.h3(link(row.title, href=row.url), class_name="open-item-title", lang="el"),
        rx.cond(row.depth > 0, rx.el.p(t("projects.part_of"), " ", rx.el.span(row.parent_title, lang="el"),
                                       class_name="muted")),
        rx.el.p(rx.el.span(status_label(row.status), class_name="badge"), stale_badge(row), " ",
                department_label(row.department)),
        progress_bar(row),
        class_name="card",
        style={"margin_inline_start": (row.depth * 1.25).to_string() + "rem"},
    )


def _text(name: str, label_key: str, form_id: str, **props) -> rx.Component:
    return field(label_key, rx.el.input(id=f"{form_id}-{name}", name=name, **props), f"{form_id}-{name}")


def project_fields(form_id: str, values=None) -> list[rx.Component]:
    """The fields of a project: empty for a new one, ``values`` (the view's ``form``) to edit."""
    initial = (lambda name, blank="": {"default_value": values[name]}) if values is not None else \
        (lambda name, blank="": {"default_value": blank} if blank else {})
    return [
        _text("title", "projects.form.title", form_id, required=True, max_length=rules.MAX_TITLE, **initial("title")),
        field("projects.form.summary", rx.el.textarea(id=f"{form_id}-summary", name="summary", rows=3,
                                                      **initial("summary")), f"{form_id}-summary"),
        field("projects.form.department", rx.el.select(
            *[rx.el.option(t(key), value=d) for d, key in departments()], id=f"{form_id}-department",
            name="department", **initial("department")), f"{form_id}-department"),
        field("projects.form.status", rx.el.select(*options("projects.status", rules.STATUSES),
                                                   id=f"{form_id}-status", name="status", **initial("status")),
              f"{form_id}-status"),
        _text("progress", "projects.form.progress", form_id, type="number", min=0, max=100, **initial("progress", "0")),
        _text("weight", "projects.form.weight", form_id, type="number", min=1, max=rules.MAX_WEIGHT,
              **initial("weight", "1")),
        *[_text(name, f"projects.form.{name}", form_id, inputmode="decimal", **initial(name)) for name in ("budget", "spent")],
        *[_text(name, f"projects.form.{name}", form_id, type="date", **initial(name)) for name in ("starts_on", "ends_on")],
    ]


def new_project_form(parent_id=None) -> rx.Component:
    form_id = "new-project" if parent_id is None else "new-child"
    d = ProjectDeskState
    return rx.el.details(
        rx.el.summary(t("projects.desk.new" if parent_id is None else "projects.desk.new_child")),
        rx.el.form(
            rx.el.input(type="hidden", name="parent_id", value=parent_id if parent_id is not None else ""),
            *project_fields(form_id),
            rx.el.button(t("projects.desk.create"), type="submit", class_name="button primary"),
            on_submit=d.create_project, reset_on_submit=False, key=d.form_key.to_string(), class_name="form",
        ),
    )


def projects_page() -> rx.Component:
    s = ProjectsState
    return page_shell(
        page_title("projects.title"),
        rx.el.p(t("projects.intro"), class_name="lead"),
        rx.el.p(t("projects.progress_rule"), " ", t("projects.stale_rule"), class_name="hint"),
        rx.el.p(link(t("projects.open_data_json"), href="/api/v1/projects"), " · ",
                link(t("projects.open_data_csv"), href="/api/v1/projects?format=csv"), class_name="muted"),
        rx.cond(s.can_create, rx.el.section(alerts(ProjectDeskState), new_project_form(),
                                                   aria_label=t("projects.desk.title"))),
        rx.el.h2(t("projects.tree"), id="tree-heading"),
        card_list(s.loaded, s.rows, tree_item, "projects.empty", aria_labelledby="tree-heading"),
    )


# --- one project ---------------------------------------------------------------------------------

def milestone_item(m: MilestoneView) -> rx.Component:
    return rx.el.li(
        rx.el.strong(m.title), " — ", t("projects.milestone.due"), ": ", bi(m.due.el, m.due.en),
        rx.cond(m.is_done,
                rx.el.span(" · ", t("projects.milestone.done"), ": ", bi(m.done.el, m.done.en), " ",
                           rx.cond(m.on_time, t("projects.milestone.on_time"), t("projects.milestone.late"))),
                rx.cond(ProjectPageState.keeps,
                        rx.el.button(t("projects.desk.complete"), type="button", class_name="button secondary",
                                     on_click=ProjectDeskState.complete_milestone(m.id)))),
    )


def update_item(u: UpdateView) -> rx.Component:
    return rx.el.li(rx.el.p(rx.el.strong(bi(u.when.el, u.when.en))), rx.el.p(u.body), class_name="card")


def link_item(item: LinkView) -> rx.Component:
    return rx.el.li(
        rx.el.span(rx.match(item.kind, *[(k, t(f"projects.kind.{k}")) for k in KINDS], item.kind), ": "),
        link(item.title, href=item.url, lang="el"),
        rx.cond(ProjectPageState.keeps,
                rx.el.button(t("projects.desk.unlink"), type="button", class_name="button secondary",
                             aria_label=t("projects.desk.unlink") + ": " + item.title,
                             on_click=ProjectDeskState.remove_link(item.id))),
    )


def backlinks(kind: str) -> rx.Component:
    """"Part of project X" on an event's or a survey's page (registry hook)."""
    return backlink_notes(kind, BACKLINK_KINDS, ProjectBacklinksState, ProjectBacklinksState.project_links,
                          prefix="projects")


def _desk_form(title_key: str, handler, *fields: rx.Component, submit_key: str) -> rx.Component:
    d, v = ProjectDeskState, ProjectPageState.view
    return rx.el.details(
        rx.el.summary(t(title_key)),
        rx.el.form(rx.el.input(type="hidden", name="project_id", value=v.id), *fields,
                   rx.el.button(t(submit_key), type="submit", class_name="button primary"),
                   on_submit=handler, reset_on_submit=False, key=d.form_key.to_string() + v.id.to_string(),
                   class_name="form"),
    )


def desk() -> rx.Component:
    d, v = ProjectDeskState, ProjectPageState.view
    return rx.el.section(
        rx.el.h2(t("projects.desk.title"), id="desk-heading"),
        alerts(d),
        _desk_form("projects.desk.post_update", d.post_update,
                   field("projects.form.update", rx.el.textarea(id="update-body", name="body", rows=4, required=True,
                                                                max_length=rules.MAX_UPDATE), "update-body",
                         "projects.form.update_hint"),
                   submit_key="projects.desk.post"),
        _desk_form("projects.desk.edit", d.save_project, *project_fields("edit", v.form), submit_key="projects.desk.save"),
        _desk_form("projects.desk.add_milestone", d.add_milestone,
                   _text("title", "projects.form.milestone", "milestone", required=True),
                   _text("due_on", "projects.form.due_on", "milestone", type="date", required=True),
                   submit_key="projects.desk.add"),
        _desk_form("projects.desk.add_link", d.add_link,
                   field("projects.form.kind", rx.el.select(*options("projects.kind", KINDS), id="link-kind",
                                                            name="kind"), "link-kind"),
                   _text("target", "projects.form.target", "link", required=True),
                   submit_key="projects.desk.add"),
        new_project_form(v.id),
        aria_labelledby="desk-heading",
    )


def _fact(label_key: str, text2) -> rx.Component:
    return rx.el.p(rx.el.strong(t(label_key)), ": ", bi(text2.el, text2.en))


def project_detail() -> rx.Component:
    s, v = ProjectPageState, ProjectPageState.view
    return rx.fragment(
        rx.el.h2(v.title, lang="el"),
        rx.el.p(rx.el.span(status_label(v.status), class_name="badge"), stale_badge(v), " ",
                department_label(v.department)),
        rx.cond(v.parent_id > 0, rx.el.p(t("projects.part_of"), " ",
                                         link(v.parent_title, href="/projects/" + v.parent_id.to_string(), lang="el"))),
        rx.cond(v.summary != "", rx.el.p(v.summary, class_name="prose", lang="el")),
        progress_bar(v),
        _fact("projects.budget", v.budget), _fact("projects.spent", v.spent),
        _fact("projects.starts", v.starts), _fact("projects.ends", v.ends),
        rx.cond(v.last_update.el != "", _fact("projects.last_update", v.last_update)),
        alerts(s),
        rx.cond(s.logged_in,
                rx.cond(s.following,
                        rx.el.button(t("projects.page.unfollow"), type="button", class_name="button secondary",
                                     on_click=s.unfollow, aria_pressed="true"),
                        rx.el.button(t("projects.page.follow"), type="button", class_name="button primary",
                                     on_click=s.follow, aria_pressed="false")),
                rx.el.p(t("projects.page.login_to_follow"), class_name="muted")),
        rx.cond(v.children.length() > 0, rx.el.section(
            rx.el.h3(t("projects.page.parts"), id="parts-heading"),
            rx.el.ul(rx.foreach(v.children, tree_item), class_name="card-list"),
            aria_labelledby="parts-heading")),
        rx.el.section(rx.el.h3(t("projects.page.origins"), id="links-heading"),
                      rx.cond(v.links.length() > 0, rx.el.ul(rx.foreach(v.links, link_item)),
                              rx.el.p(t("projects.page.no_links"), class_name="muted")),
                      aria_labelledby="links-heading"),
        rx.el.section(rx.el.h3(t("projects.page.milestones"), id="milestones-heading"),
                      rx.cond(v.milestones.length() > 0, rx.el.ul(rx.foreach(v.milestones, milestone_item)),
                              rx.el.p(t("projects.page.no_milestones"), class_name="muted")),
                      aria_labelledby="milestones-heading"),
        rx.el.section(rx.el.h3(t("projects.page.updates"), id="updates-heading"),
                      rx.cond(v.updates.length() > 0,
                              rx.el.ul(rx.foreach(v.updates, update_item), class_name="card-list"),
                              rx.el.p(t("projects.page.no_updates"), class_name="muted")),
                      aria_labelledby="updates-heading"),
        rx.cond(s.keeps, desk()),
    )


def project_page() -> rx.Component:
    return detail_shell("projects.page.title", ("projects.page.back", "/projects"), ProjectPageState,
                        project_detail(), "projects.errors.not_found")


# --- /measurement --------------------------------------------------------------------------------

def measurement_section() -> rx.Component:
    f = ProjectFiguresState.figures
    return figures_section("projects.figures.title", "projects-figures", ProjectFiguresState.load, [
        ("projects.figures.milestones_on_time", f.milestones, f.milestones_share,
         "/api/v1/projects/milestones?format=csv"),
        ("projects.figures.projects_late", f.late, f.late_share, "/api/v1/projects?format=csv"),
    ])


add_pages = PageTable.of(
    (projects_page, "/projects", "projects.title", ProjectsState.load),
    (project_page, "/projects/[project_id]", "projects.page.title", ProjectPageState.load),
).add_pages

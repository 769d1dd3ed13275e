"""What the tracker's pages show: view models and the builders from rows to them
(every figure formatted by ``core.formatting``, in both languages)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core import formatting
from syros_app.core.actors import Actor
from syros_app.core.timefmt import utcnow

from . import queries, rules
from .links import url_of
from .models import Project
from .permissions import MATRIX


class Text2(BaseModel):
    """A text the server formatted in Greek and in English."""

    el: str = ""
    en: str = ""


def _both(fn, value, **kw) -> Text2:
    return Text2(el=fn(value, "el", **kw), en=fn(value, "en", **kw))


class MilestoneView(BaseModel):
    """A milestone: ``done`` is empty until it is done; ``on_time`` when done by ``due``."""

    id: int
    due: Text2
    title: str
    on_time: bool
    done: Text2
    is_done: bool


class UpdateView(BaseModel):
    when: Text2
    body: str


class LinkView(BaseModel):
    """Where a project came from: the target's kind, title and page."""

    id: int
    kind: str
    url: str
    title: str


class ProjectBackLink(BaseModel):
    title: str
    url: str


def backlinks(session: Session, kind: str, target: str) -> list[ProjectBackLink]:
    """"Part of project X" on the page of something a project links."""
    return [ProjectBackLink(title=p.title, url=url_of("project", str(p.id)))
            for p in queries.projects_linking(session, kind, target)]


class ProjectRow(BaseModel):
    """A project in the tree (``depth`` 0 at the top), with its computed progress."""

    title: str = ""
    progress: Text2 = Text2()
    id: int = 0
    depth: int = 0
    stale: bool = False
    url: str = ""
    status: str = ""
    parent_title: str = ""
    progress_value: int = 0  # rounded, for the bar
    department: str = ""
    weight: int = 1


class ProjectView(ProjectRow):
    summary: str = ""
    budget: Text2 = Text2()
    spent: Text2 = Text2()
    starts: Text2 = Text2()
    ends: Text2 = Text2()
    last_update: Text2 = Text2()
    parent_id: int = 0
    form: dict[str, str] = {}  # the edit form's values, as the inputs take them
    milestones: list[MilestoneView] = []
    updates: list[UpdateView] = []
    links: list[LinkView] = []
    children: list[ProjectRow] = []


def _row(p: Project, progress: dict[int, float], titles: dict[int, str], depth: int, now: datetime) -> ProjectRow:
    value = progress[p.id]
    return ProjectRow(id=p.id, url=f"/projects/{p.id}", title=p.title, depth=depth, status=p.status,
                      department=p.department, progress=_both(formatting.percent_points, value),
                      progress_value=round(value), weight=p.weight, stale=queries.stale(p, now),
                      parent_title=titles.get(p.parent_id or 0, ""))


def tree(session: Session, now: datetime | None = None) -> list[ProjectRow]:
    """The whole tree in reading order (each project followed by its children)."""
    now = now or utcnow()
    projects = queries.all_projects(session)
    progress = queries.progress_of(projects)
    titles = {p.id: p.title for p in projects}
    children: dict[int | None, list[Project]] = {}
    for p in projects:
        children.setdefault(p.parent_id if p.parent_id in titles else None, []).append(p)
    rows: list[ProjectRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for p in children.get(parent, []):
            rows.append(_row(p, progress, titles, depth, now))
            if depth < 8:
                walk(p.id, depth + 1)

    walk(None, 0)
    return rows


def _date(value: date | None, lang: str) -> str:
    return formatting.date_text(value, lang) if value else "–"


def _form(p: Project) -> dict[str, str]:
    values = {"title": p.title, "summary": p.summary, "department": p.department, "status": p.status,
              "progress": p.progress, "weight": p.weight, "budget": p.budget, "spent": p.spent,
              "starts_on": p.starts_on, "ends_on": p.ends_on}
    return {k: "" if v is None else v.isoformat() if isinstance(v, date) else str(v) for k, v in values.items()}


def project_page(session: Session, project_id: int, actor: Actor | None,
                 now: datetime | None = None) -> tuple[ProjectView | None, bool, bool]:
    """(the project's view, whether the actor follows it, whether the actor keeps it)."""
    now = now or utcnow()
    project = session.get(Project, project_id) if project_id else None
    if project is None:
        return None, False, False
    projects = queries.all_projects(session)
    progress = queries.progress_of(projects)
    titles = {p.id: p.title for p in projects}
    base = _row(project, progress, titles, 0, now)
    view = ProjectView(
        **base.model_dump(), summary=project.summary,
        budget=_both(formatting.money, project.budget), spent=_both(formatting.money, project.spent),
        starts=_both(_date, project.starts_on), ends=_both(_date, project.ends_on),
        last_update=_both(formatting.datetime_text, project.last_update_at) if project.last_update_at else Text2(),
        parent_id=project.parent_id or 0, form=_form(project),
        milestones=[MilestoneView(id=m.id, title=m.title, due=_both(_date, m.due_on), done=_both(_date, m.done_on),
                                  is_done=m.done_on is not None, on_time=rules.milestone_on_time(m.due_on, m.done_on))
                    for m in queries.milestones(session, [project.id])],
        updates=[UpdateView(when=_both(formatting.datetime_text, u.created_at), body=u.body)
                 for u in queries.updates(session, project.id)],
        links=[LinkView(id=link.id, kind=link.kind, title=link.title, url=url_of(link.kind, link.target))
               for link in queries.links(session, [project.id])],
        children=[_row(p, progress, titles, 1, now) for p in projects if p.parent_id == project.id],
    )
    following = queries.follows(session, project.id, actor.person_id if actor else None)
    keeps = actor is not None and MATRIX.allows(actor, "edit_project", project)
    return view, following, keeps


class FiguresView(BaseModel):
    """The measurement section's figures: milestones done by their due date, and
    projects past their end date not completed (count / base, and share)."""

    milestones: Text2 = Text2()
    milestones_share: Text2 = Text2()
    late: Text2 = Text2()
    late_share: Text2 = Text2()


def part_of(part: int, whole: int) -> tuple[Text2, Text2]:
    """A figure as "part of whole" and as a share, formatted in both languages."""
    from syros_app.core.i18n import translate

    def text(lang: str) -> str:
        return translate("projects.figures.of", lang, part=formatting.number(part, lang),
                         whole=formatting.number(whole, lang))

    return Text2(el=text("el"), en=text("en")), _both(formatting.percent, part / whole if whole else None)


def figures(session: Session, today: date) -> FiguresView:
    figs = queries.on_time(session, today)
    milestones, milestones_share = part_of(figs.milestones_on_time, figs.milestones_due)
    late, late_share = part_of(figs.projects_late, figs.projects_ended)
    return FiguresView(milestones=milestones, milestones_share=milestones_share, late=late, late_share=late_share)


def form_value(form: object, name: str) -> object:
    """A form field as the browser sent it: "" becomes None (optional inputs), anything
    else goes to the action as it is (its schema refuses a wrong type)."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    if isinstance(value, str):
        value = value.strip()
        if name in ("budget", "spent"):
            value = value.replace(".", "").replace(",", ".") if "," in value else value
    return None if value == "" else value


def row_id(value: object) -> int:
    """A row id from the page; 0 (no row) when it is not a positive 64-bit number."""
    from syros_app.core.actions import MAX_ID

    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID else 0

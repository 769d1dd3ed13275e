"""What the staff desk shows: view models built from ``desk_queries`` in the reader's
language (the SLA clock in working days through the formatting library)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, create_model
from sqlmodel import Session

from syros_app.core import formatting
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, format_local, utcnow
from syros_app.reports import queries as report_queries
from syros_app.reports import rules as calendar
from syros_app.reports.views import NoteView, OfficerChoice

from . import desk_queries
from .permissions import MATRIX, desk_department
from .receipt import protocol_text
from .rules import SLOT_KEY

NS = "applications_desk"


class QueueItem(BaseModel):
    id: int
    reference: str
    service: str
    status: str
    status_label: str
    sla: str
    late: bool
    officer: str
    protocol: str
    counter: bool
    resident_answered: bool = False


class Line(BaseModel):
    label: str
    value: str


class StepView(BaseModel):
    label: str
    message: str
    when: str
    by_staff: bool


# One application's file on the desk (all fields default to empty: a page before any load).
_TEXTS = ("reference", "service", "applicant", "status", "status_label", "sla", "assigned_id", "pdf_url",
          "receipt_url")
_FLAGS = ("late", "can_protocol", "can_request", "can_answer", "can_close", "resident_answered")
DeskDetail = create_model(
    "DeskDetail", id=(int, 0), **{name: (str, "") for name in _TEXTS}, **{name: (bool, False) for name in _FLAGS},
    facts=(list[Line], []), answers=(list[Line], []), timeline=(list[StepView], []), notes=(list[NoteView], []),
    officers=(list[OfficerChoice], []))


class Choice(BaseModel):
    value: str
    label: str


def document_url(reference: str, kind: str) -> str:
    """The receipt or signed answer (apps' route; the desk of the department may read it)."""
    return f"/api/v1/applications/{quote(reference)}/{kind}.pdf"


def sla_clock(status: str, due_at: datetime, paused_since: datetime | None, now: datetime,
              lang: str) -> tuple[str, bool]:
    """Working days left to the target, how late, or — while waiting for the applicant — frozen."""
    if status not in desk_queries.OPEN:
        return translate(f"{NS}.sla.stopped", lang), False
    due = as_utc(due_at)
    if paused_since is not None:
        left = calendar.working_days_between(as_utc(paused_since), due)
        return translate(f"{NS}.sla.paused", lang, days=formatting.number(left, lang, digits=1)), False
    late = due < now
    days = calendar.working_days_between(due, now) if late else calendar.working_days_between(now, due)
    key = f"{NS}.sla.late" if late else f"{NS}.sla.left"
    return translate(key, lang, days=formatting.number(days, lang, digits=1),
                     due=formatting.date_text(due, lang)), late


def _status(status: str, lang: str) -> str:
    return translate(f"applications.status.{status}", lang)


def queue_item(row: desk_queries.QueueRow, now: datetime, lang: str) -> QueueItem:
    sla, late = sla_clock(row.status, row.due_at, row.paused_since, now, lang)
    return QueueItem(id=row.id, reference=row.reference,
                     service=row.service_title_en if lang == "en" else row.service_title_el,
                     status=row.status, status_label=_status(row.status, lang), sla=sla, late=late,
                     officer=row.assigned_name, counter=row.channel == "counter",
                     resident_answered=row.resident_answered,
                     protocol=protocol_text("in", row.in_protocol_number, row.in_protocol_year, lang))


def _answer_text(field: dict, value: Any, lang: str) -> str:
    if isinstance(value, dict):  # an address: {"text", "lat", "lon"}
        return str(value.get("text") or "")
    if isinstance(value, list):
        return translate(f"{NS}.files", lang, count=formatting.number(len(value), lang))
    for choice in field.get("choices") or []:
        if isinstance(choice, dict) and choice.get("value") == value:
            return str(choice.get(f"label_{lang}") or choice.get("label_el") or value)
    return "" if value is None else str(value)


def detail(session: Session, application_id: int, actor, now: datetime, lang: str) -> DeskDetail | None:
    found = desk_queries.desk_file(session, application_id, actor)
    if found is None:
        return None
    app, tr = found.application, (lambda key, **p: translate(f"{NS}.{key}", lang, **p))
    sla, late = sla_clock(app.status, app.due_at, app.paused_since, now, lang)
    facts = [(tr("applicant"), found.applicant or tr("applicant_unlinked")),
             (tr("channel"), tr(f"channel.{app.channel}")),
             (tr("submitted"), format_local(app.submitted_at, lang)),
             (tr("protocol_in"), protocol_text("in", app.in_protocol_number, app.in_protocol_year, lang) or tr("none")),
             (tr("protocol_out"), protocol_text("out", app.out_protocol_number, app.out_protocol_year, lang) or tr("none"))]
    open_ = app.status in desk_queries.OPEN
    return DeskDetail(
        id=app.id, reference=app.reference, applicant=found.applicant,
        service=(found.service.title_en if lang == "en" else found.service.title_el) if found.service else "",
        status=app.status, status_label=_status(app.status, lang), sla=sla, late=late,
        facts=[Line(label=k, value=v) for k, v in facts],
        answers=[Line(label=str(f.get(f"label_{lang}") or f.get("label_el") or f.get("key")),
                      value=_answer_text(f, found.answers.get(f.get("key")), lang) or "–")
                 for f in found.fields if isinstance(f, dict)],
        timeline=[StepView(label=translate(f"{NS}.step.{e.kind}", lang), message=e.message,
                           when=format_local(e.created_at, lang), by_staff=e.by_staff) for e in reversed(found.events)],
        notes=[NoteView(author=name, when=format_local(n.created_at, lang), body=n.body)
               for n, name in reversed(found.notes)],
        officers=[OfficerChoice(id=str(pid), name=name)
                  for pid, name, _d in report_queries.officers(session, app.department)],
        assigned_id=str(app.assigned_to or ""),
        can_protocol=open_ and app.in_protocol_number is None,
        can_request=app.status in ("received", "in_progress"), can_answer=open_, can_close=app.status == "answered",
        resident_answered=app.resident_answered_at is not None,
        pdf_url=document_url(app.reference, "answer") if found.has_answer_pdf else "",
        receipt_url=document_url(app.reference, "receipt"),
    )


def desk(session: Session, *, actor, filters: desk_queries.QueueFilters, selected_id: int, page: int,
         lang: str) -> dict[str, Any]:
    """Everything the desk page assigns, in one read: the queue for those the matrix lets see
    the desk (scoped to an officer's department), the open file if the actor may see it."""
    now = utcnow()
    chosen = detail(session, selected_id, actor, now, lang) if selected_id else None
    page_data = {**EMPTY, "selected": [chosen] if chosen else [], "selected_id": chosen.id if chosen else 0,
                 "allowed": MATRIX.allows(actor, "view_desk")}
    if not page_data["allowed"]:
        return page_data
    department = desk_department(actor)
    rows, has_next = desk_queries.queue(session, department=department, filters=filters,
                                        person_id=actor.person_id if actor else None, now=now, page=page)
    counts = desk_queries.counts(session, department, now)
    return {
        **page_data, "queue": [queue_item(r, now, lang) for r in rows], "has_next": has_next,
        "summary": translate(f"{NS}.summary", lang, **{k: formatting.number(v, lang) for k, v in counts.items()}),
        "services": [Choice(value=str(i), label=en if lang == "en" else el)
                     for i, el, en in desk_queries.services_of(session, department)],
    }


EMPTY = {"queue": [], "has_next": False, "summary": "", "services": [], "selected": [], "selected_id": 0,
         "loaded": True, "allowed": False}


class CounterField(BaseModel):
    key: str
    label: str
    kind: str  # text | textarea | number | date | choice | address
    required: bool
    help: str
    choices: list[Choice] = []


COUNTER_KINDS = ("text", "textarea", "number", "date", "choice", "address")


def counter_fields(session: Session, service_id: int, lang: str) -> list[CounterField]:
    """The fields of a service's current form that can be typed in at the counter
    (attachments are handed in on paper there)."""
    fields = desk_queries.form_fields(session, service_id)
    return [CounterField(key=str(f.get("key")), label=str(f.get(f"label_{lang}") or f.get("label_el") or ""),
                         kind=f.get("type"), required=bool(f.get("required")),
                         help=str(f.get(f"help_{lang}") or ""),
                         choices=[Choice(value=str(c.get("value")), label=str(c.get(f"label_{lang}") or c.get("value")))
                                  for c in f.get("choices") or [] if isinstance(c, dict)])
            for f in fields if isinstance(f, dict) and f.get("type") in COUNTER_KINDS]


def counter_answers(data: dict, fields: list[CounterField]) -> dict[str, Any]:
    """The answers typed at the counter (``field-<key>``), shaped as the form expects, and
    the pickup day chosen (``pickup_slot``)."""
    answers: dict[str, Any] = {}
    for f in fields:
        value = data.get(f"field-{f.key}")
        value = value.strip() if isinstance(value, str) else ""
        answers[f.key] = {"text": value, "lat": None, "lon": None} if f.kind == "address" and value else value
    slot = data.get(SLOT_KEY)
    if isinstance(slot, str) and slot.strip():
        answers[SLOT_KEY] = slot.strip()
    return answers


class CounterFile(BaseModel):
    id: int
    field: str
    name: str
    size: str
    url: str


def counter_extras(session: Session, actor, service_id: int, lang: str) -> dict[str, Any]:
    """What the counter form adds to the typed fields: its attachment fields with the
    officer's uploads so far, and whether it asks for a pickup day."""
    from sqlmodel import select

    from .actions import _draft
    from .models import ApplicationFile, Service
    from .views import file_view

    service = session.get(Service, service_id) if service_id else None
    if service is None or actor is None:
        return dict(COUNTER_EMPTY)
    fields = [f for f in desk_queries.form_fields(session, service_id) if f.get("type") == "attachment"]
    draft = _draft(session, actor.person_id, service_id)
    files = session.exec(select(ApplicationFile).where(ApplicationFile.draft_id == draft.id)
                         .order_by(ApplicationFile.id)).all() if draft is not None else []
    return {"counter_attachments": [Choice(value=str(f["key"]), label=str(f.get(f"label_{lang}") or f["label_el"]))
                                    for f in fields],
            "counter_files": [CounterFile(**file_view(f, lang).model_dump()) for f in files],
            "counter_uses_slots": service.uses_pickup_slots, "counter_slots": []}


COUNTER_EMPTY = {"counter_attachments": [], "counter_files": [], "counter_uses_slots": False, "counter_slots": []}


def counter_slots(session: Session, area: str, lang: str) -> list[Choice]:
    """The pickup days with places left of the area chosen at the counter."""
    from .views import slots

    return [Choice(value=c.value, label=c.label_en if lang == "en" else c.label) for c in slots(session, area)]


# --- the public figures (/measurement) ---------------------------------------------------------

class FigureLine(BaseModel):
    service: str
    submitted: str  # "12 (9 online · 3 at the counter)"
    online_share: str
    completion: str
    decision: str  # "4,0 of 10 working days (83 % within)"
    satisfaction: str
    paper: str


def figure_lines(session: Session, months: int, lang: str) -> dict[str, Any]:
    from . import measurement

    per_service, total = measurement.figures(session, months=months)
    tr, num, pct = (lambda key, **p: translate(f"{NS}.fig.{key}", lang, **p)), formatting.number, formatting.percent

    def line(f, name: str) -> FigureLine:
        decision = "–" if f.median_decision_days is None else tr(
            "decision", days=num(f.median_decision_days, lang, digits=1),
            target=num(f.target_days, lang) if f.target_days else "–", within=pct(f.share_within_target, lang))
        return FigureLine(
            service=name, submitted=tr("submitted", total=num(f.submitted, lang), online=num(f.online, lang),
                                       counter=num(f.counter, lang)),
            online_share=pct(f.online_share, lang),
            completion=tr("completion", rate=pct(f.completion_rate, lang), done=num(f.completed, lang),
                          started=num(f.started, lang)),
            decision=decision,
            satisfaction="–" if f.mean_rating is None else tr("satisfaction", mean=num(f.mean_rating, lang, digits=1),
                                                               count=num(f.ratings, lang)),
            paper=tr("pages", pages=num(f.paper_saved, lang)))

    lines = [line(f, f.title_en if lang == "en" else f.title_el) for f in per_service]
    return {"figures": lines + [line(total, tr("total"))], "paper_total": num(total.paper_saved, lang),
            "figures_loaded": True}

"""What the resident's application pages show: view models and the builders from rows to
them, in both languages where a page shows data (``x`` and ``x_en``), so switching
language needs no reload. States only assign what these return."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, create_model
from sqlmodel import Session

from syros_app.core import formatting
from syros_app.core.actors import Actor
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.core.registry import departments
from syros_app.core.timefmt import to_athens, utcnow

from . import queries, rules
from .api import document_url
from .models import ApplicationFile, Service
from .notify import application_url
from .permissions import MATRIX
from .receipt import protocol_text

LANGS = ("el", "en")
AUTOCOMPLETE = {"name": "name", "full_name": "name", "phone": "tel"}


def _both(key: str, **params) -> dict[str, str]:
    return {"el": translate(key, "el", **params), "en": translate(key, "en", **params)}


def _view(name: str, texts: str, base: type[BaseModel] = BaseModel, **typed: tuple) -> type[BaseModel]:
    """A view model: every name in ``texts`` is a text ("" until set); ``typed`` gives the
    others as (type, default). Texts of data come as ``x`` (Greek) and ``x_en``."""
    fields: dict[str, tuple] = {n: (str, "") for n in texts.split()}
    return create_model(name, __base__=base, __module__=__name__, **fields, **typed)


ServiceCard = _view("ServiceCard", "slug url title title_en purpose purpose_en department department_en",
                    external=(bool, False))
ServiceView = _view("ServiceView", "eligibility eligibility_en fee fee_en target target_en registry registry_en",
                    ServiceCard, documents=(list[str], []), documents_en=(list[str], []), uses_slots=(bool, False))
ChoiceView = _view("ChoiceView", "value label label_en")
# described_by: the ids of the help text and the error (aria-describedby); autocomplete: the
# browser's autofill hint (WCAG 1.3.5).
FieldView = _view("FieldView", "key type label label_en help help_en accept described_by",
                  required=(bool, False), choices=(list[ChoiceView], []), autocomplete=(str, "off"))
FileView = _view("FileView", "field name size url", id=(int, 0))
ReviewRow = _view("ReviewRow", "label label_en value value_en")
StepView = _view("StepView", "kind when when_en message", by_staff=(bool, False))
MyItem = _view("MyItem", "url reference title title_en status submitted submitted_en protocol", id=(int, 0))
ApplicationView = _view(
    "ApplicationView", "reference title title_en status protocol_in protocol_in_en protocol_out submitted "
    "submitted_en due due_en receipt_url answer_url info_request",
    id=(int, 0), steps=(list[StepView], []), answers=(list[ReviewRow], []), can_provide_info=(bool, False),
    can_rate=(bool, False), rating=(int, 0))


def _department(value: str) -> dict[str, str]:
    key = dict(departments()).get(value) or f"reports.department.{value}"
    return _both(key)


def card(service: Service) -> ServiceCard:
    dept = _department(service.department)
    return ServiceCard(slug=service.slug, url=service.govgr_url or f"/applications/{service.slug}",
                       external=bool(service.govgr_url), title=service.title_el, title_en=service.title_en,
                       purpose=service.purpose_el, purpose_en=service.purpose_en, department=dept["el"],
                       department_en=dept["en"])


def catalogue(session: Session, department: str, query: str) -> dict[str, Any]:
    return {"items": [card(s) for s in queries.catalogue(session, department=department or None, query=query)],
            "loaded": True}


def department_choices() -> list[ChoiceView]:
    return [ChoiceView(value=value, label=translate(key, "el"), label_en=translate(key, "en"))
            for value, key in departments()]


def service_view(service: Service) -> ServiceView:
    target = _both("applications.service.target_days", days=formatting.number(service.target_days))
    registry = ({"el": service.mitos_id, "en": service.mitos_id} if service.mitos_id
                else _both("applications.service.local"))
    return ServiceView(**card(service).model_dump(), eligibility=service.eligibility_el,
                       eligibility_en=service.eligibility_en, documents=rules.lines(service.documents_el),
                       documents_en=rules.lines(service.documents_en), fee=service.fee_el, fee_en=service.fee_en,
                       target=target["el"], target_en=target["en"], registry=registry["el"],
                       registry_en=registry["en"], uses_slots=service.uses_pickup_slots)


def field_view(field: dict) -> FieldView:
    key = field["key"]
    limit = ""
    if field["type"] == "attachment":
        limit = f"{','.join(field.get('types') or ())}"
    has_help = bool(field.get("help_el") or field.get("help_en"))
    return FieldView(key=key, type=field["type"], required=bool(field.get("required")),
                     label=field["label_el"], label_en=field["label_en"], help=field.get("help_el", ""),
                     help_en=field.get("help_en", ""), accept=limit,
                     autocomplete=AUTOCOMPLETE.get(field.get("prefill") or key, "off"),
                     choices=[ChoiceView(value=str(c["value"]), label=c["label_el"], label_en=c["label_en"])
                              for c in field.get("choices") or ()],
                     described_by=" ".join(x for x in (f"f-{key}-hint" if has_help else "", f"f-{key}-error") if x))


def answer_text(field: dict, value: object) -> str:
    """A saved answer as the form's text input holds it."""
    if isinstance(value, dict):
        return str(value.get("text") or "")
    if isinstance(value, list) or value is None:
        return ""
    return str(value)


def file_view(file: ApplicationFile, lang: str = "el") -> FileView:
    return FileView(id=file.id, field=file.field_key or "", name=file.filename,
                    size=formatting.number(max(1, round(file.size / 1024)), lang) + " KB",
                    url=f"/api/v1/applications/files/{file.id}")


def slots(session: Session, area: str) -> list[ChoiceView]:
    if not area:
        return []
    today = to_athens(utcnow()).date()
    return [ChoiceView(value=str(s.id), label=formatting.date_text(s.day, "el"), label_en=formatting.date_text(s.day, "en"))
            for s in queries.open_slots(session, area, today)]


def identity_of(session: Session, actor: Actor) -> dict:
    """What gov.gr told us at login and we keep: the name, the father's name, the year of birth."""
    from syros_app.identity.models import Person

    person = session.get(Person, actor.person_id)
    return {"name": actor.display_name, "birth_year": actor.birth_year,
            "father_name": person.father_name if person is not None else None}


def filing_page(session: Session, slug: str, actor: Actor | None) -> dict[str, Any]:
    """Everything the service page and its form start from."""
    service = queries.service(session, slug)
    if service is None or service.govgr_url:
        return {"found": False, "loaded": True}
    data: dict[str, Any] = {"found": True, "loaded": True, "service": service_view(service),
                            "logged_in": actor is not None, "fields": [], "answers": {}, "files": [],
                            "slot_options": [], "has_draft": False, "points": {}}
    if actor is None:
        return data
    filing = queries.filing(session, service, actor, identity_of(session, actor))
    if filing is None:
        return {**data, "found": False}
    data["fields"] = [field_view(f) for f in filing.fields]
    data["answers"] = {f["key"]: answer_text(f, filing.answers.get(f["key"])) for f in filing.fields
                       if f["type"] != "attachment"}
    if service.uses_pickup_slots:
        data["answers"][rules.SLOT_KEY] = str(filing.answers.get(rules.SLOT_KEY) or "")
        data["slot_options"] = slots(session, data["answers"].get(rules.AREA_KEY, ""))
    data["files"] = [file_view(f) for f in filing.files]
    data["has_draft"] = filing.has_draft
    data["points"] = points_of(filing.fields, filing.answers)
    return data


def points_of(fields: list[dict], answers: dict) -> dict[str, list[float]]:
    """The point picked on the map for each address field that has one."""
    found = {}
    for field in fields:
        value = answers.get(field["key"])
        if field["type"] == "address" and isinstance(value, dict) and value.get("lat") is not None:
            found[field["key"]] = [float(value["lat"]), float(value["lon"])]
    return found


def with_points(answers: dict[str, str], points: dict[str, list[float]]) -> dict:
    """The form's answers with each address's picked point (``{"text", "lat", "lon"}``)."""
    merged: dict = dict(answers)
    for key, (lat, lon) in ((k, p) for k, p in points.items() if len(p) == 2):
        merged[key] = {"text": answers.get(key, ""), "lat": lat, "lon": lon}
    return merged


def review(session: Session, slug: str, actor: Actor | None, answers: dict,
           lang: str) -> tuple[dict[str, str], list[ReviewRow]]:
    """Each field's problem (in the reader's language), or the answers as they will be
    filed (the draft's files included), to check before sending."""
    service = queries.service(session, slug)
    filing = queries.filing(session, service, actor, {}) if service is not None and actor is not None else None
    if filing is None:
        return {"": translate("applications.errors.service_not_found", lang)}, []
    files = {f.id: f.filename for f in filing.files}
    merged = {**answers, **{f["key"]: filing.answers.get(f["key"]) or [] for f in filing.fields
                            if f["type"] == "attachment"}}
    _, problems = rules.clean_answers(filing.fields, merged, final=True, uses_slots=service.uses_pickup_slots)
    if problems:
        return {p.key: translate(p.message_key, lang) for p in problems}, []
    slot_text = next((c.label for c in slots(session, answers.get(rules.AREA_KEY, ""))
                      if c.value == answers.get(rules.SLOT_KEY)), "")
    return {}, answer_rows(filing.fields, merged, files, slot_text)


def answer_rows(fields: list[dict], answers: dict, files: dict[int, str], slot_text: str) -> list[ReviewRow]:
    """The answers as filed, labelled in both languages (values are the applicant's own)."""
    rows = {lang: rules.answer_rows(fields, answers, lang, files=files, slot_text=slot_text,
                                    slot_label=translate("applications.pickup_day", lang) if slot_text else "")
            for lang in LANGS}
    return [ReviewRow(label=el[0], label_en=en[0], value=el[1], value_en=en[1])
            for el, en in zip(rows["el"], rows["en"])]


def field_errors(error: AgoraError, lang: str) -> dict[str, str]:
    """Each field's problem, in the reader's language (a ``FormErrors`` refusal)."""
    return {e.key: translate(e.message_key, lang) for e in getattr(error, "errors", ())}


def submitted(application) -> dict[str, str]:
    return {"reference": application.reference,
            "protocol": protocol_text("in", application.in_protocol_number, application.in_protocol_year, "el"),
            "protocol_en": protocol_text("in", application.in_protocol_number, application.in_protocol_year, "en"),
            "receipt_url": document_url(application.reference, "receipt"),
            "mine_url": application_url(application.id)}


def my_items(session: Session, actor: Actor | None) -> dict[str, Any]:
    if actor is None:
        return {"items": [], "loaded": True, "logged_in": False}
    return {"logged_in": True, "loaded": True, "items": [MyItem(
        id=a.id, url=application_url(a.id), reference=a.reference, title=s.title_el, title_en=s.title_en,
        status=a.status, submitted=formatting.date_text(a.submitted_at, "el"),
        submitted_en=formatting.date_text(a.submitted_at, "en"),
        protocol=protocol_text("in", a.in_protocol_number, a.in_protocol_year, "el"),
    ) for a, s in queries.my_applications(session, actor.person_id)]}


def application_page(session: Session, actor: Actor | None, application_id: int) -> dict[str, Any]:
    try:
        detail = queries.detail(session, actor, application_id) if application_id else None
    except AgoraError:
        detail = None
    if detail is None:
        return {"found": False, "loaded": True, "view": ApplicationView()}
    a, s = detail.application, detail.service
    answers = json.loads(a.answers)
    slot_el = formatting.date_text(detail.slot_day, "el") if detail.slot_day else ""
    asked = [e for e in detail.events if e.kind == "info_requested"]
    own = MATRIX.allows(actor, "rate_application", a)
    return {"found": True, "loaded": True, "view": ApplicationView(
        id=a.id, reference=a.reference, title=s.title_el, title_en=s.title_en, status=a.status,
        protocol_in=protocol_text("in", a.in_protocol_number, a.in_protocol_year, "el"),
        protocol_in_en=protocol_text("in", a.in_protocol_number, a.in_protocol_year, "en"),
        protocol_out=protocol_text("out", a.out_protocol_number, a.out_protocol_year, "el"),
        submitted=formatting.datetime_text(a.submitted_at, "el"), submitted_en=formatting.datetime_text(a.submitted_at, "en"),
        due=formatting.date_text(a.due_at, "el"), due_en=formatting.date_text(a.due_at, "en"),
        receipt_url=document_url(a.reference, "receipt"),
        answer_url=document_url(a.reference, "answer") if detail.has_answer else "",
        steps=[StepView(kind=e.kind, when=formatting.datetime_text(e.created_at, "el"),
                        when_en=formatting.datetime_text(e.created_at, "en"), message=e.message, by_staff=e.by_staff)
               for e in reversed(detail.events)],
        answers=answer_rows(detail.fields, answers, detail.files, slot_el),
        info_request=asked[-1].message if asked and a.status == rules.INFO_REQUESTED else "",
        can_provide_info=own and a.status == rules.INFO_REQUESTED,
        can_rate=own and a.status in (rules.ANSWERED, rules.CLOSED) and a.answered_at is not None and a.rated_at is None,
        rating=a.rating_score or 0,
    )}

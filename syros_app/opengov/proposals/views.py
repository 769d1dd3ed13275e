"""What the proposal pages show: view models and the builders from rows to them.

Texts that carry numbers or dates are prepared in both languages (``x`` / ``x_en``), through
``core.formatting``, so a language switch needs no reload.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core import formatting
from syros_app.core.actions import MAX_ID
from syros_app.core.actors import Actor
from syros_app.core.i18n import translate

from . import queries, rules
from .models import Proposal
from .permissions import MATRIX

LANGS = ("el", "en")


def both(key: str, **params) -> tuple[str, str]:
    return translate(key, "el", **params), translate(key, "en", **params)


def row_id(value: object) -> int:
    """A row id from the page; 0 (no row) when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= MAX_ID else 0


def choice(value: object, allowed) -> str:
    return value if isinstance(value, str) and value in allowed else ""


def form(data: object) -> dict:
    return data if isinstance(data, dict) else {}


class ProposalCard(BaseModel):
    id: int = 0
    url: str = ""
    title: str = ""
    area: str = ""  # "" = island-wide (labelled on the client)
    author: str = ""
    status: str = ""
    overdue: bool = False
    supports: int = 0
    threshold: int = 1
    support_text: str = ""
    support_text_en: str = ""
    rule_text: str = ""
    rule_text_en: str = ""
    deadline: str = ""
    deadline_en: str = ""
    has_photo: bool = False


class ProposalView(ProposalCard):
    """Everything the proposal's own page shows."""

    body: str = ""
    created: str = ""
    created_en: str = ""
    answer: str = ""
    answered: str = ""
    answered_en: str = ""
    link_url: str = ""
    link_title: str = ""
    link_kind: str = ""
    hidden_reason: str = ""
    can_support: bool = False
    supported: bool = False
    own: bool = False


class LinkChoice(BaseModel):
    value: str
    label: str


def _area_name(area: str, lang: str) -> str:
    return area or translate("proposals.area.island", lang)


def _deadline(p: Proposal, status: str, lang: str) -> str:
    if status == rules.REACHED and p.answer_due_at is not None:
        return translate("proposals.card.answer_due", lang, date=formatting.date_text(p.answer_due_at, lang))
    if status == rules.COLLECTING:
        return translate("proposals.card.collect_until", lang, date=formatting.date_text(p.collect_until, lang))
    if status == rules.ANSWERED and p.answered_at is not None:
        return translate("proposals.card.answered_on", lang, date=formatting.date_text(p.answered_at, lang))
    return translate("proposals.card.closed_on", lang, date=formatting.date_text(p.collect_until, lang))


def card(p: Proposal, *, now: datetime, names: dict[int, str], photos: set[int]) -> dict:
    status = queries.status_of(p, now)
    texts = {}
    for lang, suffix in zip(LANGS, ("", "_en")):
        texts["support_text" + suffix] = translate(
            "proposals.card.supports", lang, n=formatting.number(p.support_count, lang),
            needed=formatting.number(p.threshold, lang))
        texts["rule_text" + suffix] = translate(
            "proposals.card.rule", lang, share=formatting.percent(float(p.share), lang, digits=1),
            residents=formatting.number(p.residents, lang), area=_area_name(p.area, lang))
        texts["deadline" + suffix] = _deadline(p, status, lang)
    return dict(id=p.id, url=f"/proposals/{p.id}", title=p.title, area=p.area,
                author=names.get(p.author_id, "") if p.author_id else translate("identity.deleted_user", "el"),
                status=status, overdue=queries.is_overdue(p, now), supports=p.support_count,
                threshold=p.threshold, has_photo=p.id in photos, **texts)


def list_page(session: Session, *, now: datetime, area: str | None, status: str, viewer: Actor | None) -> dict:
    rows = queries.list_proposals(session, now=now, area=area, status=status, viewer=viewer)
    names = queries.public_names(session, [p.author_id for p in rows])
    photos = queries.with_photo(session, [p.id for p in rows])
    return {"items": [ProposalCard(**card(p, now=now, names=names, photos=photos)) for p in rows],
            "loaded": True, "is_staff": MATRIX.allows(viewer, "view_hidden")}


def proposal_page(session: Session, proposal_id: int, viewer: Actor | None, *, now: datetime) -> dict:
    from syros_app.core.errors import NotFound

    try:
        p = queries.get_proposal(session, proposal_id, viewer=viewer)
    except NotFound:
        return {"found": False, "loaded": True, "view": ProposalView()}
    names = queries.public_names(session, [p.author_id])
    base = card(p, now=now, names=names, photos=queries.with_photo(session, [p.id]))
    supported = viewer is not None and queries.has_supported(session, p.id, viewer.person_id)
    own = viewer is not None and viewer.person_id == p.author_id
    staff = MATRIX.allows(viewer, "view_hidden")
    view = ProposalView(
        **base, body=p.body,
        created=formatting.date_text(p.created_at, "el"), created_en=formatting.date_text(p.created_at, "en"),
        answer=p.answer,
        answered=formatting.date_text(p.answered_at, "el"), answered_en=formatting.date_text(p.answered_at, "en"),
        link_url=queries.link_url(p.link_kind, p.link_id), link_kind=p.link_kind or "",
        link_title=queries.safe_link_title(session, p.link_kind, p.link_id),
        hidden_reason=p.hidden_reason if (staff or own) else "",
        can_support=base["status"] in (rules.COLLECTING, rules.REACHED) and now <= p.collect_until
        and not supported and not own,
        supported=supported, own=own)
    return {"found": True, "loaded": True, "view": view}


def link_choices(session: Session, actor: Actor | None) -> list[LinkChoice]:
    if not MATRIX.allows(actor, "answer_proposal"):
        return []
    return [LinkChoice(value=f"{kind}:{target}", label=f"{translate('proposals.link.' + kind, 'el')} #{target} — {title}")
            for kind, target, title in queries.link_choices(session, actor)]


def parse_link(value: object) -> tuple[str, int | None]:
    """``"consultation:3"`` → ("consultation", 3); anything else → ("", None)."""
    kind, _, raw = str(value or "").partition(":")
    target = row_id(raw)
    return (kind, target) if kind in rules.LINK_KINDS and target else ("", None)


class BackLink(BaseModel):
    title: str
    url: str


def backlinks(session: Session, kind: str, target_id: int) -> list[BackLink]:
    return [BackLink(title=p.title, url=f"/proposals/{p.id}")
            for p in queries.proposals_linked_to(session, kind, target_id)]


# --- the measurement section -----------------------------------------------------------------------

class FigureRow(BaseModel):
    label: str = ""
    label_en: str = ""
    value: str = ""
    value_en: str = ""


class ParticipationRow(BaseModel):
    unit: str
    unit_en: str
    cells: list[FigureRow]


def figures(session: Session, *, now: datetime) -> dict:
    """The section's figures, from the same rows the open data publishes."""
    items = queries.open_data(session, now=now)
    due = [i for i in items if i["answered_at"] or i["overdue"]]
    on_time = sum(1 for i in due if i["answered_on_time"])
    share = on_time / len(due) if due else None
    summary = []
    for key, value in (("reached", sum(1 for i in items if i["reached_at"])), ("due", len(due)),
                       ("on_time", on_time)):
        label, label_en = both(f"proposals.figures.{key}")
        summary.append(FigureRow(label=label, label_en=label_en, value=formatting.number(value, "el"),
                                 value_en=formatting.number(value, "en")))
    label, label_en = both("proposals.figures.on_time_share")
    summary.append(FigureRow(label=label, label_en=label_en, value=formatting.percent(share, "el"),
                             value_en=formatting.percent(share, "en")))
    counts = queries.participation(session, now=now)
    units = [*rules.MUNICIPAL_UNITS, *sorted({u for u, _, _ in counts} - set(rules.MUNICIPAL_UNITS))]
    bands = [*rules.AGE_BANDS, *sorted({b for _, b, _ in counts} - set(rules.AGE_BANDS))]
    table = {(u, b): n for u, b, n in counts}
    rows = []
    for unit in units:
        values = [table.get((unit, b), 0) for b in bands]
        values.append(sum(values))
        unit_el, unit_en = both("proposals.figures.unknown") if unit == rules.UNKNOWN else (unit, unit)
        rows.append(ParticipationRow(unit=unit_el, unit_en=unit_en, cells=[
            FigureRow(value=formatting.number(v, "el"), value_en=formatting.number(v, "en")) for v in values]))
    return {"summary": summary, "participation": rows,
            "bands": [b if b != rules.UNKNOWN else translate("proposals.figures.unknown", "el") for b in bands]}

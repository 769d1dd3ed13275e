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

from . import actions, queries, rules
from .models import Proposal
from .permissions import MATRIX

LANGS = ("el", "en")


def row_id(value: object) -> int:
    """A row id from the page (any client can send anything); 0, which names no row, otherwise."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID else 0


def choice(value: object, allowed) -> str:
    return value if isinstance(value, str) and value in allowed else ""


def form(data: object) -> dict:
    return data if isinstance(data, dict) else {}


class Bi(BaseModel):
    """A text prepared in both languages (the page shows the reader's)."""

    el: str = ""
    en: str = ""


def bi(key: str, **params) -> Bi:
    """A catalogue text in both languages; ``params`` may be callables of the language."""
    return Bi(**{lang: translate(key, lang, **{k: v(lang) if callable(v) else v for k, v in params.items()})
                 for lang in LANGS})


class ProposalCard(BaseModel):
    id: int = 0
    title: str = ""
    area: str = ""  # "" = island-wide (labelled on the client)
    author: str = ""
    support_text: Bi = Bi()
    status: str = ""
    overdue: bool = False
    supports: int = 0
    threshold: int = 1
    rule_text: Bi = Bi()
    deadline: Bi = Bi()
    url: str = ""
    has_photo: bool = False


class ProposalView(ProposalCard):
    """Everything the proposal's own page shows."""

    body: str = ""
    created: Bi = Bi()
    answer: str = ""
    answered: Bi = Bi()
    link_url: str = ""
    link_title: str = ""
    link_kind: str = ""
    notice: Bi = Bi()  # "your proposal is published", right after proposing
    hidden_reason: str = ""
    can_support: bool = False
    supported: bool = False
    own: bool = False


class LinkChoice(BaseModel):
    value: str
    label: str


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
    return dict(
        id=p.id, url=f"/proposals/{p.id}", title=p.title, area=p.area, status=status,
        author=names.get(p.author_id, "") if p.author_id else translate("identity.deleted_user", "el"),
        overdue=queries.is_overdue(p, now), supports=p.support_count, threshold=p.threshold, has_photo=p.id in photos,
        support_text=bi("proposals.card.supports", n=lambda lang: formatting.number(p.support_count, lang),
                        needed=lambda lang: formatting.number(p.threshold, lang)),
        rule_text=bi("proposals.card.rule", share=lambda lang: formatting.percent(float(p.share), lang, digits=1),
                     residents=lambda lang: formatting.number(p.residents, lang)),
        deadline=Bi(**{lang: _deadline(p, status, lang) for lang in LANGS}))


def _dates(value: datetime | None) -> Bi:
    return Bi(el=formatting.date_text(value, "el"), en=formatting.date_text(value, "en"))


def list_page(session: Session, *, now: datetime, area: str | None, status: str, viewer: Actor | None) -> dict:
    rows = queries.list_proposals(session, now=now, area=area, status=status, viewer=viewer)
    names = queries.public_names(session, [p.author_id for p in rows])
    photos = queries.with_photo(session, [p.id for p in rows])
    return {"items": [ProposalCard(**card(p, now=now, names=names, photos=photos)) for p in rows],
            "loaded": True, "is_staff": MATRIX.allows(viewer, "view_hidden")}


def proposal_page(session: Session, proposal_id: int, viewer: Actor | None, *, now: datetime,
                  created: bool = False) -> dict:
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
        **base, body=p.body, created=_dates(p.created_at), answer=p.answer, answered=_dates(p.answered_at),
        notice=bi("proposals.page.created") if created and own else Bi(),
        link_url=queries.link_url(p.link_kind, p.link_id), link_kind=p.link_kind or "",
        link_title=queries.safe_link_title(session, p.link_kind, p.link_id, actor=viewer),
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


NEW_LINK_PREFIX = "new:"
# What an answer may create, by the link field's value "new:<kind>": the action that does it.
NEW_LINK_ACTIONS = {"consultation": actions.answer_with_consultation, "vote": actions.answer_with_vote}


def new_link(value: object) -> str:
    """``"new:vote"`` → "vote" (the answer prepares a draft vote); anything else → ""."""
    text = str(value or "")
    kind = text[len(NEW_LINK_PREFIX):] if text.startswith(NEW_LINK_PREFIX) else ""
    return kind if kind in NEW_LINK_ACTIONS else ""


class BackLink(BaseModel):
    title: str
    url: str


def backlinks(session: Session, kind: str, target_id: int) -> list[BackLink]:
    return [BackLink(title=p.title, url=f"/proposals/{p.id}")
            for p in queries.proposals_linked_to(session, kind, target_id)]


# --- the measurement section -----------------------------------------------------------------------

class FigureRow(BaseModel):
    label: Bi = Bi()
    value: Bi = Bi()


class ParticipationRow(BaseModel):
    unit: Bi
    cells: list[Bi]


def _numbers(value) -> Bi:
    return Bi(el=formatting.number(value, "el"), en=formatting.number(value, "en"))


def figures(session: Session, *, now: datetime) -> dict:
    """The section's figures, from the same rows the open data publishes."""
    items = queries.open_data(session, now=now)
    due = [i for i in items if i["answered_at"] or i["overdue"]]
    on_time = sum(1 for i in due if i["answered_on_time"])
    share = on_time / len(due) if due else None
    summary = [FigureRow(label=bi(f"proposals.figures.{key}"), value=_numbers(value))
               for key, value in (("reached", sum(1 for i in items if i["reached_at"])), ("due", len(due)),
                                  ("on_time", on_time))]
    summary.append(FigureRow(label=bi("proposals.figures.on_time_share"),
                             value=Bi(el=formatting.percent(share, "el"), en=formatting.percent(share, "en"))))
    counts = queries.participation(session, now=now)
    units = [*rules.MUNICIPAL_UNITS, *sorted({u for u, _, _ in counts} - set(rules.MUNICIPAL_UNITS))]
    bands = [*rules.AGE_BANDS, *sorted({b for _, b, _ in counts} - set(rules.AGE_BANDS))]
    table = {(u, b): n for u, b, n in counts}
    rows = []
    for unit in units:
        values = [table.get((unit, b), 0) for b in bands]
        rows.append(ParticipationRow(unit=bi("proposals.figures.unknown") if unit == rules.UNKNOWN else Bi(el=unit, en=unit),
                                     cells=[_numbers(v) for v in [*values, sum(values)]]))
    return {"summary": summary, "participation": rows,
            "bands": [bi("proposals.figures.unknown") if b == rules.UNKNOWN else Bi(el=b, en=b) for b in bands]}

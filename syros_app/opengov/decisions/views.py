"""What the decision pages show, built from rows (dates formatted by ``core.formatting``)."""

from __future__ import annotations

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core import formatting
from syros_app.core.actors import Actor
from syros_app.opengov.projects.links import url_of
from syros_app.opengov.projects.views import Text2, part_of

from . import queries, rules
from .models import Decision
from .permissions import MATRIX


class DecisionRow(BaseModel):
    """One decision as the list shows it (``url`` is ours, ``document_url`` Diavgeia's)."""

    ada: str
    issued: Text2
    subject: str
    url: str
    decision_type: str
    document_url: str


class LinkView(BaseModel):
    id: int
    kind: str
    title: str
    url: str


class DecisionView(DecisionRow):
    links: list[LinkView] = []


def empty() -> DecisionView:
    return DecisionView(ada="", issued=Text2(), subject="", url="", decision_type="", document_url="")


class Listing(BaseModel):
    rows: list[DecisionRow] = []
    total: int = 0
    types: list[str] = []
    years: list[str] = []
    # False while SYROS_DIAVGEIA_ORG is unset: the page says why no decisions come in.
    sync_configured: bool = True


def _row(d: Decision) -> DecisionRow:
    return DecisionRow(ada=d.ada, subject=d.subject, decision_type=d.decision_type, url=f"/decisions/{d.ada}",
                       issued=Text2(el=formatting.date_text(d.issue_date, "el"),
                                    en=formatting.date_text(d.issue_date, "en")),
                       document_url=d.document_url)


def listing(session: Session, *, q: str, kind: str, year: str) -> Listing:
    rows, total = queries.search(session, q=q.strip()[:200], kind=kind,
                                 year=int(year) if year.isdigit() and len(year) == 4 else None)
    from syros_app.core.settings import diavgeia_org

    return Listing(rows=[_row(d) for d in rows], total=total, types=queries.types(session),
                   years=[str(y) for y in queries.years(session)], sync_configured=bool(diavgeia_org()))


def decision_page(session: Session, ada: str, actor: Actor | None) -> tuple[DecisionView | None, bool]:
    decision = session.get(Decision, (ada or "").strip().upper()[:40])
    if decision is None:
        return None, False
    view = DecisionView(**_row(decision).model_dump(),
                        links=[LinkView(id=k.id, kind=k.kind, title=k.title, url=url_of(k.kind, k.target))
                               for k in queries.links(session, decision.ada)])
    return view, MATRIX.allows(actor, "link_decision")


def choice(value: object, allowed) -> str:
    return value if isinstance(value, str) and value in allowed else ""


KNOWN_TYPES = rules.TYPES


class FiguresView(BaseModel):
    linked: Text2 = Text2()
    linked_share: Text2 = Text2()


def figures(session: Session) -> FiguresView:
    """Decisions linked to what they concern (a project, proposal or consultation report)."""
    linked, total = queries.linked_count(session)
    text, share = part_of(linked, total)
    return FiguresView(linked=text, linked_share=share)

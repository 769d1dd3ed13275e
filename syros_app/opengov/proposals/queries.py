"""Reads of residents' proposals: verification against the voter rolls, lists, one
proposal, what waits for staff, the open data and the participation figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.core.actions import MAX_ID
from syros_app.core.actors import Actor
from syros_app.core.errors import AgoraError, NotFound
from syros_app.identity.models import Person, VoterRollEntry

from . import rules
from .models import Proposal, ProposalPhoto, ProposalSupport
from .permissions import MATRIX


def roll_unit(session: Session, taxid_hmac: str | None) -> tuple[bool, str | None]:
    """Whether this person is a verified resident (on a voter roll), and their municipal unit."""
    if not taxid_hmac:
        return False, None
    rows = session.exec(select(VoterRollEntry.municipal_unit).where(VoterRollEntry.taxid_hmac == taxid_hmac)).all()
    units = [u for u in rows if u]
    return bool(rows), (units[0] if units else None)


def verified_residents(session: Session, area: str = rules.ISLAND) -> int:
    """Distinct people on the voter rolls (of ``area``, when one is given)."""
    query = select(func.count(func.distinct(VoterRollEntry.taxid_hmac)))
    if area:
        query = query.where(VoterRollEntry.municipal_unit == area)
    return int(session.exec(query).one())


def lifecycle(p: Proposal) -> rules.Lifecycle:
    return rules.Lifecycle(hidden=p.hidden_at is not None, reached=p.reached_at is not None,
                           answered=p.answered_at is not None, collect_until=p.collect_until,
                           answer_due_at=p.answer_due_at)


def status_of(p: Proposal, now: datetime) -> str:
    return rules.status_of(lifecycle(p), now)


def is_overdue(p: Proposal, now: datetime) -> bool:
    return rules.is_overdue(lifecycle(p), now)


def load(session: Session, proposal_id: object, *, for_update: bool = False) -> Proposal:
    try:
        pid = int(proposal_id)  # from a URL or a client: anything but a row's id is "not found"
    except (TypeError, ValueError):
        pid = -1
    proposal = None
    if 0 < pid <= MAX_ID:
        query = select(Proposal).where(Proposal.id == pid)
        proposal = session.exec(query.with_for_update() if for_update else query).first()
    if proposal is None:
        raise NotFound("proposals.errors.not_found")
    return proposal


def get_proposal(session: Session, proposal_id: object, *, viewer: Actor | None = None) -> Proposal:
    """A proposal anyone may read; a hidden one only for staff (and its author)."""
    proposal = load(session, proposal_id)
    if proposal.hidden_at is not None and not MATRIX.allows(viewer, "view_hidden") and (
            viewer is None or viewer.person_id != proposal.author_id):
        raise NotFound("proposals.errors.not_found")
    return proposal


def list_proposals(session: Session, *, now: datetime, area: str | None = None, status: str = "",
                   viewer: Actor | None = None, limit: int = 200) -> list[Proposal]:
    """Newest first; hidden ones only for staff (and only when asked for by status)."""
    query = select(Proposal).order_by(Proposal.created_at.desc(), Proposal.id.desc())
    if area is not None and area in rules.AREAS:
        query = query.where(Proposal.area == area)
    if status == rules.HIDDEN and MATRIX.allows(viewer, "view_hidden"):
        query = query.where(Proposal.hidden_at.is_not(None))
    else:
        query = query.where(Proposal.hidden_at.is_(None))
    rows = list(session.exec(query.limit(limit * 4)))
    if status and status != rules.HIDDEN:
        rows = [p for p in rows if status_of(p, now) == status]
    return rows[:limit]


def public_names(session: Session, person_ids: list[int | None], lang: str = "el") -> dict[int, str]:
    """The name each author chose to show (nickname, else display name); never anything else."""
    from syros_app.core.i18n import translate

    ids = sorted({i for i in person_ids if i is not None})
    if not ids:
        return {}
    names = {}
    for person in session.exec(select(Person).where(Person.id.in_(ids))):
        names[person.id] = translate("identity.deleted_user", lang) if person.deleted_at else (
            person.nickname or person.display_name)
    return names


def has_supported(session: Session, proposal_id: int, person_id: int) -> bool:
    return session.exec(select(ProposalSupport.id).where(ProposalSupport.proposal_id == proposal_id,
                                                         ProposalSupport.person_id == person_id)).first() is not None


def with_photo(session: Session, proposal_ids: list[int]) -> set[int]:
    if not proposal_ids:
        return set()
    return set(session.exec(select(ProposalPhoto.proposal_id).where(ProposalPhoto.proposal_id.in_(proposal_ids))))


def photo_of(session: Session, proposal_id: object) -> ProposalPhoto | None:
    """The photo of a proposal the public may read (none for a hidden one)."""
    try:
        proposal = get_proposal(session, proposal_id)
    except NotFound:
        return None
    return session.exec(select(ProposalPhoto).where(ProposalPhoto.proposal_id == proposal.id)).first()


def awaiting_answer(session: Session) -> list[Proposal]:
    """Past their threshold, not answered, not hidden: the municipality owes an answer."""
    return list(session.exec(select(Proposal).where(
        Proposal.reached_at.is_not(None), Proposal.answered_at.is_(None), Proposal.hidden_at.is_(None))
        .order_by(Proposal.answer_due_at, Proposal.id)))


# --- links to other capabilities, by (kind, id) ---------------------------------------------------

def link_url(kind: str | None, target_id: int | None) -> str:
    if kind not in rules.LINK_URLS or target_id is None:
        return ""
    return rules.LINK_URLS[kind].format(id=target_id)


def link_title(session: Session, target: str) -> str | None:
    """A visible proposal's title for the tracker's links (None: no such proposal)."""
    try:
        return get_proposal(session, target).title
    except NotFound:
        return None


def answer_target_title(session: Session, kind: str | None, target_id: int | None, *,
                        actor: Actor | None = None) -> str:
    """The title of what an answer opened, checked through its own capability's query;
    NotFound when it does not exist (or the actor may not see it)."""
    if kind == "consultation":
        from syros_app.consultations.queries import get_consultation

        return get_consultation(session, target_id, actor=actor).title
    if kind == "vote":
        from syros_app.voting.queries import public_vote

        return public_vote(session, target_id, staff=actor is not None and actor.is_staff).title
    raise NotFound("proposals.errors.link_not_found")


def safe_link_title(session: Session, kind: str | None, target_id: int | None, *,
                    actor: Actor | None = None) -> str:
    """The title, or "" when the target is gone or not visible to ``actor`` (a draft the answer
    started, before staff open it)."""
    try:
        return answer_target_title(session, kind, target_id, actor=actor)
    except AgoraError:
        return ""


def link_choices(session: Session, actor: Actor | None) -> list[tuple[str, int, str]]:
    """(kind, id, title) of consultations and votes an answer may link to."""
    from syros_app.consultations.models import Consultation
    from syros_app.voting.models import Vote

    found = [("consultation", c.id, c.title) for c in session.exec(
        select(Consultation).order_by(Consultation.id.desc()).limit(50))]
    found += [("vote", v.id, v.title) for v in session.exec(select(Vote).order_by(Vote.id.desc()).limit(50))]
    return found


def largest_roll(session: Session) -> int | None:
    """The voter roll with the most entries (the island's), for a vote an answer prepares."""
    from syros_app.voting.queries import rolls

    found = sorted(rolls(session), key=lambda pair: (-pair[1], pair[0].id))
    return found[0][0].id if found else None


def proposals_linked_to(session: Session, kind: str, target_id: int) -> list[Proposal]:
    """Visible proposals whose answer opened this consultation or vote (the link back)."""
    return list(session.exec(select(Proposal).where(
        Proposal.link_kind == kind, Proposal.link_id == target_id, Proposal.hidden_at.is_(None))
        .order_by(Proposal.id)))


# --- open data and figures -----------------------------------------------------------------------

def _iso(value: datetime | None) -> str | None:
    from syros_app.core.timefmt import as_utc

    return as_utc(value).isoformat(timespec="seconds") if value else None


OPEN_FIELDS = ("id", "title", "body", "area", "author", "created_at", "collect_until", "share", "residents",
               "threshold", "supports", "status", "overdue", "reached_at", "answer_due_at", "answered_at",
               "answered_on_time", "answer", "link_kind", "link_id", "link_url", "url")


def open_data(session: Session, *, now: datetime) -> list[dict]:
    """Every visible proposal, with nothing personal beyond the author's public name."""
    rows = list(session.exec(select(Proposal).where(Proposal.hidden_at.is_(None)).order_by(Proposal.id)))
    names = public_names(session, [p.author_id for p in rows])
    from syros_app.core.i18n import translate

    return [{
        "id": p.id, "title": p.title, "body": p.body, "area": p.area or "*",
        "author": names.get(p.author_id) if p.author_id else translate("identity.deleted_user", "el"),
        "created_at": _iso(p.created_at), "collect_until": _iso(p.collect_until), "share": p.share,
        "residents": p.residents, "threshold": p.threshold, "supports": p.support_count,
        "status": status_of(p, now), "overdue": is_overdue(p, now), "reached_at": _iso(p.reached_at),
        "answer_due_at": _iso(p.answer_due_at), "answered_at": _iso(p.answered_at),
        "answered_on_time": rules.answered_on_time(p.answered_at, p.answer_due_at) if p.answered_at else None,
        "answer": p.answer, "link_kind": p.link_kind, "link_id": p.link_id,
        "link_url": link_url(p.link_kind, p.link_id) or None, "url": f"/proposals/{p.id}",
    } for p in rows]


def participation(session: Session, *, now: datetime) -> list[tuple[str, str, int]]:
    """(municipal unit, age band, distinct verified residents who proposed or supported),
    every unit × band (zeros included), then the unknowns; deleted accounts no longer count."""
    authors = select(Proposal.author_id.label("pid")).where(Proposal.author_id.is_not(None))
    supporters = select(ProposalSupport.person_id.label("pid")).where(ProposalSupport.person_id.is_not(None))
    people = authors.union(supporters).subquery()
    rows = session.exec(select(Person.id, Person.birth_year, Person.taxid_hmac)
                        .join(people, people.c.pid == Person.id).where(Person.taxid_hmac.is_not(None))).all()
    units = _units(session, [t for _, _, t in rows])
    counts: dict[tuple[str, str], int] = {}
    for _pid, birth_year, taxid in rows:
        key = (units.get(taxid) or rules.UNKNOWN, rules.age_band(birth_year, now.year))
        counts[key] = counts.get(key, 0) + 1
    out = [(u, b, counts.pop((u, b), 0)) for u in rules.MUNICIPAL_UNITS for b in rules.AGE_BANDS]
    return out + sorted((u, b, n) for (u, b), n in counts.items())


def _units(session: Session, taxids: list[str]) -> dict[str, str]:
    units: dict[str, str] = {}
    for i in range(0, len(taxids), 500):
        for taxid, unit in session.exec(select(VoterRollEntry.taxid_hmac, VoterRollEntry.municipal_unit).where(
                VoterRollEntry.taxid_hmac.in_(taxids[i:i + 500]), VoterRollEntry.municipal_unit.is_not(None))):
            units.setdefault(taxid, unit)
    return units

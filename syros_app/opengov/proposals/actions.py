"""Writes of residents' proposals: upload a photo, propose, support, answer, hide, restore.

Each is an action (``core.actions.action``): the role matrix first, typed input, and the
caller's ``session_scope`` commits — the proposal, its audit row and its outbox rows
stand or fall together. Supports rely on the unique (proposal, person) constraint: a
double click racing itself, or two tabs, leave one row.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core.actions import action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import AgoraError, InvalidInput, NotFound
from syros_app.core.i18n import translate
from syros_app.core.settings import proposal_answer_working_days, proposal_collect_days, proposal_support_share
from syros_app.notices.outbox import add_message, recipients_of_person
from syros_app.reports.photos import process_photo

from . import queries, rules
from .models import Proposal, ProposalPhoto, ProposalSupport
from .permissions import MATRIX

PENDING_PHOTO_HOURS = 24  # an upload never followed by a proposal is dropped after this


def proposal_url(proposal_id: int) -> str:
    return f"/proposals/{proposal_id}"


def _verified(session: Session, actor: Actor) -> str | None:
    """The actor's municipal unit, when they are a verified resident (on a voter roll)."""
    on_roll, unit = queries.roll_unit(session, actor.taxid_hmac)
    if not on_roll:
        raise AgoraError("proposals.errors.not_verified")
    return unit


def _text(value: str | None, *, field: str, minimum: int, maximum: int) -> str:
    text = rules.clean_text(value, maximum + 1)
    if len(text) < minimum:
        raise InvalidInput(f"proposals.errors.{field}_short", n=minimum, field=field)
    if len(text) > maximum:
        raise InvalidInput(f"proposals.errors.{field}_long", n=maximum, field=field)
    return text


@action(MATRIX, "create_proposal")
def upload_photo(session: Session, *, actor: Actor, data: bytes, now: datetime) -> str:
    """Clean (type and size checked by content, metadata dropped) and keep a photo until the
    proposal is sent; returns its token. The uploader's older unclaimed uploads go."""
    _verified(session, actor)
    photo = process_photo(data)
    session.execute(delete(ProposalPhoto).where(
        ProposalPhoto.proposal_id.is_(None),
        (ProposalPhoto.owner_id == actor.person_id)
        | (ProposalPhoto.created_at < now - timedelta(hours=PENDING_PHOTO_HOURS))))
    token = secrets.token_urlsafe(18)
    session.add(ProposalPhoto(token=token, owner_id=actor.person_id, data=photo.data, width=photo.width,
                              height=photo.height, created_at=now))
    session.flush()
    return token


@action(MATRIX, "create_proposal")
def create_proposal(session: Session, *, actor: Actor, title: str, body: str, area: str = "",
                    photo_token: str = "", now: datetime) -> Proposal:
    """Propose: the threshold is fixed now, from the residents of the area on the rolls."""
    _verified(session, actor)
    title = _text(title, field="title", minimum=rules.TITLE_MIN, maximum=rules.TITLE_MAX)
    body = _text(body, field="body", minimum=rules.BODY_MIN, maximum=rules.BODY_MAX)
    if area not in rules.AREAS:
        raise InvalidInput("proposals.errors.area", field="area")
    photo = None
    if photo_token:
        photo = session.exec(select(ProposalPhoto).where(ProposalPhoto.token == photo_token[:40],
                                                         ProposalPhoto.owner_id == actor.person_id,
                                                         ProposalPhoto.proposal_id.is_(None))).first()
        if photo is None:
            raise InvalidInput("proposals.errors.photo_gone", field="photo")
    share = rules.parse_share(proposal_support_share())
    residents = queries.verified_residents(session, area)
    proposal = Proposal(title=title, body=body, area=area, author_id=actor.person_id, created_at=now,
                        collect_until=rules.collect_until(now, proposal_collect_days()), share=str(share),
                        residents=residents, threshold=rules.threshold(share, residents))
    session.add(proposal)
    session.flush()
    if photo is not None:
        photo.proposal_id = proposal.id
        session.add(photo)
        session.flush()
    return proposal


@action(MATRIX, "support_proposal")
def support_proposal(session: Session, *, actor: Actor, proposal_id: int, now: datetime) -> Proposal:
    """One support per verified person (of the proposal's unit, for a unit's proposal), while the
    proposal collects; the count is raised in
    SQL (never read-modify-write), and the moment the threshold is met starts the answer clock."""
    proposal = queries.get_proposal(session, proposal_id)
    MATRIX.enforce(actor, "support_proposal", proposal)
    unit = _verified(session, actor)
    if proposal.area and unit != proposal.area:  # the threshold counts that unit's residents: so do supports
        raise AgoraError("proposals.errors.support_other_area", area=proposal.area)
    if now > proposal.collect_until or queries.status_of(proposal, now) not in (rules.COLLECTING, rules.REACHED):
        raise AgoraError("proposals.errors.not_collecting")
    if queries.has_supported(session, proposal.id, actor.person_id):
        raise AgoraError("proposals.errors.support_twice")
    try:  # a savepoint: a double click racing itself is "twice", not a generic conflict
        with session.begin_nested():
            session.add(ProposalSupport(proposal_id=proposal.id, person_id=actor.person_id, created_at=now))
            session.flush()
    except IntegrityError as exc:
        raise AgoraError("proposals.errors.support_twice") from exc
    session.execute(update(Proposal).where(Proposal.id == proposal.id)
                    .values(support_count=Proposal.support_count + 1))
    due = rules.answer_due(now, proposal_answer_working_days())
    session.execute(update(Proposal).where(Proposal.id == proposal.id, Proposal.reached_at.is_(None),
                                           Proposal.support_count >= Proposal.threshold)
                    .values(reached_at=now, answer_due_at=due))
    session.refresh(proposal)
    return proposal


def _notify_answer(session: Session, proposal: Proposal, now: datetime) -> None:
    """The author and every supporter hear of the answer, through the outbox, in this transaction."""
    people = {proposal.author_id, *session.exec(select(ProposalSupport.person_id).where(
        ProposalSupport.proposal_id == proposal.id))}
    recipients = [r for pid in sorted(p for p in people if p is not None) for r in recipients_of_person(session, pid)]
    add_message(session, source=f"proposal.answered:{proposal.id}",
                title=translate("proposals.notice.answered_title", "el", title=proposal.title)[:200],
                body=translate("proposals.notice.answered_body", "el"), url=proposal_url(proposal.id),
                urgent=False, recipients=recipients, now=now)


def _answerable(session: Session, proposal_id: int, answer: str) -> tuple[Proposal, str]:
    """The proposal, locked, when it may still be answered; and the answer's checked text."""
    proposal = queries.load(session, proposal_id, for_update=True)
    if proposal.hidden_at is not None:
        raise AgoraError("proposals.errors.hidden")
    if proposal.answered_at is not None:
        raise AgoraError("proposals.errors.already_answered")
    return proposal, _text(answer, field="answer", minimum=rules.ANSWER_MIN, maximum=rules.ANSWER_MAX)


def _record_answer(session: Session, actor: Actor, proposal: Proposal, answer: str, link_kind: str,
                   link_id: int | None, now: datetime, *, created: bool = False) -> Proposal:
    """Store the answer and its link, audit it and tell the author and supporters."""
    proposal.answer, proposal.answered_at, proposal.answered_by = answer, now, actor.person_id
    proposal.link_kind, proposal.link_id = (link_kind, link_id) if link_kind else (None, None)
    session.add(proposal)
    session.flush()
    audit(session, actor, "proposals.answer", f"proposal:{proposal.id}", now=now,
          details={"link": queries.link_url(proposal.link_kind, proposal.link_id) or None,
                   "created": link_kind if created else None,
                   "on_time": rules.answered_on_time(now, proposal.answer_due_at)
                   if proposal.answer_due_at else None})
    _notify_answer(session, proposal, now)
    return proposal


@action(MATRIX, "answer_proposal")
def answer_proposal(session: Session, *, actor: Actor, proposal_id: int, answer: str, link_kind: str = "",
                    link_id: int | None = None, now: datetime) -> Proposal:
    """The municipality's answer, once; it may name the consultation or vote it opened."""
    proposal, answer = _answerable(session, proposal_id, answer)
    if link_kind:
        if link_kind not in rules.LINK_KINDS or link_id is None:
            raise InvalidInput("proposals.errors.link_not_found", field="link")
        try:
            queries.answer_target_title(session, link_kind, link_id, actor=actor)
        except NotFound:
            raise InvalidInput("proposals.errors.link_not_found", field="link") from None
    return _record_answer(session, actor, proposal, answer, link_kind, link_id, now)


@action(MATRIX, "start_consultation")
def answer_with_consultation(session: Session, *, actor: Actor, proposal_id: int, answer: str,
                             now: datetime) -> Proposal:
    """Answer by starting a consultation: a DRAFT made by the consultations' own action (its
    title and summary from the proposal, one section with the proposal's text), linked to
    the proposal in this same transaction. Staff edit its dates and open it from its page."""
    from syros_app.consultations.actions import create_consultation

    proposal, answer = _answerable(session, proposal_id, answer)
    opens = now + timedelta(days=rules.DRAFT_OPENS_AFTER_DAYS)
    consultation = create_consultation(
        session, actor=actor, title=proposal.title, summary=rules.summary_of(proposal.body),
        category=rules.DRAFT_CATEGORY, area=proposal.area or None, opens_at=opens,
        closes_at=opens + timedelta(days=rules.DRAFT_CONSULTATION_DAYS),
        sections=((proposal.title, proposal.body),), now=now)
    return _record_answer(session, actor, proposal, answer, "consultation", consultation.id, now, created=True)


@action(MATRIX, "prepare_vote")
def answer_with_vote(session: Session, *, actor: Actor, proposal_id: int, answer: str, now: datetime) -> Proposal:
    """Answer by preparing a vote: a yes/no DRAFT made by voting's own action (its title and
    question from the proposal, the residents of the proposal's area on the largest voter
    roll), linked in this transaction. Setting it up — trustees, dates — and opening it
    stay with voting."""
    from syros_app.voting.actions import create_vote

    proposal, answer = _answerable(session, proposal_id, answer)
    vote = create_vote(session, actor=actor, title=proposal.title,
                       question=translate("proposals.draft.vote_question", "el", title=proposal.title)[:500],
                       explanation=proposal.body, kind="yes_no", roll_id=queries.largest_roll(session),
                       municipal_unit=proposal.area or None, now=now)
    return _record_answer(session, actor, proposal, answer, "vote", vote.id, now, created=True)


@action(MATRIX, "hide_proposal")
def hide_proposal(session: Session, *, actor: Actor, proposal_id: int, reason: str, now: datetime) -> Proposal:
    """Hide with a reason (shown to staff and the author); the audit log keeps who and why."""
    proposal = queries.load(session, proposal_id, for_update=True)
    reason = _text(reason, field="reason", minimum=rules.REASON_MIN, maximum=rules.REASON_MAX)
    if proposal.hidden_at is not None:
        raise AgoraError("proposals.errors.already_hidden")
    proposal.hidden_at, proposal.hidden_reason, proposal.hidden_by = now, reason, actor.person_id
    session.add(proposal)
    session.flush()
    audit(session, actor, "proposals.hide", f"proposal:{proposal.id}", now=now, details={"reason": reason})
    return proposal


@action(MATRIX, "restore_proposal")
def restore_proposal(session: Session, *, actor: Actor, proposal_id: int, now: datetime) -> Proposal:
    proposal = queries.load(session, proposal_id, for_update=True)
    if proposal.hidden_at is None:
        raise AgoraError("proposals.errors.not_hidden")
    previous = proposal.hidden_reason
    proposal.hidden_at, proposal.hidden_reason, proposal.hidden_by = None, "", None
    session.add(proposal)
    session.flush()
    audit(session, actor, "proposals.restore", f"proposal:{proposal.id}", now=now, details={"reason": previous})
    return proposal

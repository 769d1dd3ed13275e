"""Every write of consultations: one action per use case (``core.actions.action``).

The decorator checks the role matrix (:mod:`.permissions`) before anything else,
validates the typed input and fills ``now``; the body checks the subject (the state of
the consultation, whose comment it is), writes, records the audit row when staff act
and publishes domain events — all in the caller's transaction. Nothing here commits:
``core.db.session_scope`` does, so a refusal leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import Field
from sqlalchemy import func, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core import events, stored_files
from syros_app.core.actions import MAX_ID, action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import AgoraError, InvalidInput, NotFound
from syros_app.core.timefmt import as_utc, format_local
from syros_app.identity.models import Person
from syros_app.identity.roles import MUNICIPAL_UNITS

from . import queries, rules
from .queries import ATTACHMENT_KIND
from .models import Attachment, Comment, CommentFlag, CommentSupport, Consultation, ModerationBlock, Response
from .models import Section, SectionVersion
from .permissions import MATRIX

_RATE_LOCK_NAMESPACE = 7_202_612  # pg advisory lock namespace: "comment rate limit"
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]  # an id inside a list (a bad one is invalid input)


# --- loading and checks ----------------------------------------------------------------------

def _consultation(session: Session, consultation_id: int, *, for_update: bool = False) -> Consultation:
    return queries.load(session, Consultation, consultation_id, for_update=for_update)


def _comment(session: Session, comment_id: int, *, for_update: bool = False) -> Comment:
    return queries.load(session, Comment, comment_id, for_update=for_update)


def _text(value: object, *, key: str, minimum: int, maximum: int) -> str:
    cleaned = rules.clean_text(value)
    if len(cleaned) < minimum:
        raise InvalidInput(f"consultations.errors.{key}_too_short", minimum=minimum)
    if len(cleaned) > maximum:
        raise InvalidInput(f"consultations.errors.{key}_too_long", maximum=maximum)
    return cleaned


def _in_status(row: Consultation | Comment, status: str, error_key: str) -> None:
    """Refuse a step the row's current status does not allow (``error_key`` says why)."""
    if row.status != status:
        raise AgoraError(error_key)


def _not_published(consultation: Consultation) -> None:
    if consultation.status == "report_published":
        raise AgoraError("consultations.errors.report_already_published")


def _accepting(consultation: Consultation, now: datetime) -> None:
    if not rules.accepts_comments(consultation.status, as_utc(consultation.opens_at), as_utc(consultation.closes_at), now):
        raise AgoraError("consultations.errors.not_accepting_comments")


def _require_ended(consultation: Consultation, now: datetime) -> None:
    phase = queries.phase_of(consultation, now)
    if phase == "report_published":
        raise AgoraError("consultations.errors.report_already_published")
    if phase != "closed":
        raise AgoraError("consultations.errors.not_closed")


def _details(title, summary, category, area, opens_at, closes_at, moderation_mode) -> dict:
    """The checked fields of a consultation's form, as column values."""
    title = _text(title, key="title", minimum=3, maximum=rules.TITLE_MAX)
    summary = _text(summary, key="summary", minimum=0, maximum=rules.SUMMARY_MAX)
    if category not in rules.CATEGORIES:
        raise InvalidInput("consultations.errors.bad_category")
    area = area or None
    if area is not None and area not in MUNICIPAL_UNITS:
        raise InvalidInput("consultations.errors.bad_area")
    if moderation_mode not in rules.MODERATION_MODES:
        raise InvalidInput("consultations.errors.bad_moderation_mode")
    if opens_at is None or closes_at is None:
        raise InvalidInput("consultations.errors.bad_dates")
    opens_at, closes_at = as_utc(opens_at), as_utc(closes_at)
    if closes_at <= opens_at:
        raise InvalidInput("consultations.errors.closes_before_opens")
    return {"title": title, "summary": summary, "category": category, "area": area, "opens_at": opens_at,
            "closes_at": closes_at, "moderation_mode": moderation_mode}


# --- staff: consultations and their text -----------------------------------------------------

@action(MATRIX, "create")
def create_consultation(session: Session, *, actor: Actor, title: str, summary: str, category: str,
                        opens_at: datetime | None, closes_at: datetime | None, area: str | None = None,
                        moderation_mode: str = "post", sections: tuple[tuple[str, str], ...] = (),
                        now: datetime) -> Consultation:
    fields = _details(title, summary, category, area, opens_at, closes_at, moderation_mode)
    consultation = Consultation(**fields, status="draft", created_at=now, created_by=actor.person_id)
    session.add(consultation)
    session.flush()
    audit(session, actor, "consultations.create", f"consultation:{consultation.id}", now=now,
          details={"title": fields["title"]})
    for section_title, body in sections:
        add_section(session, actor=actor, consultation_id=consultation.id, title=section_title, body=body, now=now)
    return consultation


@action(MATRIX, "edit")
def update_consultation(session: Session, *, actor: Actor, consultation_id: int, title: str, summary: str,
                        category: str, opens_at: datetime | None, closes_at: datetime | None,
                        area: str | None = None, moderation_mode: str = "post", now: datetime) -> Consultation:
    consultation = _consultation(session, consultation_id, for_update=True)
    _not_published(consultation)
    changed = {}
    for name, value in _details(title, summary, category, area, opens_at, closes_at, moderation_mode).items():
        old = getattr(consultation, name)
        if (as_utc(old) if isinstance(old, datetime) else old) != value:
            changed[name] = value.isoformat() if isinstance(value, datetime) else value
            setattr(consultation, name, value)
    session.add(consultation)
    session.flush()
    audit(session, actor, "consultations.edit", f"consultation:{consultation.id}", now=now, details={"changed": changed})
    return consultation


def _section_text(title: object, body: object) -> tuple[str, str]:
    return (_text(title, key="section_title", minimum=2, maximum=rules.TITLE_MAX),
            _text(body, key="section_body", minimum=1, maximum=rules.SECTION_BODY_MAX))


@action(MATRIX, "edit")
def add_section(session: Session, *, actor: Actor, consultation_id: int, title: str, body: str,
                now: datetime) -> Section:
    consultation = _consultation(session, consultation_id, for_update=True)
    if consultation.status not in ("draft", "open"):
        raise AgoraError("consultations.errors.text_locked")
    title, body = _section_text(title, body)
    position = (session.exec(select(func.max(Section.position)).where(Section.consultation_id == consultation.id)).one() or 0) + 1
    section = Section(consultation_id=consultation.id, position=position, title=title, body=body, version=1)
    session.add(section)
    session.flush()
    session.add(SectionVersion(section_id=section.id, version=1, title=title, body=body, created_at=now,
                               created_by=actor.person_id, note=""))
    session.flush()
    audit(session, actor, "consultations.add_section", f"section:{section.id}", now=now,
          details={"consultation_id": consultation.id, "position": position})
    return section


@action(MATRIX, "edit")
def edit_section(session: Session, *, actor: Actor, section_id: int, title: str, body: str, note: str = "",
                 now: datetime) -> Section:
    """Change an article's wording. Once a consultation is open every change is a new,
    publicly visible version; in a draft the text is simply corrected."""
    section = queries.load(session, Section, section_id)
    consultation = _consultation(session, section.consultation_id, for_update=True)
    _not_published(consultation)
    title, body = _section_text(title, body)
    note = _text(note, key="note", minimum=0, maximum=rules.REASON_MAX)
    if title == section.title and body == section.body:
        return section
    if consultation.status == "draft":
        version = session.exec(select(SectionVersion).where(SectionVersion.section_id == section.id,
                                                            SectionVersion.version == section.version)).one()
        version.title, version.body, version.note = title, body, note
        session.add(version)
    else:
        section.version += 1
        session.add(SectionVersion(section_id=section.id, version=section.version, title=title, body=body,
                                   note=note, created_at=now, created_by=actor.person_id))
    section.title, section.body = title, body
    session.add(section)
    session.flush()
    audit(session, actor, "consultations.edit_section", f"section:{section.id}", now=now,
          details={"version": section.version, "note": note})
    return section


@action(MATRIX, "respond")
def set_change_summary(session: Session, *, actor: Actor, section_id: int, summary: str, now: datetime) -> Section:
    """For the report: what changed in this article's final text, in words."""
    section = queries.load(session, Section, section_id)
    _not_published(_consultation(session, section.consultation_id))
    section.change_summary = _text(summary, key="response", minimum=0, maximum=rules.RESPONSE_MAX)
    session.add(section)
    session.flush()
    audit(session, actor, "consultations.change_summary", f"section:{section.id}", now=now,
          details={"length": len(section.change_summary)})
    return section


@action(MATRIX, "open")
def open_consultation(session: Session, *, actor: Actor, consultation_id: int, now: datetime) -> Consultation:
    consultation = _consultation(session, consultation_id, for_update=True)
    _in_status(consultation, "draft", "consultations.errors.not_draft")
    if as_utc(consultation.closes_at) <= now:
        raise AgoraError("consultations.errors.closes_in_past")
    if session.exec(select(func.count()).select_from(Section).where(Section.consultation_id == consultation.id)).one() == 0:
        raise AgoraError("consultations.errors.no_sections")
    consultation.status = "open"
    consultation.opened_at = now
    session.add(consultation)
    session.flush()
    audit(session, actor, "consultations.open", f"consultation:{consultation.id}", now=now,
          details={"opens_at": as_utc(consultation.opens_at).isoformat(),
                   "closes_at": as_utc(consultation.closes_at).isoformat()})
    events.publish(session, "consultation.opened", {
        "consultation_id": consultation.id, "title": consultation.title, "area": consultation.area,
        "category": consultation.category, "url": rules.consultation_url(consultation.id),
    }, now=now)
    return consultation


@action(MATRIX, "close")
def close_consultation(session: Session, *, actor: Actor, consultation_id: int, reason: str = "",
                       now: datetime) -> Consultation:
    """Close now; closing before the announced date needs a reason (kept in the audit log
    and announced with the closing)."""
    consultation = _consultation(session, consultation_id, for_update=True)
    _in_status(consultation, "open", "consultations.errors.not_open_for_closing")
    early = as_utc(consultation.closes_at) > now
    reason = _text(reason, key="reason", minimum=10 if early else 0, maximum=rules.REASON_MAX)
    consultation.status = "closed"
    consultation.closed_at = now
    if as_utc(consultation.closes_at) > now:
        consultation.closes_at = now
    session.add(consultation)
    session.flush()
    audit(session, actor, "consultations.close", f"consultation:{consultation.id}", now=now,
          details={"early": early, **({"reason": reason} if reason else {})})
    return consultation


@action(MATRIX, "publish_report")
def publish_report(session: Session, *, actor: Actor, consultation_id: int, summary: str,
                   now: datetime) -> Consultation:
    consultation = _consultation(session, consultation_id, for_update=True)
    _require_ended(consultation, now)
    consultation.report_summary = _text(summary, key="report_summary", minimum=10, maximum=rules.REPORT_SUMMARY_MAX)
    if consultation.closed_at is None:
        consultation.closed_at = as_utc(consultation.closes_at)
    consultation.status = "report_published"
    consultation.report_published_at = now
    session.add(consultation)
    session.flush()
    answered = session.exec(select(func.count()).select_from(Comment).where(
        Comment.consultation_id == consultation.id, Comment.response_id.is_not(None))).one()
    audit(session, actor, "consultations.publish_report", f"consultation:{consultation.id}", now=now,
          details={"answered_comments": answered})
    return consultation


@action(MATRIX, "respond")
def record_response(session: Session, *, actor: Actor, consultation_id: int, comment_ids: list[RowId],
                    outcome: str, reason: str, now: datetime) -> Response:
    """One answer to one comment or a group of comments (replacing an earlier answer)."""
    consultation = _consultation(session, consultation_id, for_update=True)
    _require_ended(consultation, now)
    if outcome not in rules.OUTCOMES:
        raise InvalidInput("consultations.errors.bad_outcome")
    reason = _text(reason, key="response", minimum=3, maximum=rules.RESPONSE_MAX)
    ids = sorted(set(comment_ids))
    if not ids:
        raise InvalidInput("consultations.errors.no_comments_selected")
    comments = session.exec(select(Comment).where(Comment.id.in_(ids))).all()
    if len(comments) != len(ids) or any(c.consultation_id != consultation.id for c in comments):
        raise NotFound("consultations.errors.comment_not_found")
    response = Response(consultation_id=consultation.id, outcome=outcome, reason=reason, created_at=now,
                        created_by=actor.person_id)
    session.add(response)
    session.flush()
    for comment in comments:
        comment.response_id = response.id
        session.add(comment)
    session.flush()
    audit(session, actor, "consultations.respond", f"response:{response.id}", now=now,
          details={"consultation_id": consultation.id, "comment_ids": ids, "outcome": outcome})
    return response


@action(MATRIX, "attach")
def add_attachment(session: Session, *, actor: Actor, consultation_id: int, filename: str, data: bytes,
                   now: datetime) -> Attachment:
    """Keep a PDF, PNG or JPEG (type read from its bytes, size capped) under the data folder."""
    consultation = _consultation(session, consultation_id)
    _not_published(consultation)
    if not data:
        raise InvalidInput("consultations.errors.attachment_empty")
    limit = rules.attachment_max_bytes()
    if len(data) > limit:
        raise InvalidInput("consultations.errors.attachment_too_large", maximum=limit // (1024 * 1024))
    content_type = rules.sniff_type(data[:16])
    if content_type is None:
        raise InvalidInput("consultations.errors.attachment_type")
    name = rules.safe_filename(filename)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    name = (stem or "attachment") + rules.ATTACHMENT_TYPES[content_type]
    storage_name = secrets.token_hex(16) + rules.ATTACHMENT_TYPES[content_type]
    stored_files.put(session, kind=ATTACHMENT_KIND, data=data, content_type=content_type, now=now, name=storage_name)
    attachment = Attachment(consultation_id=consultation.id, filename=name, content_type=content_type,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_name=storage_name,
                            created_at=now, created_by=actor.person_id)
    session.add(attachment)
    session.flush()
    audit(session, actor, "consultations.attach", f"attachment:{attachment.id}", now=now,
          details={"consultation_id": consultation.id, "filename": name, "size": len(data), "type": content_type})
    return attachment


# --- residents: comments, replies, support, flags --------------------------------------------

def _check_not_blocked(session: Session, actor: Actor, now: datetime) -> None:
    block = queries.active_block(session, actor.person_id, now)
    if block is not None:
        raise AgoraError("consultations.errors.blocked", until=format_local(block.until))


def _check_rate(session: Session, actor: Actor, now: datetime) -> None:
    """At most N comments per person per 10 minutes, counted in the database (all processes)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:ns, :person)"),
                        {"ns": _RATE_LOCK_NAMESPACE, "person": actor.person_id})
    recent = session.exec(select(func.count()).select_from(Comment).where(
        Comment.person_id == actor.person_id, Comment.created_at > now - rules.RATE_WINDOW)).one()
    if recent >= rules.comments_per_window():
        raise AgoraError("consultations.errors.rate_limited", count=rules.comments_per_window(), minutes=10)


def _publish_reply(session: Session, comment: Comment, now: datetime) -> None:
    if comment.parent_id is None or comment.status != "visible":
        return
    parent = session.get(Comment, comment.parent_id)
    if parent is None or parent.person_id == comment.person_id:
        return
    events.publish(session, "comment.replied", {
        "comment_id": parent.id, "reply_id": comment.id, "person_id": parent.person_id,
        "url": f"{rules.consultation_url(comment.consultation_id)}#comment-{comment.id}",
    }, now=now)


def _awaits_moderation(session: Session, comment: Comment, actor: Actor, now: datetime) -> None:
    """A comment held for a moderator, or flagged for the first time: the moderators are told
    (``notices/staff_alerts.py``), not the person who wrote or flagged it."""
    consultation = session.get(Consultation, comment.consultation_id)
    events.publish(session, "comment.awaiting_moderation", {
        "comment_id": comment.id, "consultation_id": comment.consultation_id,
        "title": consultation.title if consultation else "", "actor_id": actor.person_id, "url": "/staff/moderation",
    }, now=now)


@action(MATRIX, "comment")
def post_comment(session: Session, *, actor: Actor, consultation_id: int, body: str, section_id: int | None = None,
                 parent_id: int | None = None, now: datetime) -> Comment:
    """A comment on the whole text or one article, or (``parent_id``) a reply."""
    if parent_id:
        MATRIX.enforce(actor, "reply")
    consultation = _consultation(session, consultation_id)
    if consultation.status == "draft":
        raise NotFound("consultations.errors.not_found")
    _accepting(consultation, now)
    _check_not_blocked(session, actor, now)
    body = _text(body, key="comment", minimum=rules.COMMENT_MIN, maximum=rules.COMMENT_MAX)
    parent = None
    if parent_id:
        parent = _comment(session, parent_id)
        if parent.consultation_id != consultation.id:
            raise NotFound("consultations.errors.comment_not_found")
        if parent.status != "visible" or parent.withdrawn_at is not None:
            raise AgoraError("consultations.errors.cannot_reply")
        if parent.depth >= rules.MAX_DEPTH:
            raise AgoraError("consultations.errors.too_deep")
        section_id = parent.section_id
    elif section_id:
        section = queries.load(session, Section, section_id)
        if section.consultation_id != consultation.id:
            raise NotFound("consultations.errors.section_not_found")
    else:
        section_id = None
    _check_rate(session, actor, now)
    comment = Comment(
        consultation_id=consultation.id, section_id=section_id, section_key=section_id or 0,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=(parent.depth + 1) if parent else 0,
        person_id=actor.person_id, body=body,
        status="pending" if consultation.moderation_mode == "pre" else "visible",
        created_at=now,
    )
    session.add(comment)
    session.flush()
    _publish_reply(session, comment, now)
    if comment.status == "pending":
        _awaits_moderation(session, comment, actor, now)
    return comment


def _own_editable(session: Session, actor: Actor, permission: str, comment_id: int, now: datetime) -> Comment:
    """The actor's own comment, still within the edit window of an open consultation."""
    comment = _comment(session, comment_id, for_update=True)
    MATRIX.enforce(actor, permission, comment)
    if comment.withdrawn_at is not None or comment.status == "hidden":
        raise AgoraError("consultations.errors.comment_not_editable")
    if not rules.within_edit_window(as_utc(comment.created_at), now):
        raise AgoraError("consultations.errors.edit_window_passed", minutes=int(rules.EDIT_WINDOW.total_seconds() // 60))
    _accepting(session.get(Consultation, comment.consultation_id), now)
    return comment


@action(MATRIX, "edit_comment")
def edit_comment(session: Session, *, actor: Actor, comment_id: int, body: str, now: datetime) -> Comment:
    comment = _own_editable(session, actor, "edit_comment", comment_id, now)
    body = _text(body, key="comment", minimum=rules.COMMENT_MIN, maximum=rules.COMMENT_MAX)
    if body == comment.body:
        return comment
    comment.body = body
    comment.edited_at = now
    comment.links_approved = False
    held = session.get(Consultation, comment.consultation_id).moderation_mode == "pre" and comment.status != "pending"
    if held:
        comment.status = "pending"
    session.add(comment)
    session.flush()
    if held:
        _awaits_moderation(session, comment, actor, now)
    return comment


@action(MATRIX, "withdraw")
def withdraw_comment(session: Session, *, actor: Actor, comment_id: int, now: datetime) -> Comment:
    """The author takes a comment back: its text is erased; replies stay in place."""
    comment = _own_editable(session, actor, "withdraw", comment_id, now)
    comment.withdrawn_at = now
    comment.body = ""
    session.add(comment)
    session.flush()
    return comment


def _others_visible(session: Session, actor: Actor, comment_id: int, refusal: str) -> Comment:
    """A visible comment of someone else (what one may support or flag)."""
    comment = _comment(session, comment_id)
    if comment.status != "visible" or comment.withdrawn_at is not None:
        raise AgoraError(refusal)
    if comment.person_id == actor.person_id:
        raise AgoraError("consultations.errors.own_comment")
    return comment


@action(MATRIX, "support")
def support_comment(session: Session, *, actor: Actor, comment_id: int, value: str, now: datetime) -> str:
    """Agree or disagree with a comment; the same mark again removes it, the other one changes it.

    Returns the person's mark afterwards ("agree", "disagree" or "").
    """
    if value not in rules.SUPPORT_VALUES:
        raise InvalidInput("consultations.errors.bad_support")
    comment = _others_visible(session, actor, comment_id, "consultations.errors.cannot_support")
    _accepting(session.get(Consultation, comment.consultation_id), now)
    existing = session.exec(select(CommentSupport).where(CommentSupport.comment_id == comment.id,
                                                         CommentSupport.person_id == actor.person_id)).first()
    sign = 1 if value == "agree" else -1  # +1: the agree column, -1: the disagree column
    if existing is None:
        # A concurrent duplicate hits the unique constraint; the whole action then rolls back.
        # (No savepoint: on SQLite releasing an outermost savepoint would commit early.)
        try:
            session.add(CommentSupport(comment_id=comment.id, person_id=actor.person_id, value=value,
                                       created_at=now, updated_at=now))
            session.flush()
        except IntegrityError:
            raise AgoraError("consultations.errors.already_supported") from None
        result, agree, disagree = value, int(sign > 0), int(sign < 0)
    elif existing.value == value:
        session.delete(existing)
        result, agree, disagree = "", -int(sign > 0), -int(sign < 0)
    else:
        existing.value = value
        existing.updated_at = now
        session.add(existing)
        result, agree, disagree = value, sign, -sign
    session.flush()
    session.execute(update(Comment).where(Comment.id == comment.id).values(
        agree_count=Comment.agree_count + agree, disagree_count=Comment.disagree_count + disagree,
        support_score=Comment.support_score + agree - disagree))
    session.expire(comment)
    return result


@action(MATRIX, "flag")
def flag_comment(session: Session, *, actor: Actor, comment_id: int, reason: str, now: datetime) -> CommentFlag:
    comment = _others_visible(session, actor, comment_id, "consultations.errors.cannot_flag")
    reason = _text(reason, key="reason", minimum=3, maximum=rules.REASON_MAX)
    if session.exec(select(CommentFlag.id).where(CommentFlag.comment_id == comment.id,
                                                 CommentFlag.person_id == actor.person_id)).first() is not None:
        raise AgoraError("consultations.errors.already_flagged")
    flag = CommentFlag(comment_id=comment.id, person_id=actor.person_id, reason=reason, created_at=now)
    try:
        session.add(flag)
        session.flush()
    except IntegrityError:
        raise AgoraError("consultations.errors.already_flagged") from None
    if session.exec(select(func.count()).select_from(CommentFlag).where(CommentFlag.comment_id == comment.id)).one() == 1:
        _awaits_moderation(session, comment, actor, now)
    return flag


# --- moderation ------------------------------------------------------------------------------

def _moderate(session: Session, actor: Actor, comment: Comment, status: str, now: datetime, *,
              resolve_flags: bool = True) -> int:
    """Set a comment's status as a moderator; returns how many open flags this settled."""
    comment.status = status
    comment.moderated_at = now
    comment.moderated_by = actor.person_id
    session.add(comment)
    flags = []
    if resolve_flags:
        flags = session.exec(select(CommentFlag).where(CommentFlag.comment_id == comment.id,
                                                       CommentFlag.resolved_at.is_(None))).all()
    for flag in flags:
        flag.resolved_at = now
        flag.resolved_by = actor.person_id
        session.add(flag)
    session.flush()
    return len(flags)


@action(MATRIX, "approve")
def approve_comment(session: Session, *, actor: Actor, comment_id: int, now: datetime) -> Comment:
    """Publish a waiting comment, or keep a flagged one; either way its links become clickable."""
    comment = _comment(session, comment_id, for_update=True)
    if comment.status == "hidden" or comment.withdrawn_at is not None:
        raise AgoraError("consultations.errors.cannot_approve")
    was_pending = comment.status == "pending"
    comment.links_approved = True
    dismissed = _moderate(session, actor, comment, "visible", now)
    audit(session, actor, "consultations.approve", f"comment:{comment.id}", now=now,
          details={"was_pending": was_pending, "flags_dismissed": dismissed})
    if was_pending:
        _publish_reply(session, comment, now)
    return comment


@action(MATRIX, "hide")
def hide_comment(session: Session, *, actor: Actor, comment_id: int, reason: str, now: datetime) -> Comment:
    """Hide any comment — waiting, flagged or simply visible on the page — with a public reason."""
    comment = _comment(session, comment_id, for_update=True)
    reason = _text(reason, key="hide_reason", minimum=3, maximum=rules.REASON_MAX)
    if comment.status == "hidden":
        raise AgoraError("consultations.errors.already_hidden")
    previous = comment.status
    comment.hidden_reason = reason
    resolved = _moderate(session, actor, comment, "hidden", now)
    audit(session, actor, "consultations.hide", f"comment:{comment.id}", now=now,
          details={"reason": reason, "previous_status": previous, "flags_resolved": resolved})
    return comment


@action(MATRIX, "restore")
def restore_comment(session: Session, *, actor: Actor, comment_id: int, now: datetime) -> Comment:
    comment = _comment(session, comment_id, for_update=True)
    _in_status(comment, "hidden", "consultations.errors.not_hidden")
    comment.hidden_reason = ""
    _moderate(session, actor, comment, "visible", now, resolve_flags=False)
    audit(session, actor, "consultations.restore", f"comment:{comment.id}", now=now, details={})
    return comment


@action(MATRIX, "block")
def block_person(session: Session, *, actor: Actor, person_id: int, days: int, reason: str = "",
                 now: datetime) -> ModerationBlock:
    if not 1 <= days <= rules.BLOCK_MAX_DAYS:
        raise InvalidInput("consultations.errors.bad_days", maximum=rules.BLOCK_MAX_DAYS)
    target = session.get(Person, person_id)
    if target is None or target.deleted_at is not None:  # a deleted account holds nothing to block
        raise NotFound("consultations.errors.person_not_found")
    if person_id == actor.person_id:
        raise AgoraError("consultations.errors.cannot_block_self")
    reason = _text(reason, key="reason", minimum=0, maximum=rules.REASON_MAX)
    block = ModerationBlock(person_id=person_id, until=now + timedelta(days=days), reason=reason, created_at=now,
                            created_by=actor.person_id)
    session.add(block)
    session.flush()
    audit(session, actor, "consultations.block", f"person:{person_id}", now=now,
          details={"days": days, "until": block.until.isoformat(), "reason": reason})
    return block


@action(MATRIX, "unblock")
def unblock_person(session: Session, *, actor: Actor, person_id: int, now: datetime) -> int:
    blocks = session.exec(select(ModerationBlock).where(ModerationBlock.person_id == person_id,
                                                        ModerationBlock.until > now,
                                                        ModerationBlock.lifted_at.is_(None))).all()
    if not blocks:
        raise AgoraError("consultations.errors.not_blocked")
    for block in blocks:
        block.lifted_at = now
        session.add(block)
    session.flush()
    audit(session, actor, "consultations.unblock", f"person:{person_id}", now=now, details={"lifted": len(blocks)})
    return len(blocks)

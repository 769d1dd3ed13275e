"""Every write of consultations: one function per use case, one transaction each.

Actions take the acting person as ``actor`` (None = anonymous visitor), check
permission through :mod:`.permissions` first, validate, write, record an audit
entry when staff act and publish domain events in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core import audit, events
from syros_app.core.errors import AgoraError, InvalidInput, NotFound
from syros_app.core.settings import get_settings
from syros_app.core.timefmt import as_utc, format_local, utcnow
from syros_app.identity.models import Person
from syros_app.identity.roles import MUNICIPAL_UNITS, Actor

from . import permissions, rules
from .models import (
    Attachment,
    Comment,
    CommentFlag,
    CommentSupport,
    Consultation,
    ModerationBlock,
    Response,
    Section,
    SectionVersion,
)

_RATE_LOCK_NAMESPACE = 7_202_612  # pg advisory lock namespace: "comment rate limit"


def _now(now: datetime | None) -> datetime:
    return as_utc(now or utcnow())


def consultation_url(consultation_id: int) -> str:
    return f"/consultations/{consultation_id}"


def attachments_dir() -> Path:
    path = get_settings().data_dir / "attachments" / "consultations"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- loading ---------------------------------------------------------------------------------

def _load(session: Session, model, raw_id: object, not_found_key: str, *, for_update: bool = False):
    """The row of ``model`` with id ``raw_id`` (any client-sent value), or a typed NotFound."""
    try:
        row_id = int(raw_id)
    except (TypeError, ValueError):
        raise NotFound(not_found_key) from None
    stmt = select(model).where(model.id == row_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = session.exec(stmt).first()
    if row is None:
        raise NotFound(not_found_key)
    return row


def _consultation(session: Session, consultation_id: object, *, for_update: bool = False) -> Consultation:
    return _load(session, Consultation, consultation_id, "consultations.errors.not_found", for_update=for_update)


def _section(session: Session, section_id: object) -> Section:
    return _load(session, Section, section_id, "consultations.errors.section_not_found")


def _comment(session: Session, comment_id: object, *, for_update: bool = False) -> Comment:
    return _load(session, Comment, comment_id, "consultations.errors.comment_not_found", for_update=for_update)


# --- validation ------------------------------------------------------------------------------

def _text(value: object, *, key: str, minimum: int, maximum: int) -> str:
    cleaned = rules.clean_text(value)
    if len(cleaned) < minimum:
        raise InvalidInput(f"consultations.errors.{key}_too_short", minimum=minimum)
    if len(cleaned) > maximum:
        raise InvalidInput(f"consultations.errors.{key}_too_long", maximum=maximum)
    return cleaned


def _details(title, summary, category, area, opens_at, closes_at, moderation_mode):
    title = _text(title, key="title", minimum=3, maximum=rules.TITLE_MAX)
    summary = _text(summary, key="summary", minimum=0, maximum=rules.SUMMARY_MAX)
    if category not in rules.CATEGORIES:
        raise InvalidInput("consultations.errors.bad_category")
    area = area or None
    if area is not None and area not in MUNICIPAL_UNITS:
        raise InvalidInput("consultations.errors.bad_area")
    if moderation_mode not in rules.MODERATION_MODES:
        raise InvalidInput("consultations.errors.bad_moderation_mode")
    if not isinstance(opens_at, datetime) or not isinstance(closes_at, datetime):
        raise InvalidInput("consultations.errors.bad_dates")
    opens_at, closes_at = as_utc(opens_at), as_utc(closes_at)
    if closes_at <= opens_at:
        raise InvalidInput("consultations.errors.closes_before_opens")
    return title, summary, category, area, opens_at, closes_at, moderation_mode


# --- staff: consultations and their text -----------------------------------------------------

def create_consultation(
    session: Session,
    *,
    actor: Actor | None,
    title: str,
    summary: str,
    category: str,
    opens_at: datetime,
    closes_at: datetime,
    area: str | None = None,
    moderation_mode: str = "post",
    sections: Iterable[tuple[str, str]] = (),
    now: datetime | None = None,
) -> Consultation:
    actor = permissions.enforce(actor, "create")
    now = _now(now)
    title, summary, category, area, opens_at, closes_at, moderation_mode = _details(
        title, summary, category, area, opens_at, closes_at, moderation_mode
    )
    consultation = Consultation(
        title=title, summary=summary, category=category, area=area, opens_at=opens_at, closes_at=closes_at,
        moderation_mode=moderation_mode, status="draft", created_at=now, created_by=actor.person_id,
    )
    session.add(consultation)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.create",
                 target=f"consultation:{consultation.id}", details={"title": title}, now=now)
    for section_title, body in sections:
        add_section(session, actor=actor, consultation_id=consultation.id, title=section_title, body=body, now=now)
    return consultation


def update_consultation(
    session: Session,
    *,
    actor: Actor | None,
    consultation_id: int,
    title: str,
    summary: str,
    category: str,
    opens_at: datetime,
    closes_at: datetime,
    area: str | None = None,
    moderation_mode: str = "post",
    now: datetime | None = None,
) -> Consultation:
    actor = permissions.enforce(actor, "edit")
    now = _now(now)
    consultation = _consultation(session, consultation_id, for_update=True)
    if consultation.status == "report_published":
        raise AgoraError("consultations.errors.report_already_published")
    title, summary, category, area, opens_at, closes_at, moderation_mode = _details(
        title, summary, category, area, opens_at, closes_at, moderation_mode
    )
    changed = {}
    for name, value in (("title", title), ("summary", summary), ("category", category), ("area", area),
                        ("opens_at", opens_at), ("closes_at", closes_at), ("moderation_mode", moderation_mode)):
        old = getattr(consultation, name)
        if isinstance(old, datetime):
            old = as_utc(old)
        if old != value:
            changed[name] = value.isoformat() if isinstance(value, datetime) else value
            setattr(consultation, name, value)
    session.add(consultation)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.edit",
                 target=f"consultation:{consultation.id}", details={"changed": changed}, now=now)
    return consultation


def add_section(session: Session, *, actor: Actor | None, consultation_id: int, title: str, body: str,
                now: datetime | None = None) -> Section:
    actor = permissions.enforce(actor, "edit")
    now = _now(now)
    consultation = _consultation(session, consultation_id, for_update=True)
    if consultation.status not in ("draft", "open"):
        raise AgoraError("consultations.errors.text_locked")
    title = _text(title, key="section_title", minimum=2, maximum=rules.TITLE_MAX)
    body = _text(body, key="section_body", minimum=1, maximum=rules.SECTION_BODY_MAX)
    position = (session.exec(select(func.max(Section.position)).where(Section.consultation_id == consultation.id)).one() or 0) + 1
    section = Section(consultation_id=consultation.id, position=position, title=title, body=body, version=1)
    session.add(section)
    session.flush()
    session.add(SectionVersion(section_id=section.id, version=1, title=title, body=body, created_at=now,
                               created_by=actor.person_id, note=""))
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.add_section",
                 target=f"section:{section.id}", details={"consultation_id": consultation.id, "position": position}, now=now)
    return section


def edit_section(session: Session, *, actor: Actor | None, section_id: int, title: str, body: str, note: str = "",
                 now: datetime | None = None) -> Section:
    """Change an article's wording. Once a consultation is open every change is a new,
    publicly visible version; in a draft the text is simply corrected."""
    actor = permissions.enforce(actor, "edit")
    now = _now(now)
    section = _section(session, section_id)
    consultation = _consultation(session, section.consultation_id, for_update=True)
    if consultation.status == "report_published":
        raise AgoraError("consultations.errors.report_already_published")
    title = _text(title, key="section_title", minimum=2, maximum=rules.TITLE_MAX)
    body = _text(body, key="section_body", minimum=1, maximum=rules.SECTION_BODY_MAX)
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
    audit.record(session, actor=actor.audit_name, action="consultations.edit_section", target=f"section:{section.id}",
                 details={"version": section.version, "note": note}, now=now)
    return section


def set_change_summary(session: Session, *, actor: Actor | None, section_id: int, summary: str,
                       now: datetime | None = None) -> Section:
    """For the report: what changed in this article's final text, in words."""
    actor = permissions.enforce(actor, "respond")
    now = _now(now)
    section = _section(session, section_id)
    consultation = _consultation(session, section.consultation_id)
    if consultation.status == "report_published":
        raise AgoraError("consultations.errors.report_already_published")
    section.change_summary = _text(summary, key="response", minimum=0, maximum=rules.RESPONSE_MAX)
    session.add(section)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.change_summary",
                 target=f"section:{section.id}", details={"length": len(section.change_summary)}, now=now)
    return section


def open_consultation(session: Session, *, actor: Actor | None, consultation_id: int,
                      now: datetime | None = None) -> Consultation:
    actor = permissions.enforce(actor, "open")
    now = _now(now)
    consultation = _consultation(session, consultation_id, for_update=True)
    if consultation.status != "draft":
        raise AgoraError("consultations.errors.not_draft")
    if as_utc(consultation.closes_at) <= now:
        raise AgoraError("consultations.errors.closes_in_past")
    if session.exec(select(func.count()).select_from(Section).where(Section.consultation_id == consultation.id)).one() == 0:
        raise AgoraError("consultations.errors.no_sections")
    consultation.status = "open"
    consultation.opened_at = now
    session.add(consultation)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.open",
                 target=f"consultation:{consultation.id}",
                 details={"opens_at": as_utc(consultation.opens_at).isoformat(),
                          "closes_at": as_utc(consultation.closes_at).isoformat()}, now=now)
    events.publish(session, "consultation.opened", {
        "consultation_id": consultation.id, "title": consultation.title, "area": consultation.area,
        "category": consultation.category, "url": consultation_url(consultation.id),
    }, now=now)
    return consultation


def close_consultation(session: Session, *, actor: Actor | None, consultation_id: int,
                       now: datetime | None = None) -> Consultation:
    actor = permissions.enforce(actor, "close")
    now = _now(now)
    consultation = _consultation(session, consultation_id, for_update=True)
    if consultation.status != "open":
        raise AgoraError("consultations.errors.not_open_for_closing")
    consultation.status = "closed"
    consultation.closed_at = now
    if as_utc(consultation.closes_at) > now:
        consultation.closes_at = now
    session.add(consultation)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.close",
                 target=f"consultation:{consultation.id}", details={}, now=now)
    return consultation


def _require_ended(consultation: Consultation, now: datetime) -> None:
    phase = rules.phase(consultation.status, as_utc(consultation.opens_at), as_utc(consultation.closes_at), now)
    if phase == "report_published":
        raise AgoraError("consultations.errors.report_already_published")
    if phase != "closed":
        raise AgoraError("consultations.errors.not_closed")


def publish_report(session: Session, *, actor: Actor | None, consultation_id: int, summary: str,
                   now: datetime | None = None) -> Consultation:
    actor = permissions.enforce(actor, "publish_report")
    now = _now(now)
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
    audit.record(session, actor=actor.audit_name, action="consultations.publish_report",
                 target=f"consultation:{consultation.id}", details={"answered_comments": answered}, now=now)
    return consultation


def record_response(session: Session, *, actor: Actor | None, consultation_id: int, comment_ids: Iterable[int],
                    outcome: str, reason: str, now: datetime | None = None) -> Response:
    """One answer to one comment or a group of comments (replacing an earlier answer)."""
    actor = permissions.enforce(actor, "respond")
    now = _now(now)
    consultation = _consultation(session, consultation_id, for_update=True)
    _require_ended(consultation, now)
    if outcome not in rules.OUTCOMES:
        raise InvalidInput("consultations.errors.bad_outcome")
    reason = _text(reason, key="response", minimum=3, maximum=rules.RESPONSE_MAX)
    try:
        ids = sorted({int(c) for c in comment_ids})
    except (TypeError, ValueError):
        raise InvalidInput("consultations.errors.no_comments_selected") from None
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
    audit.record(session, actor=actor.audit_name, action="consultations.respond", target=f"response:{response.id}",
                 details={"consultation_id": consultation.id, "comment_ids": ids, "outcome": outcome}, now=now)
    return response


def add_attachment(session: Session, *, actor: Actor | None, consultation_id: int, filename: str, data: bytes,
                   now: datetime | None = None) -> Attachment:
    """Keep a PDF, PNG or JPEG (type read from its bytes, size capped) under the data folder."""
    actor = permissions.enforce(actor, "attach")
    now = _now(now)
    consultation = _consultation(session, consultation_id)
    if consultation.status == "report_published":
        raise AgoraError("consultations.errors.report_already_published")
    if not isinstance(data, bytes | bytearray) or not data:
        raise InvalidInput("consultations.errors.attachment_empty")
    limit = rules.attachment_max_bytes()
    if len(data) > limit:
        raise InvalidInput("consultations.errors.attachment_too_large", maximum=limit // (1024 * 1024))
    content_type = rules.sniff_type(bytes(data[:16]))
    if content_type is None:
        raise InvalidInput("consultations.errors.attachment_type")
    name = rules.safe_filename(filename)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    name = (stem or "attachment") + rules.ATTACHMENT_TYPES[content_type]
    storage_name = secrets.token_hex(16) + rules.ATTACHMENT_TYPES[content_type]
    target = attachments_dir() / storage_name
    target.write_bytes(bytes(data))
    attachment = Attachment(consultation_id=consultation.id, filename=name, content_type=content_type,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_name=storage_name,
                            created_at=now, created_by=actor.person_id)
    session.add(attachment)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.attach", target=f"attachment:{attachment.id}",
                 details={"consultation_id": consultation.id, "filename": name, "size": len(data),
                          "type": content_type}, now=now)
    return attachment


# --- residents: comments, replies, support, flags --------------------------------------------

def active_block(session: Session, person_id: int, now: datetime) -> ModerationBlock | None:
    return session.exec(
        select(ModerationBlock)
        .where(ModerationBlock.person_id == person_id, ModerationBlock.until > now, ModerationBlock.lifted_at.is_(None))
        .order_by(ModerationBlock.until.desc())
    ).first()


def _check_not_blocked(session: Session, actor: Actor, now: datetime) -> None:
    block = active_block(session, actor.person_id, now)
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
        "url": f"{consultation_url(comment.consultation_id)}#comment-{comment.id}",
    }, now=now)


def post_comment(session: Session, *, actor: Actor | None, consultation_id: int, body: str,
                 section_id: int | None = None, parent_id: int | None = None, now: datetime | None = None) -> Comment:
    actor = permissions.enforce(actor, "reply" if parent_id else "comment")
    now = _now(now)
    consultation = _consultation(session, consultation_id)
    if consultation.status == "draft":
        raise NotFound("consultations.errors.not_found")
    if not rules.accepts_comments(consultation.status, as_utc(consultation.opens_at), as_utc(consultation.closes_at), now):
        raise AgoraError("consultations.errors.not_accepting_comments")
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
        section = _section(session, section_id)
        if section.consultation_id != consultation.id:
            raise NotFound("consultations.errors.section_not_found")
        section_id = section.id
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
    return comment


def _own_editable(session: Session, actor: Actor, comment_id: int, now: datetime) -> Comment:
    comment = _comment(session, comment_id, for_update=True)
    if comment.person_id != actor.person_id:
        raise AgoraError("consultations.errors.not_your_comment")
    if comment.withdrawn_at is not None or comment.status == "hidden":
        raise AgoraError("consultations.errors.comment_not_editable")
    if not rules.within_edit_window(as_utc(comment.created_at), now):
        raise AgoraError("consultations.errors.edit_window_passed", minutes=int(rules.EDIT_WINDOW.total_seconds() // 60))
    consultation = session.get(Consultation, comment.consultation_id)
    if not rules.accepts_comments(consultation.status, as_utc(consultation.opens_at), as_utc(consultation.closes_at), now):
        raise AgoraError("consultations.errors.not_accepting_comments")
    return comment


def edit_comment(session: Session, *, actor: Actor | None, comment_id: int, body: str,
                 now: datetime | None = None) -> Comment:
    actor = permissions.enforce(actor, "edit_comment")
    now = _now(now)
    comment = _own_editable(session, actor, comment_id, now)
    body = _text(body, key="comment", minimum=rules.COMMENT_MIN, maximum=rules.COMMENT_MAX)
    if body == comment.body:
        return comment
    consultation = session.get(Consultation, comment.consultation_id)
    comment.body = body
    comment.edited_at = now
    comment.links_approved = False
    if consultation.moderation_mode == "pre":
        comment.status = "pending"
    session.add(comment)
    session.flush()
    return comment


def withdraw_comment(session: Session, *, actor: Actor | None, comment_id: int,
                     now: datetime | None = None) -> Comment:
    """The author takes a comment back: its text is erased; replies stay in place."""
    actor = permissions.enforce(actor, "withdraw")
    now = _now(now)
    comment = _own_editable(session, actor, comment_id, now)
    comment.withdrawn_at = now
    comment.body = ""
    session.add(comment)
    session.flush()
    return comment


def support_comment(session: Session, *, actor: Actor | None, comment_id: int, value: str,
                    now: datetime | None = None) -> str:
    """Agree or disagree with a comment; the same mark again removes it, the other one changes it.

    Returns the person's mark afterwards ("agree", "disagree" or "").
    """
    actor = permissions.enforce(actor, "support")
    now = _now(now)
    if value not in rules.SUPPORT_VALUES:
        raise InvalidInput("consultations.errors.bad_support")
    comment = _comment(session, comment_id)
    if comment.status != "visible" or comment.withdrawn_at is not None:
        raise AgoraError("consultations.errors.cannot_support")
    if comment.person_id == actor.person_id:
        raise AgoraError("consultations.errors.own_comment")
    consultation = session.get(Consultation, comment.consultation_id)
    if not rules.accepts_comments(consultation.status, as_utc(consultation.opens_at), as_utc(consultation.closes_at), now):
        raise AgoraError("consultations.errors.not_accepting_comments")
    existing = session.exec(select(CommentSupport).where(CommentSupport.comment_id == comment.id,
                                                         CommentSupport.person_id == actor.person_id)).first()
    agree = disagree = 0
    if existing is None:
        # A concurrent duplicate hits the unique constraint; the whole action then rolls back.
        # (No savepoint: on SQLite releasing an outermost savepoint would commit early.)
        try:
            session.add(CommentSupport(comment_id=comment.id, person_id=actor.person_id, value=value,
                                       created_at=now, updated_at=now))
            session.flush()
        except IntegrityError:
            raise AgoraError("consultations.errors.already_supported") from None
        result = value
        agree, disagree = (1, 0) if value == "agree" else (0, 1)
    elif existing.value == value:
        session.delete(existing)
        result = ""
        agree, disagree = (-1, 0) if value == "agree" else (0, -1)
    else:
        existing.value = value
        existing.updated_at = now
        session.add(existing)
        result = value
        agree, disagree = (1, -1) if value == "agree" else (-1, 1)
    session.flush()
    session.execute(
        update(Comment).where(Comment.id == comment.id).values(
            agree_count=Comment.agree_count + agree,
            disagree_count=Comment.disagree_count + disagree,
            support_score=Comment.support_score + agree - disagree,
        )
    )
    session.expire(comment)
    return result


def flag_comment(session: Session, *, actor: Actor | None, comment_id: int, reason: str,
                 now: datetime | None = None) -> CommentFlag:
    actor = permissions.enforce(actor, "flag")
    now = _now(now)
    comment = _comment(session, comment_id)
    if comment.status != "visible" or comment.withdrawn_at is not None:
        raise AgoraError("consultations.errors.cannot_flag")
    if comment.person_id == actor.person_id:
        raise AgoraError("consultations.errors.own_comment")
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
    return flag


# --- moderation ------------------------------------------------------------------------------

def _resolve_flags(session: Session, comment_id: int, actor: Actor, now: datetime) -> int:
    flags = session.exec(select(CommentFlag).where(CommentFlag.comment_id == comment_id,
                                                   CommentFlag.resolved_at.is_(None))).all()
    for flag in flags:
        flag.resolved_at = now
        flag.resolved_by = actor.person_id
        session.add(flag)
    return len(flags)


def approve_comment(session: Session, *, actor: Actor | None, comment_id: int,
                    now: datetime | None = None) -> Comment:
    """Publish a waiting comment, or keep a flagged one; either way its links become clickable."""
    actor = permissions.enforce(actor, "approve")
    now = _now(now)
    comment = _comment(session, comment_id, for_update=True)
    if comment.status == "hidden" or comment.withdrawn_at is not None:
        raise AgoraError("consultations.errors.cannot_approve")
    was_pending = comment.status == "pending"
    comment.status = "visible"
    comment.links_approved = True
    comment.moderated_at = now
    comment.moderated_by = actor.person_id
    session.add(comment)
    dismissed = _resolve_flags(session, comment.id, actor, now)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.approve", target=f"comment:{comment.id}",
                 details={"was_pending": was_pending, "flags_dismissed": dismissed}, now=now)
    if was_pending:
        _publish_reply(session, comment, now)
    return comment


def hide_comment(session: Session, *, actor: Actor | None, comment_id: int, reason: str,
                 now: datetime | None = None) -> Comment:
    actor = permissions.enforce(actor, "hide")
    now = _now(now)
    comment = _comment(session, comment_id, for_update=True)
    reason = _text(reason, key="hide_reason", minimum=3, maximum=rules.REASON_MAX)
    if comment.status == "hidden":
        raise AgoraError("consultations.errors.already_hidden")
    previous = comment.status
    comment.status = "hidden"
    comment.hidden_reason = reason
    comment.moderated_at = now
    comment.moderated_by = actor.person_id
    session.add(comment)
    resolved = _resolve_flags(session, comment.id, actor, now)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.hide", target=f"comment:{comment.id}",
                 details={"reason": reason, "previous_status": previous, "flags_resolved": resolved}, now=now)
    return comment


def restore_comment(session: Session, *, actor: Actor | None, comment_id: int,
                    now: datetime | None = None) -> Comment:
    actor = permissions.enforce(actor, "restore")
    now = _now(now)
    comment = _comment(session, comment_id, for_update=True)
    if comment.status != "hidden":
        raise AgoraError("consultations.errors.not_hidden")
    comment.status = "visible"
    comment.hidden_reason = ""
    comment.moderated_at = now
    comment.moderated_by = actor.person_id
    session.add(comment)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.restore", target=f"comment:{comment.id}",
                 details={}, now=now)
    return comment


def block_person(session: Session, *, actor: Actor | None, person_id: int, days: int, reason: str = "",
                 now: datetime | None = None) -> ModerationBlock:
    actor = permissions.enforce(actor, "block")
    now = _now(now)
    try:
        days = int(days)
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise InvalidInput("consultations.errors.bad_days", maximum=rules.BLOCK_MAX_DAYS) from None
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
    audit.record(session, actor=actor.audit_name, action="consultations.block", target=f"person:{person_id}",
                 details={"days": days, "until": block.until.isoformat(), "reason": reason}, now=now)
    return block


def unblock_person(session: Session, *, actor: Actor | None, person_id: int, now: datetime | None = None) -> int:
    actor = permissions.enforce(actor, "unblock")
    now = _now(now)
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise NotFound("consultations.errors.person_not_found") from None
    blocks = session.exec(select(ModerationBlock).where(ModerationBlock.person_id == person_id,
                                                        ModerationBlock.until > now,
                                                        ModerationBlock.lifted_at.is_(None))).all()
    if not blocks:
        raise AgoraError("consultations.errors.not_blocked")
    for block in blocks:
        block.lifted_at = now
        session.add(block)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="consultations.unblock", target=f"person:{person_id}",
                 details={"lifted": len(blocks)}, now=now)
    return len(blocks)

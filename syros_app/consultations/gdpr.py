"""What consultations hold about a person: the GDPR export section and what
happens when the person deletes their account.

Export ("my data"): every comment and reply they wrote, in any state (visible,
waiting for moderation, hidden with the moderator's reason, withdrawn), their
agree/disagree marks, the flags they raised, any moderation block on them, and,
for staff, what they authored or moderated.

Deletion (``identity.person_deleted``): public contributions stay — the person
row no longer holds a name, so every page, the CSV and the JSON show "deleted
user". Supports and flags stay as anonymous counts (they point at a person row
with no identifying data left). Moderation blocks on the person are deleted:
they protect nobody once the account is gone, and their reason is about them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.timefmt import as_utc
from syros_app.identity.actions import register_export_section

from .models import Attachment, Comment, CommentFlag, CommentSupport, Consultation, ModerationBlock, Response
from .models import SectionVersion


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def _titles(session: Session, consultation_ids: set[int]) -> dict[int, str]:
    if not consultation_ids:
        return {}
    rows = session.exec(select(Consultation.id, Consultation.title).where(Consultation.id.in_(consultation_ids)))
    return dict(rows.all())


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    comments = list(session.exec(select(Comment).where(Comment.person_id == person_id).order_by(Comment.created_at, Comment.id)))
    supports = list(session.exec(
        select(CommentSupport, Comment.consultation_id).join(Comment, Comment.id == CommentSupport.comment_id)
        .where(CommentSupport.person_id == person_id).order_by(CommentSupport.created_at, CommentSupport.id)))
    flags = list(session.exec(
        select(CommentFlag, Comment.consultation_id).join(Comment, Comment.id == CommentFlag.comment_id)
        .where(CommentFlag.person_id == person_id).order_by(CommentFlag.created_at, CommentFlag.id)))
    blocks = list(session.exec(select(ModerationBlock).where(ModerationBlock.person_id == person_id)
                               .order_by(ModerationBlock.created_at, ModerationBlock.id)))
    titles = _titles(session, {c.consultation_id for c in comments} | {cid for _s, cid in supports}
                     | {cid for _f, cid in flags})

    def comment_row(c: Comment) -> dict[str, Any]:
        status = "withdrawn" if c.withdrawn_at is not None else c.status
        return {
            "id": c.id, "consultation_id": c.consultation_id, "consultation": titles.get(c.consultation_id, ""),
            "section_id": c.section_id, "in_reply_to": c.parent_id, "text": c.body, "status": status,
            "moderator_reason": c.hidden_reason or None, "moderated_at": _iso(c.moderated_at),
            "created_at": _iso(c.created_at), "edited_at": _iso(c.edited_at), "withdrawn_at": _iso(c.withdrawn_at),
            "agree": c.agree_count, "disagree": c.disagree_count, "municipality_response_id": c.response_id,
        }

    data: dict[str, Any] = {
        "comments": [comment_row(c) for c in comments if c.parent_id is None],
        "replies": [comment_row(c) for c in comments if c.parent_id is not None],
        "supports": [{"comment_id": s.comment_id, "consultation_id": cid, "consultation": titles.get(cid, ""),
                      "value": s.value, "created_at": _iso(s.created_at), "updated_at": _iso(s.updated_at)}
                     for s, cid in supports],
        "flags": [{"comment_id": f.comment_id, "consultation_id": cid, "consultation": titles.get(cid, ""),
                   "reason": f.reason, "created_at": _iso(f.created_at), "resolved_at": _iso(f.resolved_at)}
                  for f, cid in flags],
        "moderation_blocks": [{"until": _iso(b.until), "reason": b.reason, "created_at": _iso(b.created_at),
                               "lifted_at": _iso(b.lifted_at)} for b in blocks],
    }
    staff = _staff_work(session, person_id)
    if staff:
        data["as_staff"] = staff
    return data


def _staff_work(session: Session, person_id: int) -> dict[str, Any]:
    """What a staff member authored or moderated (only the keys that have rows)."""
    out: dict[str, Any] = {}
    created = session.exec(select(Consultation.id, Consultation.title).where(Consultation.created_by == person_id)
                           .order_by(Consultation.id)).all()
    if created:
        out["consultations_created"] = [{"id": i, "title": t} for i, t in created]
    versions = session.exec(select(SectionVersion.section_id, SectionVersion.version, SectionVersion.created_at)
                            .where(SectionVersion.created_by == person_id).order_by(SectionVersion.id)).all()
    if versions:
        out["section_versions_written"] = [{"section_id": s, "version": v, "created_at": _iso(at)} for s, v, at in versions]
    attachments = session.exec(select(Attachment.id, Attachment.filename, Attachment.created_at)
                               .where(Attachment.created_by == person_id).order_by(Attachment.id)).all()
    if attachments:
        out["attachments_uploaded"] = [{"id": i, "filename": f, "created_at": _iso(at)} for i, f, at in attachments]
    responses = session.exec(select(Response.id, Response.consultation_id, Response.outcome, Response.created_at)
                             .where(Response.created_by == person_id).order_by(Response.id)).all()
    if responses:
        out["responses_written"] = [{"id": i, "consultation_id": c, "outcome": o, "created_at": _iso(at)}
                                    for i, c, o, at in responses]
    moderated = session.exec(select(Comment.id, Comment.status, Comment.moderated_at)
                             .where(Comment.moderated_by == person_id).order_by(Comment.id)).all()
    if moderated:
        out["comments_moderated"] = [{"comment_id": i, "status": s, "moderated_at": _iso(at)} for i, s, at in moderated]
    resolved = session.exec(select(CommentFlag.comment_id, CommentFlag.resolved_at)
                            .where(CommentFlag.resolved_by == person_id).order_by(CommentFlag.id)).all()
    if resolved:
        out["flags_resolved"] = [{"comment_id": i, "resolved_at": _iso(at)} for i, at in resolved]
    blocks = session.exec(select(ModerationBlock.person_id, ModerationBlock.until, ModerationBlock.created_at)
                          .where(ModerationBlock.created_by == person_id).order_by(ModerationBlock.id)).all()
    if blocks:
        # whom they blocked is another person's data: only when and how long
        out["blocks_imposed"] = [{"until": _iso(u), "created_at": _iso(at)} for _p, u, at in blocks]
    return out


@events.on_person_deleted
def erase(session: Session, person_id: int) -> None:
    session.execute(delete(ModerationBlock).where(ModerationBlock.person_id == person_id))


register_export_section("consultations", export_section)

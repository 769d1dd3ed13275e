"""Reads of consultations: what the public, residents and staff see.

Pages and open-data routes share these, so what the API exports is exactly
what the pages show (a hidden comment shows the moderator's reason, never its
text; pending comments are seen only by their author and by staff).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from syros_app.core import stored_files
from syros_app.core.actors import Actor
from syros_app.core.errors import NotFound
from syros_app.core.timefmt import as_utc
from syros_app.identity.models import Person

from . import rules
from .models import Attachment, Comment, CommentFlag, CommentSupport, Consultation, ModerationBlock, Response
from .models import Section, SectionVersion
from .permissions import MATRIX

PUBLIC_STATUSES = ("open", "closed", "report_published")
_NOT_FOUND = {Consultation: "consultations.errors.not_found", Section: "consultations.errors.section_not_found",
              Comment: "consultations.errors.comment_not_found", Attachment: "consultations.errors.attachment_not_found"}


def load(session: Session, model, row_id: object, *, for_update: bool = False):
    """The row of ``model`` with this id (any client-sent value), or the model's typed NotFound."""
    try:
        row_id = int(row_id)
    except (TypeError, ValueError):
        row_id = None
    stmt = select(model).where(model.id == row_id)
    row = None
    if row_id is not None and abs(row_id) < 2**63:
        row = session.exec(stmt.with_for_update() if for_update else stmt).first()
    if row is None:
        raise NotFound(_NOT_FOUND[model])
    return row


ATTACHMENT_KIND = "consultation_attachment"  # in ``core.stored_files``, named by ``Attachment.storage_name``


def attachment_bytes(session: Session, attachment: Attachment) -> bytes | None:
    return stored_files.content_of(session, attachment.storage_name, ATTACHMENT_KIND)


def active_block(session: Session, person_id: int, now: datetime) -> ModerationBlock | None:
    return session.exec(
        select(ModerationBlock)
        .where(ModerationBlock.person_id == person_id, ModerationBlock.until > now, ModerationBlock.lifted_at.is_(None))
        .order_by(ModerationBlock.until.desc())
    ).first()


def phase_of(consultation: Consultation, now: datetime) -> str:
    return rules.phase(consultation.status, as_utc(consultation.opens_at), as_utc(consultation.closes_at), now)


def list_consultations(session: Session, *, now: datetime, phase: str = "", category: str = "", area: str = "",
                       include_drafts: bool = False) -> list[tuple[Consultation, str, int]]:
    """(consultation, phase, visible comment count), newest closing date first among open ones."""
    stmt = select(Consultation)
    if not include_drafts:
        stmt = stmt.where(Consultation.status.in_(PUBLIC_STATUSES))
    if category:
        stmt = stmt.where(Consultation.category == category)
    if area == "all":
        stmt = stmt.where(Consultation.area.is_(None))
    elif area:
        stmt = stmt.where(or_(Consultation.area == area, Consultation.area.is_(None)))
    rows = session.exec(stmt.order_by(Consultation.closes_at.desc(), Consultation.id.desc())).all()
    ids = [c.id for c in rows]
    counts: dict[int, int] = {}
    if ids:
        counts = dict(session.exec(
            select(Comment.consultation_id, func.count()).where(
                Comment.consultation_id.in_(ids), Comment.status == "visible", Comment.withdrawn_at.is_(None)
            ).group_by(Comment.consultation_id)
        ).all())
    out = []
    for c in rows:
        p = phase_of(c, now)
        if phase and p != phase:
            continue
        out.append((c, p, counts.get(c.id, 0)))
    order = {"open": 0, "upcoming": 1, "closed": 2, "report_published": 3, "draft": 4}
    out.sort(key=lambda item: order.get(item[1], 9))
    return out


def get_consultation(session: Session, consultation_id: object, *, actor: Actor | None = None) -> Consultation:
    """A consultation anyone may read; drafts only for those who may see them."""
    consultation = load(session, Consultation, consultation_id)
    if consultation.status == "draft" and not MATRIX.allows(actor, "view_drafts"):
        raise NotFound("consultations.errors.not_found")
    return consultation


def sections_of(session: Session, consultation_id: int) -> list[Section]:
    return list(session.exec(select(Section).where(Section.consultation_id == consultation_id)
                             .order_by(Section.position)).all())


def versions_of(session: Session, section_ids: list[int]) -> dict[int, list[SectionVersion]]:
    out: dict[int, list[SectionVersion]] = defaultdict(list)
    if section_ids:
        for v in session.exec(select(SectionVersion).where(SectionVersion.section_id.in_(section_ids))
                              .order_by(SectionVersion.section_id, SectionVersion.version)).all():
            out[v.section_id].append(v)
    return out


def attachments_of(session: Session, consultation_id: int) -> list[Attachment]:
    return list(session.exec(select(Attachment).where(Attachment.consultation_id == consultation_id)
                             .order_by(Attachment.id)).all())


def section_counts(session: Session, consultation_id: int) -> dict[int, int]:
    """Visible comments (with replies) per section; key 0 is the whole text."""
    rows = session.exec(
        select(Comment.section_key, func.count()).where(
            Comment.consultation_id == consultation_id, Comment.status == "visible", Comment.withdrawn_at.is_(None)
        ).group_by(Comment.section_key)
    ).all()
    return {int(k): int(n) for k, n in rows}


@dataclass
class CommentView:
    id: int
    parent_id: int | None
    depth: int
    section_id: int | None
    person_id: int
    author: str
    author_deleted: bool
    body: str  # empty when hidden, withdrawn or pending for others
    status: str  # visible | pending | hidden | withdrawn
    hidden_reason: str
    links_approved: bool
    created_at: datetime
    edited_at: datetime | None
    agree: int
    disagree: int
    response_outcome: str = ""
    response_reason: str = ""
    my_support: str = ""
    reply_count: int = 0
    response_id: int | None = None


@dataclass
class CommentPage:
    items: list[CommentView]
    total: int  # top-level comments matching
    page: int
    pages: int
    sort: str
    extra: dict = field(default_factory=dict)


def _visible_filter(viewer: Actor | None):
    """Rows a viewer may see: public ones, plus their own waiting ones (staff: all waiting ones)."""
    public = Comment.status.in_(("visible", "hidden"))
    if viewer is None:
        return public
    if MATRIX.allows(viewer, "view_queue"):
        return Comment.status.in_(("visible", "hidden", "pending"))
    return or_(public, (Comment.status == "pending") & (Comment.person_id == viewer.person_id))


def _views(session: Session, rows: list[Comment], viewer: Actor | None) -> list[CommentView]:
    person_ids = {r.person_id for r in rows}
    people = {p.id: p for p in session.exec(select(Person).where(Person.id.in_(person_ids))).all()} if person_ids else {}
    response_ids = {r.response_id for r in rows if r.response_id}
    responses = ({r.id: r for r in session.exec(select(Response).where(Response.id.in_(response_ids))).all()}
                 if response_ids else {})
    mine: dict[int, str] = {}
    if viewer is not None and rows:
        mine = dict(session.exec(select(CommentSupport.comment_id, CommentSupport.value).where(
            CommentSupport.person_id == viewer.person_id, CommentSupport.comment_id.in_([r.id for r in rows]))).all())
    out = []
    for r in rows:
        person = people.get(r.person_id)
        deleted = person is None or person.deleted_at is not None
        status = "withdrawn" if r.withdrawn_at is not None else r.status
        body = r.body if status in ("visible", "pending") else ""
        response = responses.get(r.response_id) if r.response_id else None
        out.append(CommentView(
            id=r.id, parent_id=r.parent_id, depth=r.depth, section_id=r.section_id, person_id=r.person_id,
            author="" if deleted else person.public_name, author_deleted=deleted, body=body, status=status,
            hidden_reason=r.hidden_reason if status == "hidden" else "", links_approved=r.links_approved,
            created_at=as_utc(r.created_at), edited_at=as_utc(r.edited_at) if r.edited_at else None,
            agree=r.agree_count, disagree=r.disagree_count,
            response_outcome=response.outcome if response else "", response_reason=response.reason if response else "",
            my_support=mine.get(r.id, ""), response_id=r.response_id,
        ))
    return out


def comment_page(session: Session, consultation_id: int, *, section_key: int | None = None, sort: str = "newest",
                 page: int = 1, viewer: Actor | None = None, page_size: int = rules.PAGE_SIZE) -> CommentPage:
    """One page of top-level comments (``section_key`` None: all; 0: the whole text), each
    followed by its replies in thread order."""
    sort = sort if sort in ("newest", "supported", "oldest") else "newest"
    base = [Comment.consultation_id == consultation_id, Comment.parent_id.is_(None), _visible_filter(viewer)]
    if section_key is not None:
        base.append(Comment.section_key == section_key)
    total = session.exec(select(func.count()).select_from(Comment).where(*base)).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, int(page)), pages)
    order = {
        "newest": (Comment.created_at.desc(), Comment.id.desc()),
        "oldest": (Comment.created_at.asc(), Comment.id.asc()),
        "supported": (Comment.support_score.desc(), Comment.created_at.desc(), Comment.id.desc()),
    }[sort]
    top = list(session.exec(select(Comment).where(*base).order_by(*order)
                            .offset((page - 1) * page_size).limit(page_size)).all())
    replies: dict[int, list[Comment]] = defaultdict(list)
    if top:
        for r in session.exec(select(Comment).where(Comment.root_id.in_([c.id for c in top]), _visible_filter(viewer))
                              .order_by(Comment.created_at, Comment.id)).all():
            replies[r.parent_id].append(r)
    ordered = _thread_order(top, replies)
    views = _views(session, ordered, viewer)
    counts = {c.id: len(replies.get(c.id, [])) for c in ordered}
    for v in views:
        v.reply_count = counts.get(v.id, 0)
    return CommentPage(items=views, total=total, page=page, pages=pages, sort=sort)


def all_public_comments(session: Session, consultation_id: int) -> list[CommentView]:
    """Every public comment of a consultation in thread order (open data, the report)."""
    rows = list(session.exec(select(Comment).where(Comment.consultation_id == consultation_id,
                                                   Comment.status.in_(("visible", "hidden")))
                             .order_by(Comment.created_at, Comment.id)).all())
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for r in rows:
        children[r.parent_id].append(r)
    ordered = _thread_order(children.get(None, []), children)
    return _views(session, ordered, None)


def my_comments_with_responses(session: Session, consultation_id: int, person_id: int) -> int:
    return session.exec(select(func.count()).select_from(Comment).where(
        Comment.consultation_id == consultation_id, Comment.person_id == person_id,
        Comment.response_id.is_not(None))).one()


# --- staff: moderation queue -----------------------------------------------------------------

@dataclass
class QueueItem:
    comment: CommentView
    consultation_id: int
    consultation_title: str
    kind: str  # pending | flagged | links | hidden
    flags: list[str]
    full_text: str  # staff see the text of hidden comments (to decide on restoring)
    author_blocked_until: datetime | None = None


def waiting_count(session: Session) -> int:
    """Comments waiting for a moderator: pending ones plus visible ones with open flags."""
    pending = session.exec(select(func.count()).select_from(Comment).where(
        Comment.status == "pending", Comment.withdrawn_at.is_(None))).one()
    flagged = session.exec(select(func.count(func.distinct(CommentFlag.comment_id))).select_from(CommentFlag)
                           .join(Comment, Comment.id == CommentFlag.comment_id)
                           .where(CommentFlag.resolved_at.is_(None), Comment.status == "visible",
                                  Comment.withdrawn_at.is_(None))).one()
    return int(pending) + int(flagged)


def moderation_queue(session: Session, *, now: datetime, hidden_limit: int = 20) -> list[QueueItem]:
    flagged_ids = set(session.exec(select(CommentFlag.comment_id).where(CommentFlag.resolved_at.is_(None))).all())
    conditions = [Comment.status == "pending",
                  (Comment.status == "visible") & (Comment.links_approved.is_(False))
                  & or_(Comment.body.contains("http://"), Comment.body.contains("https://"))]
    if flagged_ids:
        conditions.append(Comment.id.in_(flagged_ids) & (Comment.status == "visible"))
    rows = list(session.exec(select(Comment).where(or_(*conditions), Comment.withdrawn_at.is_(None))
                             .order_by(Comment.created_at)).all())
    hidden = list(session.exec(select(Comment).where(Comment.status == "hidden", Comment.withdrawn_at.is_(None))
                               .order_by(Comment.moderated_at.desc()).limit(hidden_limit)).all())
    all_rows = rows + hidden
    views = {v.id: v for v in _views(session, all_rows, None)}
    flags: dict[int, list[str]] = defaultdict(list)
    if flagged_ids:
        for f in session.exec(select(CommentFlag).where(CommentFlag.resolved_at.is_(None))
                              .order_by(CommentFlag.created_at)).all():
            flags[f.comment_id].append(f.reason)
    titles = dict(session.exec(select(Consultation.id, Consultation.title).where(
        Consultation.id.in_({r.consultation_id for r in all_rows} or {0}))).all())
    blocks = dict(session.exec(select(ModerationBlock.person_id, func.max(ModerationBlock.until)).where(
        ModerationBlock.until > now, ModerationBlock.lifted_at.is_(None)).group_by(ModerationBlock.person_id)).all())
    order = {"pending": 0, "flagged": 1, "links": 2, "hidden": 3}
    items = []
    for r in all_rows:
        kind = ("hidden" if r.status == "hidden" else "pending" if r.status == "pending"
                else "flagged" if r.id in flagged_ids else "links")
        items.append(QueueItem(comment=views[r.id], consultation_id=r.consultation_id,
                               consultation_title=titles.get(r.consultation_id, ""), kind=kind,
                               flags=flags.get(r.id, []), full_text=r.body,
                               author_blocked_until=blocks.get(r.person_id)))
    items.sort(key=lambda i: (order[i.kind], i.comment.created_at))
    return items


def responses_of(session: Session, consultation_id: int) -> dict[int, Response]:
    return {r.id: r for r in session.exec(select(Response).where(Response.consultation_id == consultation_id)).all()}


def support_totals(session: Session, consultation_id: int) -> tuple[int, int]:
    row = session.exec(select(
        func.coalesce(func.sum(Comment.agree_count), 0), func.coalesce(func.sum(Comment.disagree_count), 0)
    ).where(Comment.consultation_id == consultation_id, Comment.status == "visible")).one()
    return int(row[0]), int(row[1])


def _thread_order(roots: list[Comment], children: dict) -> list[Comment]:
    """Comments in reading order: each followed by its replies (depth first), oldest first."""
    ordered: list[Comment] = []

    def walk(comment: Comment) -> None:
        ordered.append(comment)
        for child in children.get(comment.id, []):
            walk(child)

    for root in roots:
        walk(root)
    return ordered

"""Tables of consultations: texts in sections (with versions), attachments,
comments with replies, supports, flags, moderation blocks and responses.

Comment counters (``agree_count``/``disagree_count``) and ``root_id`` are kept
on the comment row so that a page of a section's comments, sorted by newest or
most supported, is one indexed query even with tens of thousands of comments.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Consultation(SQLModel, table=True):
    __tablename__ = "consultation"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    category: str = Field(max_length=40, index=True)
    # None: the whole island; otherwise one of identity.roles.MUNICIPAL_UNITS.
    area: str | None = Field(default=None, max_length=40)
    opens_at: datetime
    closes_at: datetime = Field(index=True)
    moderation_mode: str = Field(default="post", max_length=10)  # post | pre
    status: str = Field(default="draft", max_length=20, index=True)  # draft|open|closed|report_published
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    report_summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    report_published_at: datetime | None = None


class Section(SQLModel, table=True):
    """An article of the consulted text; its current wording is the latest version."""

    __tablename__ = "consultation_section"
    __table_args__ = (UniqueConstraint("consultation_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True)
    position: int
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    version: int = 1
    # For the report: what changed in the final text of this section, in words.
    change_summary: str = Field(default="", sa_column=Column(Text, nullable=False))


class SectionVersion(SQLModel, table=True):
    __tablename__ = "consultation_section_version"
    __table_args__ = (UniqueConstraint("section_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="consultation_section.id", index=True)
    version: int
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    note: str = Field(default="", max_length=300)
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")


class Attachment(SQLModel, table=True):
    __tablename__ = "consultation_attachment"

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    sha256: str = Field(max_length=64)
    storage_name: str = Field(max_length=80, unique=True)
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")


class Response(SQLModel, table=True):
    """"You said, we did": the municipality's answer to one comment or a group of them."""

    __tablename__ = "consultation_response"

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True)
    outcome: str = Field(max_length=20)  # accepted | partly | not_accepted | out_of_scope
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")


class Comment(SQLModel, table=True):
    __tablename__ = "consultation_comment"
    __table_args__ = (
        # first page of a section's comments, newest first / most supported first
        Index("ix_comment_list_newest", "consultation_id", "section_key", "parent_id", "created_at"),
        Index("ix_comment_list_support", "consultation_id", "section_key", "parent_id", "support_score"),
        # counts per section (covering: no table lookups)
        Index("ix_comment_counts", "consultation_id", "status", "section_key", "withdrawn_at"),
        # replies of the comments on a page
        Index("ix_comment_root", "root_id", "created_at"),
        # rate limit: a person's recent comments
        Index("ix_comment_person_created", "person_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id")
    section_id: int | None = Field(default=None, foreign_key="consultation_section.id")
    # section_id, or 0 for the whole text: lets one index serve both filters.
    section_key: int = 0
    parent_id: int | None = Field(default=None, foreign_key="consultation_comment.id")
    root_id: int | None = None  # the top-level comment of the thread (None for a top-level one)
    depth: int = 0
    person_id: int = Field(foreign_key="person.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="visible", max_length=10)  # visible | pending | hidden
    hidden_reason: str = Field(default="", max_length=300)
    links_approved: bool = False
    created_at: datetime
    edited_at: datetime | None = None
    withdrawn_at: datetime | None = None
    moderated_at: datetime | None = None
    moderated_by: int | None = Field(default=None, foreign_key="person.id")
    agree_count: int = 0
    disagree_count: int = 0
    support_score: int = 0  # agree - disagree, for "most supported"
    response_id: int | None = Field(default=None, foreign_key="consultation_response.id", index=True)


class CommentSupport(SQLModel, table=True):
    __tablename__ = "consultation_comment_support"
    __table_args__ = (UniqueConstraint("comment_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="consultation_comment.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    value: str = Field(max_length=10)  # agree | disagree
    created_at: datetime
    updated_at: datetime


class CommentFlag(SQLModel, table=True):
    __tablename__ = "consultation_comment_flag"
    __table_args__ = (UniqueConstraint("comment_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="consultation_comment.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    reason: str = Field(max_length=300)
    created_at: datetime
    resolved_at: datetime | None = Field(default=None, index=True)
    resolved_by: int | None = Field(default=None, foreign_key="person.id")


class ModerationBlock(SQLModel, table=True):
    """A person may not comment until ``until`` (unless lifted earlier)."""

    __tablename__ = "consultation_block"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    until: datetime
    reason: str = Field(default="", max_length=300)
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")
    lifted_at: datetime | None = None

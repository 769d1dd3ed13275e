"""Open datasets of consultations: the consultations and all their public comments."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pydantic import Field
from sqlmodel import Session

from syros_app.core.datasets import Dataset, Row

from . import queries, rules
from .api import public_text


class ConsultationRow(Row):
    id: int = Field(description="Consultation number")
    title: str
    summary: str
    category: str = Field(description="Category key (e.g. environment)")
    area: str | None = Field(description="Municipal unit consulted; empty for the whole island")
    opens_at: datetime
    closes_at: datetime
    status: str = Field(description="upcoming | open | closed | report_published")
    comment_count: int = Field(description="Public comments (visible and hidden by moderation)")
    report_published_at: datetime | None = Field(description="When the 'you said, we did' report was published")
    url: str = Field(description="Page of the consultation, relative to the site")


class CommentRow(Row):
    id: int = Field(description="Comment number")
    consultation_id: int
    parent_id: int | None = Field(description="The comment this one replies to")
    section_id: int | None = Field(description="Article commented on; empty for the whole text")
    author: str = Field(description="The name the resident chose to show (never the legal name)")
    created_at: datetime
    edited_at: datetime | None
    status: str = Field(description="visible | hidden (by a moderator, with the reason as text)")
    text: str
    agree: int
    disagree: int
    response_outcome: str = Field(description="The municipality's answer in the report: accepted, partly, rejected…")
    response_reason: str


def consultation_rows(session: Session, now: datetime) -> Iterator[ConsultationRow]:
    for c, phase, count in sorted(queries.list_consultations(session, now=now), key=lambda r: r[0].id):
        yield ConsultationRow(id=c.id, title=c.title, summary=c.summary, category=c.category, area=c.area,
                              opens_at=c.opens_at, closes_at=c.closes_at, status=phase, comment_count=count,
                              report_published_at=c.report_published_at, url=rules.consultation_url(c.id))


def comment_rows(session: Session, now: datetime) -> Iterator[CommentRow]:
    for c, _phase, _count in sorted(queries.list_consultations(session, now=now), key=lambda r: r[0].id):
        for v in queries.all_public_comments(session, c.id):
            yield CommentRow(id=v.id, consultation_id=c.id, parent_id=v.parent_id, section_id=v.section_id,
                             author="" if v.author_deleted else v.author, created_at=v.created_at,
                             edited_at=v.edited_at, status=v.status, text=public_text(v, "el"), agree=v.agree,
                             disagree=v.disagree, response_outcome=v.response_outcome,
                             response_reason=v.response_reason)


DATASETS = [
    Dataset("consultations", "opendata.ds.consultations", "opendata.ds.consultations_text", ConsultationRow,
            consultation_rows),
    Dataset("consultation_comments", "opendata.ds.consultation_comments", "opendata.ds.consultation_comments_text",
            CommentRow, comment_rows),
]

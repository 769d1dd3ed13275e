"""Open dataset of notices: every published notice, withdrawn ones with their correction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pydantic import Field
from sqlmodel import Session, select

from syros_app.core.datasets import Dataset, Row

from .models import Notice


class NoticeRow(Row):
    id: int = Field(description="Notice number")
    category: str = Field(description="Category key (water, roadworks, civil_protection, events, …)")
    area: str | None = Field(description="Municipal unit concerned; empty for the whole island")
    urgent: bool
    title: str
    body: str
    link: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    published_at: datetime
    withdrawn_at: datetime | None = Field(description="Set when a mistaken notice was withdrawn")
    correction: str | None = Field(description="The public correction of a withdrawn notice")
    url: str


def notice_rows(session: Session, now: datetime) -> Iterator[NoticeRow]:
    query = select(Notice).where(Notice.published_at.is_not(None)).order_by(Notice.id)
    for n in session.exec(query):
        yield NoticeRow(id=n.id, category=n.category, area=n.area, urgent=n.urgent, title=n.title, body=n.body,
                        link=n.link, valid_from=n.valid_from, valid_until=n.valid_until,
                        published_at=n.published_at, withdrawn_at=n.withdrawn_at, correction=n.correction,
                        url=f"/notices/{n.id}")


DATASETS = [Dataset("notices", "opendata.ds.notices", "opendata.ds.notices_text", NoticeRow, notice_rows)]

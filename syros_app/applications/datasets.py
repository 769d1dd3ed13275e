"""Open dataset of the e-applications catalogue (one row per service, both languages side by side)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pydantic import Field
from sqlmodel import Session

from syros_app.core.datasets import Dataset, Row

from . import queries


class ServiceRow(Row):
    slug: str
    title_el: str
    title_en: str
    department: str | None
    target_working_days: int | None = Field(description="Target time to answer, in working days")
    fee_el: str
    mitos_id: str | None = Field(description="Id in ΜΙΤΟΣ, the national registry of procedures; empty: local")
    govgr_url: str | None = Field(description="National services are filed on gov.gr, linked from here")
    paper_pages: int | None = Field(description="Pages a paper filing takes (the 'paper saved' figure)")
    url: str


def service_rows(session: Session, now: datetime) -> Iterator[ServiceRow]:
    for s in queries.services_open_data(session):
        yield ServiceRow(slug=s["slug"], title_el=s["title"]["el"], title_en=s["title"]["en"],
                         department=s["department"], target_working_days=s["target_working_days"],
                         fee_el=s["fee"]["el"], mitos_id=s["mitos_id"], govgr_url=s["govgr_url"],
                         paper_pages=s["paper_pages"], url=s["url"])


DATASETS = [Dataset("application_services", "opendata.ds.application_services",
                    "opendata.ds.application_services_text", ServiceRow, service_rows)]

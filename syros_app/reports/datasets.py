"""Open datasets of service reports: every report (public fields only, as Open311 shows
them) and the service-level figures by category, municipal unit and month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pydantic import Field
from sqlalchemy import select
from sqlmodel import Session

from syros_app.core.datasets import Dataset, Row

from . import queries
from .models import Report

MONTHS_PUBLISHED = 36


class ServiceRequestRow(Row):
    id: int = Field(description="Report number (Open311 service_request_id)")
    category: str = Field(description="Open311 service_code")
    status: str = Field(description="submitted | acknowledged | in_progress | resolved | forwarded | rejected | merged")
    description: str = Field(description="What the resident wrote (shown publicly on the report's page)")
    municipal_unit: str
    address: str | None
    lat: float | None
    lon: float | None
    department: str | None = Field(description="Municipal department handling it")
    forwarded_to: str | None = Field(description="Outside body it was forwarded to")
    supporters: int = Field(description="Residents who said they face the same problem")
    created_at: datetime
    updated_at: datetime | None
    resolve_due_at: datetime | None = Field(description="Target date to resolve, in working days from receipt")


class ServiceLevelRow(Row):
    month: str = Field(description="YYYY-MM of receipt")
    category: str
    municipal_unit: str
    received: int
    median_days_to_acknowledge: float | None = Field(description="Working days")
    median_days_to_resolve: float | None = Field(description="Working days")
    resolved: int
    resolved_within_target: int
    share_resolved_within_target: float | None
    currently_overdue: int
    rated: int
    fixed_rate: float | None = Field(description="Share of rated reports the resident called fixed")
    average_satisfaction: float | None = Field(description="1 to 5")


def request_rows(session: Session, now: datetime) -> Iterator[ServiceRequestRow]:
    columns = [Report.__table__.c[name] for name in ServiceRequestRow.model_fields]
    for row in session.connection().execute(select(*columns).order_by(Report.id)):
        yield ServiceRequestRow(**row._mapping)


def level_rows(session: Session, now: datetime) -> Iterator[ServiceLevelRow]:
    rows = queries.figures(session, months=MONTHS_PUBLISHED, by=("category", "unit", "month"), now=now)
    for r in sorted(rows, key=lambda r: (r.month, r.category, r.unit)):
        yield ServiceLevelRow(**r.as_dict())


DATASETS = [
    Dataset("service_requests", "opendata.ds.service_requests", "opendata.ds.service_requests_text",
            ServiceRequestRow, request_rows),
    Dataset("service_levels", "opendata.ds.service_levels", "opendata.ds.service_levels_text", ServiceLevelRow,
            level_rows),
]

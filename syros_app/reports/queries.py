"""Reads of service reports: public list and page, nearby open reports, the staff
queue, the service-level figures and the Open311 request list."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from syros_app.core.actors import Role
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.identity.models import Person, RoleGrant

from . import rules
from .models import Open311Key, Report, ReportInternalNote, ReportPhoto, ReportSupport, ReportUpdate, ServiceTarget

PAGE_SIZE = 20


def reporter_name(report: Report, person: Person | None) -> str | None:
    """The reporter's public name, or None when hidden, deleted or not a person."""
    if not report.show_name or person is None or person.deleted_at is not None:
        return None
    return person.public_name


def list_reports(session: Session, *, category: str | None = None, unit: str | None = None,
                 state: str | None = None, reporter_id: int | None = None, page: int = 0,
                 page_size: int = PAGE_SIZE) -> tuple[list[Report], int]:
    """Newest first; ``state`` is "open", "closed" or a status."""
    conditions = []
    if category in rules.CATEGORIES:
        conditions.append(Report.category == category)
    if unit in rules.MUNICIPAL_UNITS:
        conditions.append(Report.municipal_unit == unit)
    if state == "open":
        conditions.append(Report.status.in_(rules.OPEN_STATUSES))
    elif state == "closed":
        conditions.append(Report.status.in_(rules.CLOSED_STATUSES))
    elif state in rules.STATUSES:
        conditions.append(Report.status == state)
    if reporter_id is not None:
        conditions.append(Report.reporter_id == reporter_id)
    total = session.exec(select(func.count()).select_from(Report).where(*conditions)).one()
    rows = session.exec(select(Report).where(*conditions).order_by(Report.created_at.desc(), Report.id.desc())
                        .offset(max(page, 0) * page_size).limit(page_size)).all()
    return list(rows), int(total)


@dataclass
class ReportDetail:
    report: Report
    reporter: str | None
    updates: list[ReportUpdate]
    photos: list[ReportPhoto]
    supported_by_actor: bool
    reporter_deleted: bool = False


def report_detail(session: Session, report_id: int, *, person_id: int | None = None) -> ReportDetail | None:
    report = session.get(Report, report_id)
    if report is None:
        return None
    person = session.get(Person, report.reporter_id) if report.reporter_id else None
    updates = session.exec(select(ReportUpdate).where(ReportUpdate.report_id == report_id)
                           .order_by(ReportUpdate.created_at, ReportUpdate.id)).all()
    photos = session.exec(select(ReportPhoto).where(ReportPhoto.report_id == report_id).order_by(ReportPhoto.id)).all()
    supported = False
    if person_id is not None:
        supported = session.exec(select(ReportSupport.id).where(ReportSupport.report_id == report_id,
                                                                ReportSupport.person_id == person_id)).first() is not None
    deleted = person is not None and person.deleted_at is not None
    return ReportDetail(report, reporter_name(report, person), list(updates), list(photos), supported, deleted)


def nearby_open(session: Session, *, category: str, lat: float | None, lon: float | None,
                unit: str | None = None, limit: int = 5) -> list[tuple[Report, float | None]]:
    """Open reports of the same category near a point (or, without one, in the same unit)."""
    if category not in rules.CATEGORIES:
        return []
    query = select(Report).where(Report.category == category, Report.status.in_(rules.OPEN_STATUSES))
    if lat is not None and lon is not None:
        south, west, north, east = rules.bbox_around(lat, lon, rules.NEARBY_METRES)
        query = query.where(Report.lat.between(south, north), Report.lon.between(west, east))
        found = [(r, rules.distance_m(lat, lon, r.lat, r.lon)) for r in session.exec(query.limit(200))]
        found = [(r, d) for r, d in found if d <= rules.NEARBY_METRES]
        found.sort(key=lambda item: item[1])
        return found[:limit]
    if unit in rules.MUNICIPAL_UNITS:
        query = query.where(Report.municipal_unit == unit).order_by(Report.created_at.desc()).limit(limit)
        return [(r, None) for r in session.exec(query)]
    return []


def _late(now: datetime):
    """SQL: an open report past its due date (acknowledgement while submitted, else resolution)."""
    return or_(Report.resolve_due_at < now, and_(Report.status == rules.SUBMITTED, Report.ack_due_at < now))


def staff_queue(session: Session, *, category: str | None = None, unit: str | None = None,
                overdue_only: bool = False, now: datetime | None = None, limit: int = 100,
                department: str | None = None) -> list[Report]:
    """Open reports, most urgent first (the earliest due date); ``department`` keeps one
    department's only (a department officer's desk: "" matches nothing)."""
    now = as_utc(now or utcnow())
    conditions = [Report.status.in_(rules.OPEN_STATUSES), *_in_department(department)]
    if category in rules.CATEGORIES:
        conditions.append(Report.category == category)
    if unit in rules.MUNICIPAL_UNITS:
        conditions.append(Report.municipal_unit == unit)
    if overdue_only:
        conditions.append(_late(now))
    query = select(Report).where(*conditions).order_by(Report.resolve_due_at, Report.id).limit(limit)
    return list(session.exec(query))


def _in_department(department: str | None) -> list:
    return [] if department is None else [Report.department == department]


def queue_summary(session: Session, *, now: datetime | None = None,
                  department: str | None = None) -> dict[tuple[str, str], tuple[int, int]]:
    """Open and overdue reports per (category, unit), for triage at a glance."""
    now = as_utc(now or utcnow())
    overdue = case((_late(now), 1), else_=0)
    rows = session.exec(select(Report.category, Report.municipal_unit, func.count(), func.sum(overdue))
                        .where(Report.status.in_(rules.OPEN_STATUSES), *_in_department(department))
                        .group_by(Report.category, Report.municipal_unit)).all()
    return {(c, u): (int(n), int(o or 0)) for c, u, n, o in rows}


def target_for(session: Session, category: str) -> tuple[int, int]:
    """The (acknowledge, resolve) working-day targets of a category: stored, or the default."""
    row = session.get(ServiceTarget, category)
    if row is not None:
        return row.ack_days, row.resolve_days
    return rules.DEFAULT_TARGETS.get(category, rules.DEFAULT_TARGETS["other"])


def supporter_ids(session: Session, report_id: int) -> list[int]:
    return list(session.exec(select(ReportSupport.person_id).where(ReportSupport.report_id == report_id)))


def targets(session: Session) -> dict[str, tuple[int, int]]:
    stored = {row.category: (row.ack_days, row.resolve_days) for row in session.exec(select(ServiceTarget))}
    return {c: stored.get(c, rules.DEFAULT_TARGETS[c]) for c in rules.CATEGORIES}


def month_range(months: int, now: datetime | None = None) -> tuple[str, str]:
    """The first and last ``YYYY-MM`` of the last ``months`` months (this month included)."""
    now = as_utc(now or utcnow())
    last = rules.month_of(now)
    year, month = int(last[:4]), int(last[5:])
    month -= months - 1
    while month <= 0:
        month += 12
        year -= 1
    return f"{year:04d}-{month:02d}", last


def report_facts(session: Session, *, from_month: str | None = None, to_month: str | None = None,
                 category: str | None = None, unit: str | None = None,
                 now: datetime | None = None) -> list[tuple]:
    """The per-report facts the figures are computed from: one narrow, indexed query,
    read as plain tuples in ``rules.ReportFacts`` order (no ORM objects, no dates
    parsed in Python — "overdue" is decided in SQL).

    Merged duplicates are left out: they are counted once, in the report they joined.
    """
    now = as_utc(now or utcnow())
    overdue = case((and_(Report.status.in_(rules.OPEN_STATUSES), _late(now)), True), else_=False)
    conditions = _figure_conditions(from_month, to_month, category, unit)
    query = sa_select(Report.category, Report.municipal_unit, Report.created_month, Report.status,
                      Report.ack_work_days, Report.resolve_work_days, Report.resolve_target_days, overdue,
                      Report.rating_fixed, Report.rating_score).where(*conditions)
    result = session.connection().execute(query)
    # The driver's tuples as they are: SQLAlchemy's per-row processing would cost more
    # than the figures themselves (booleans stay 0/1 on SQLite, which the rules accept).
    return result.cursor.fetchall()


def _figure_conditions(from_month, to_month, category, unit) -> list:
    conditions = [Report.status != rules.MERGED]
    if from_month:
        conditions.append(Report.created_month >= from_month)
    if to_month:
        conditions.append(Report.created_month <= to_month)
    if category in rules.CATEGORIES:
        conditions.append(Report.category == category)
    if unit in rules.MUNICIPAL_UNITS:
        conditions.append(Report.municipal_unit == unit)
    return conditions


def figure_groups(session: Session, *, from_month: str | None = None, to_month: str | None = None,
                  category: str | None = None, unit: str | None = None, now: datetime | None = None):
    """The figures' groups, with the counting done by the database (two narrow scans of
    the covering index): totals per (category, unit, month), and only the working-day
    values the exact medians need. Same result as ``rules._finest(report_facts(…))``."""
    now = as_utc(now or utcnow())
    conditions = _figure_conditions(from_month, to_month, category, unit)
    resolved = Report.status == rules.RESOLVED
    within = case((and_(resolved, Report.resolve_work_days <= Report.resolve_target_days), 1), else_=0)
    overdue = case((and_(Report.status.in_(rules.OPEN_STATUSES), _late(now)), 1), else_=0)
    rated = Report.rating_fixed.is_not(None)
    fixed = case((Report.rating_fixed == True, 1), else_=0)  # noqa: E712
    rated_score = case((rated, Report.rating_score), else_=None)
    keys = (Report.category, Report.municipal_unit, Report.created_month)
    totals = sa_select(*keys, func.count(), func.sum(within), func.sum(overdue), func.count(Report.rating_fixed),
                       func.sum(fixed), func.sum(rated_score), func.count(rated_score)) \
        .where(*conditions).group_by(*keys)
    values = sa_select(*keys, Report.ack_work_days, case((resolved, Report.resolve_work_days), else_=None)) \
        .where(*conditions, or_(Report.ack_work_days.is_not(None), resolved))
    connection = session.connection()
    totals_rows = connection.execute(totals).cursor.fetchall()
    value_rows = connection.execute(values).cursor.fetchall()
    return rules.groups_from_totals(totals_rows, value_rows)


def figures(session: Session, *, months: int = 12, category: str | None = None, unit: str | None = None,
            by: tuple[str, ...] = ("category", "unit", "month"), now: datetime | None = None) -> list[rules.FigureRow]:
    first, last = month_range(months, now)
    groups = figure_groups(session, from_month=first, to_month=last, category=category, unit=unit, now=now)
    return rules.figures_from_groups(groups, [tuple(by)])[tuple(by)]


# --- Open311 -------------------------------------------------------------------------------

OPEN311_LIMIT = 1000
OPEN311_COLUMNS = ("id", "status", "category", "description", "department", "forwarded_to", "created_at", "updated_at",
                   "resolve_due_at", "address", "lat", "lon")
OPEN311_DEFAULT_DAYS = 90


def open311_requests(session: Session, *, ids: list[int] | None = None, service_codes: list[str] | None = None,
                     start: datetime | None = None, end: datetime | None = None,
                     statuses: list[str] | None = None, now: datetime | None = None) -> list:
    """GeoReport v2 ``GET requests``: ids override every other filter; without dates,
    the last 90 days; at most 1000, newest first. Rows carry the report's fields as
    attributes (plain rows, not ORM objects: a thousand of them are read per call)."""
    query = sa_select(*(Report.__table__.c[name] for name in OPEN311_COLUMNS))
    if ids:
        query = query.where(Report.id.in_(ids))
    else:
        now = as_utc(now or utcnow())
        if start is None and end is None:
            start = now - timedelta(days=OPEN311_DEFAULT_DAYS)
        if start is not None:
            query = query.where(Report.created_at >= as_utc(start))
        if end is not None:
            query = query.where(Report.created_at <= as_utc(end))
        if service_codes:
            query = query.where(Report.category.in_(service_codes))
        if statuses:
            wanted: set[str] = set()
            if "open" in statuses:
                wanted |= rules.OPEN_STATUSES
            if "closed" in statuses:
                wanted |= rules.CLOSED_STATUSES
            query = query.where(Report.status.in_(wanted))
    query = query.order_by(Report.created_at.desc(), Report.id.desc()).limit(OPEN311_LIMIT)
    return list(session.connection().execute(query))


def first_photos(session: Session, report_ids: list[int]) -> dict[int, str]:
    if not report_ids:
        return {}
    found: dict[int, str] = {}
    for report_id, filename in session.exec(select(ReportPhoto.report_id, ReportPhoto.filename)
                                            .where(ReportPhoto.report_id.in_(report_ids)).order_by(ReportPhoto.id)):
        found.setdefault(report_id, filename)
    return found


def last_notes(session: Session, report_ids: list[int]) -> dict[int, str]:
    """The latest public staff note per report (Open311 ``status_notes``)."""
    if not report_ids:
        return {}
    notes: dict[int, str] = {}
    rows = session.exec(select(ReportUpdate.report_id, ReportUpdate.note).where(
        ReportUpdate.report_id.in_(report_ids), ReportUpdate.by_staff == True)  # noqa: E712
        .order_by(ReportUpdate.id))
    for report_id, note in rows:
        if note:
            notes[report_id] = note
    return notes


def api_keys(session: Session) -> list[Open311Key]:
    return list(session.exec(select(Open311Key).order_by(Open311Key.created_at.desc())))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_for(session: Session, plain: str | None) -> Open311Key | None:
    """The live key behind a plain API key, or None (missing, unknown or revoked)."""
    if not plain:
        return None
    row = session.exec(select(Open311Key).where(Open311Key.key_hash == hash_key(plain))).first()
    if row is None or row.revoked_at is not None:
        return None
    return row


def latest_change(session: Session) -> datetime | None:
    """When the newest report or status change was written (what the public figures are "as of")."""
    newest = session.exec(select(func.max(ReportUpdate.created_at))).one()
    return as_utc(newest) if newest else None


def internal_notes(session: Session, report_id: int) -> list[tuple[ReportInternalNote, str]]:
    """A report's internal notes, oldest first, with their authors' names (staff desk only)."""
    rows = session.exec(select(ReportInternalNote, Person).join(Person, Person.id == ReportInternalNote.author_id,
                                                                isouter=True)
                        .where(ReportInternalNote.report_id == report_id)
                        .order_by(ReportInternalNote.created_at, ReportInternalNote.id)).all()
    return [(note, person.public_name if person is not None else "") for note, person in rows]


def officers(session: Session, department: str | None = None) -> list[tuple[int, str, str]]:
    """(person id, name, department) of every department officer (of one department, if given)."""
    query = (select(Person.id, Person, RoleGrant.department).join(RoleGrant, RoleGrant.person_id == Person.id)
             .where(RoleGrant.role == Role.DEPARTMENT_OFFICER.value, Person.deleted_at.is_(None)))
    if department is not None:
        query = query.where(RoleGrant.department == department)
    return [(pid, p.public_name, d or "") for pid, p, d in session.exec(query.order_by(Person.display_name, Person.id))]

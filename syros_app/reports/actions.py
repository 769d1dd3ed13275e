"""Writes of service reports: report, "me too", status changes, merging, rating,
targets and Open311 keys. One transaction each (the caller's ``session_scope``)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core import audit, events
from syros_app.core.errors import AgoraError, InvalidInput, NotFound
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.identity.roles import Actor

from . import permissions, rules
from .models import Open311Key, Report, ReportPhoto, ReportSupport, ReportUpdate, ServiceTarget
from .photos import ProcessedPhoto, store_photo


def _now(now: datetime | None) -> datetime:
    return as_utc(now or utcnow())


def report_url(report_id: int) -> str:
    return f"/reports/{report_id}"


def target_for(session: Session, category: str) -> tuple[int, int]:
    row = session.get(ServiceTarget, category)
    if row is not None:
        return row.ack_days, row.resolve_days
    return rules.DEFAULT_TARGETS.get(category, rules.DEFAULT_TARGETS["other"])


def _clean_text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


def validate_location(lat: float | None, lon: float | None, address: str | None,
                      municipal_unit: str | None) -> tuple[float | None, float | None, str | None, str]:
    """At least one of a point or an address; a point must be on Syros; the unit follows the point."""
    address = _clean_text(address, rules.MAX_ADDRESS) or None
    if (lat is None) != (lon is None):
        raise InvalidInput("reports.errors.point_incomplete")
    if lat is not None and lon is not None:
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError) as exc:
            raise InvalidInput("reports.errors.point_incomplete") from exc
        unit = rules.unit_for_point(lat, lon)
        if unit is None:
            raise InvalidInput("reports.errors.point_outside")
        return round(lat, 6), round(lon, 6), address, unit
    if not address:
        raise InvalidInput("reports.errors.location_required")
    if municipal_unit not in rules.MUNICIPAL_UNITS:
        raise InvalidInput("reports.errors.unit_required")
    return None, None, address, municipal_unit


def _new_report(session: Session, *, category: str, description: str, lat, lon, address, unit: str,
                reporter_id: int | None, show_name: bool, source: str, now: datetime) -> Report:
    if category not in rules.CATEGORIES:
        raise InvalidInput("reports.errors.category")
    description = _clean_text(description, rules.MAX_DESCRIPTION)
    if len(description) < rules.MIN_DESCRIPTION:
        raise InvalidInput("reports.errors.description_short", n=rules.MIN_DESCRIPTION)
    ack_days, resolve_days = target_for(session, category)
    report = Report(
        category=category, description=description, lat=lat, lon=lon, address=address,
        municipal_unit=unit, status=rules.SUBMITTED, reporter_id=reporter_id, show_name=show_name,
        source=source, created_at=now, created_month=rules.month_of(now), updated_at=now,
        ack_due_at=rules.add_working_days(now, ack_days), resolve_due_at=rules.add_working_days(now, resolve_days),
        ack_target_days=ack_days, resolve_target_days=resolve_days,
    )
    session.add(report)
    session.flush()
    session.add(ReportUpdate(report_id=report.id, created_at=now, status_from=None, status_to=rules.SUBMITTED,
                             note="", by_staff=False, person_id=reporter_id))
    return report


def create_report(session: Session, *, actor: Actor | None, category: str, description: str,
                  lat: float | None = None, lon: float | None = None, address: str | None = None,
                  municipal_unit: str | None = None, show_name: bool = False,
                  photos: list[ProcessedPhoto] | None = None, now: datetime | None = None) -> Report:
    actor = permissions.require_resident(actor)
    now = _now(now)
    photos = photos or []
    if len(photos) > rules.MAX_PHOTOS:
        raise InvalidInput("reports.errors.too_many_photos", n=rules.MAX_PHOTOS)
    lat, lon, address, unit = validate_location(lat, lon, address, municipal_unit)
    report = _new_report(session, category=category, description=description, lat=lat, lon=lon, address=address,
                         unit=unit, reporter_id=actor.person_id, show_name=bool(show_name), source="web", now=now)
    for photo in photos:
        name = store_photo(photo)
        session.add(ReportPhoto(report_id=report.id, filename=name, width=photo.width, height=photo.height,
                                created_at=now))
    session.flush()
    return report


def add_support(session: Session, *, actor: Actor | None, report_id: int, now: datetime | None = None) -> Report:
    """ "Me too": one per person and report; not on one's own report, nor on a closed one."""
    actor = permissions.require_resident(actor)
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("reports.errors.not_found")
    if report.reporter_id == actor.person_id:
        raise AgoraError("reports.errors.support_own")
    if report.status not in rules.OPEN_STATUSES:
        raise AgoraError("reports.errors.support_closed")
    exists = session.exec(select(ReportSupport).where(ReportSupport.report_id == report_id,
                                                      ReportSupport.person_id == actor.person_id)).first()
    if exists is not None:
        raise AgoraError("reports.errors.support_twice")
    try:
        with session.begin_nested():
            session.add(ReportSupport(report_id=report_id, person_id=actor.person_id, created_at=_now(now)))
            session.flush()
    except IntegrityError as exc:
        raise AgoraError("reports.errors.support_twice") from exc
    report.supporters += 1
    session.add(report)
    session.flush()
    return report


def _notify(session: Session, report: Report, note: str, now: datetime) -> None:
    if report.reporter_id is not None:
        events.publish(session, "report.status_changed", {
            "report_id": report.id, "person_id": report.reporter_id, "status": report.status,
            "note": note, "url": report_url(report.id),
        }, now=now)


def _apply_status(report: Report, new: str, now: datetime) -> None:
    """Keep the timing columns in step with a status change (the figures read them)."""
    if report.acknowledged_at is None and new != rules.SUBMITTED:
        report.acknowledged_at = now
        report.ack_work_days = round(rules.working_days_between(as_utc(report.created_at), now), 4)
    if new == rules.RESOLVED:
        report.resolved_at = now
        report.resolve_work_days = round(rules.working_days_between(as_utc(report.created_at), now), 4)
    elif report.status == rules.RESOLVED:  # reopened
        report.resolved_at = None
        report.resolve_work_days = None
    report.status = new
    report.updated_at = now


def change_status(session: Session, *, actor: Actor | None, report_id: int, status: str, note: str,
                  forwarded_to: str | None = None, now: datetime | None = None) -> Report:
    actor = permissions.require_staff(actor)
    now = _now(now)
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("reports.errors.not_found")
    note = _clean_text(note, 2000)
    forwarded_to = _clean_text(forwarded_to, 120) or None
    try:
        rules.check_transition(report.status, status, note=note, forwarded_to=forwarded_to)
    except rules.TransitionError as exc:
        raise InvalidInput(exc.key) from exc
    previous = report.status
    _apply_status(report, status, now)
    if status == rules.FORWARDED:
        report.forwarded_to = forwarded_to
    elif previous == rules.FORWARDED:
        report.forwarded_to = None
    if status == rules.RESOLVED:  # a new resolution is rated afresh
        report.rating_fixed = report.rating_score = report.rating_comment = report.rated_at = None
    session.add(report)
    session.add(ReportUpdate(report_id=report.id, created_at=now, status_from=previous, status_to=status,
                             note=note, by_staff=True, person_id=actor.person_id, forwarded_to=forwarded_to))
    audit.record(session, actor=actor.audit_name, action="reports.change_status", target=f"report:{report.id}",
                 details={"from": previous, "to": status, "note": note, "forwarded_to": forwarded_to}, now=now)
    _notify(session, report, note, now)
    session.flush()
    return report


def assign_department(session: Session, *, actor: Actor | None, report_id: int, department: str,
                      now: datetime | None = None) -> Report:
    actor = permissions.require_staff(actor)
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("reports.errors.not_found")
    if department not in rules.DEPARTMENTS:
        raise InvalidInput("reports.errors.department")
    previous = report.department
    report.department = department
    report.updated_at = _now(now)
    session.add(report)
    audit.record(session, actor=actor.audit_name, action="reports.assign", target=f"report:{report.id}",
                 details={"from": previous, "to": department}, now=now)
    session.flush()
    return report


def merge_reports(session: Session, *, actor: Actor | None, duplicate_id: int, into_id: int, note: str = "",
                  now: datetime | None = None) -> Report:
    """Close ``duplicate_id`` as a duplicate of ``into_id``; its reporter and supporters
    become supporters of the surviving report (so nobody's "me too" is lost)."""
    actor = permissions.require_staff(actor)
    now = _now(now)
    if duplicate_id == into_id:
        raise InvalidInput("reports.errors.merge_self")
    duplicate = session.get(Report, duplicate_id)
    target = session.get(Report, into_id)
    if duplicate is None or target is None:
        raise NotFound("reports.errors.not_found")
    if duplicate.status not in rules.MERGEABLE:
        raise InvalidInput("reports.errors.merge_closed")
    if target.status == rules.MERGED:
        raise InvalidInput("reports.errors.merge_into_merged")
    people = {s.person_id for s in session.exec(select(ReportSupport).where(ReportSupport.report_id == duplicate_id))}
    if duplicate.reporter_id is not None:
        people.add(duplicate.reporter_id)
    already = {s.person_id for s in session.exec(select(ReportSupport).where(ReportSupport.report_id == into_id))}
    added = 0
    for person_id in sorted(people - already - {target.reporter_id}):
        session.add(ReportSupport(report_id=into_id, person_id=person_id, created_at=now))
        added += 1
    target.supporters += added
    target.updated_at = now
    previous = duplicate.status
    note = _clean_text(note, 2000)
    _apply_status(duplicate, rules.MERGED, now)
    duplicate.merged_into_id = into_id
    session.add_all([duplicate, target])
    session.add(ReportUpdate(report_id=duplicate.id, created_at=now, status_from=previous, status_to=rules.MERGED,
                             note=note, by_staff=True, person_id=actor.person_id))
    audit.record(session, actor=actor.audit_name, action="reports.merge", target=f"report:{duplicate.id}",
                 details={"into": into_id, "supporters_added": added, "note": note}, now=now)
    _notify(session, duplicate, note, now)
    session.flush()
    return target


def rate_report(session: Session, *, actor: Actor | None, report_id: int, fixed: bool, score: int,
                comment: str = "", now: datetime | None = None) -> Report:
    """The reporter rates a resolved report once per resolution; "not fixed" reopens it."""
    actor = permissions.require_resident(actor)
    now = _now(now)
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("reports.errors.not_found")
    if report.reporter_id != actor.person_id:
        raise AgoraError("reports.errors.rate_not_yours")
    if report.status != rules.RESOLVED or report.rated_at is not None:
        raise AgoraError("reports.errors.rate_not_resolved")
    try:
        score = int(score)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("reports.errors.score") from exc
    if not 1 <= score <= 5:
        raise InvalidInput("reports.errors.score")
    comment = _clean_text(comment, 1000)
    report.rating_fixed = bool(fixed)
    report.rating_score = score
    report.rating_comment = comment or None
    report.rated_at = now
    report.updated_at = now
    if not fixed:
        # Reopened: back to work. The rating stays on record for the figures until a new resolution.
        previous = report.status
        report.status = rules.IN_PROGRESS
        report.resolved_at = None
        report.resolve_work_days = None
        session.add(ReportUpdate(report_id=report.id, created_at=now, status_from=previous,
                                 status_to=rules.IN_PROGRESS, note=comment, by_staff=False,
                                 person_id=actor.person_id))
    session.add(report)
    session.flush()
    return report


def set_target(session: Session, *, actor: Actor | None, category: str, ack_days: int, resolve_days: int,
               now: datetime | None = None) -> ServiceTarget:
    actor = permissions.require_administrator(actor)
    if category not in rules.CATEGORIES:
        raise InvalidInput("reports.errors.category")
    try:
        ack_days, resolve_days = int(ack_days), int(resolve_days)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("reports.errors.target") from exc
    if not (1 <= ack_days <= resolve_days <= 365):
        raise InvalidInput("reports.errors.target")
    now = _now(now)
    row = session.get(ServiceTarget, category)
    before = (row.ack_days, row.resolve_days) if row else rules.DEFAULT_TARGETS[category]
    if row is None:
        row = ServiceTarget(category=category, ack_days=ack_days, resolve_days=resolve_days, updated_at=now,
                            updated_by=actor.person_id)
    else:
        row.ack_days, row.resolve_days, row.updated_at, row.updated_by = ack_days, resolve_days, now, actor.person_id
    session.add(row)
    audit.record(session, actor=actor.audit_name, action="reports.set_target", target=f"category:{category}",
                 details={"from": list(before), "to": [ack_days, resolve_days]}, now=now)
    session.flush()
    return row


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_key(session: Session, *, actor: Actor | None, name: str, now: datetime | None = None) -> tuple[Open311Key, str]:
    """A new Open311 key; the plain key is returned once and never stored."""
    actor = permissions.require_staff(actor)
    name = _clean_text(name, 80)
    if len(name) < 3:
        raise InvalidInput("reports.errors.key_name")
    key = "syr_" + secrets.token_urlsafe(30)
    row = Open311Key(name=name, key_hash=hash_key(key), prefix=key[:8], created_at=_now(now),
                     created_by=actor.person_id)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.audit_name, action="reports.issue_api_key", target=f"open311_key:{row.id}",
                 details={"name": name, "prefix": row.prefix}, now=now)
    return row, key


def revoke_api_key(session: Session, *, actor: Actor | None, key_id: int, now: datetime | None = None) -> Open311Key:
    actor = permissions.require_staff(actor)
    row = session.get(Open311Key, key_id)
    if row is None:
        raise NotFound("reports.errors.not_found")
    if row.revoked_at is None:
        row.revoked_at = _now(now)
        session.add(row)
        audit.record(session, actor=actor.audit_name, action="reports.revoke_api_key",
                     target=f"open311_key:{row.id}", details={"name": row.name, "prefix": row.prefix}, now=now)
        session.flush()
    return row


def key_for(session: Session, plain: str | None) -> Open311Key | None:
    if not plain:
        return None
    row = session.exec(select(Open311Key).where(Open311Key.key_hash == hash_key(plain))).first()
    if row is None or row.revoked_at is not None:
        return None
    return row


def create_open311_request(session: Session, *, key: Open311Key, service_code: str, description: str,
                           lat: float | None, lon: float | None, address: str | None,
                           now: datetime | None = None) -> Report:
    """A request posted by another system (a key holder) through Open311."""
    now = _now(now)
    if lat is not None or lon is not None:
        lat, lon, address, unit = validate_location(lat, lon, address, None)
    else:
        lat, lon, address, unit = _address_only(address)
    report = _new_report(session, category=service_code, description=description, lat=lat, lon=lon, address=address,
                         unit=unit, reporter_id=None, show_name=False, source=f"open311:{key.prefix}", now=now)
    report.open311_token = secrets.token_urlsafe(18)
    session.add(report)
    session.flush()
    return report


def _address_only(address: str | None) -> tuple[None, None, str, str]:
    address = _clean_text(address, rules.MAX_ADDRESS)
    if not address:
        raise InvalidInput("reports.errors.location_required")
    return None, None, address, rules.unit_for_address(address)

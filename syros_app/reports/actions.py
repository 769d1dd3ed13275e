"""Writes of service reports: report, "me too", rating, status changes, departments,
merging, targets, Open311 keys and Open311 requests.

Each is an action (``core.actions.action``): the role matrix (``permissions.MATRIX``)
is checked first, the input is typed, and the caller's ``session_scope`` commits —
the report, its history row, its audit row and its outbox event stand or fall together.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from syros_app.core import events
from syros_app.core.actions import action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.core.timefmt import as_utc

from . import queries, rules
from .models import Open311Key, Report, ReportInternalNote, ReportPhoto, ReportSupport, ReportUpdate, ServiceTarget
from .permissions import MATRIX
from .photos import claim_photo


STAFF_DESK = "/staff/reports"


def report_url(report_id: int) -> str:
    return f"/reports/{report_id}"


def _clean_text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


def _report(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("reports.errors.not_found")
    return report


def _triaged_report(session: Session, actor: Actor, permission: str, report_id: int) -> Report:
    """The report, when this actor may triage it (an officer: her department's only)."""
    report = _report(session, report_id)
    if not MATRIX.allows(actor, permission, report):
        raise PermissionDenied("reports.errors.other_department")
    return report


def validate_location(lat: float | None, lon: float | None, address: str | None,
                      municipal_unit: str | None) -> tuple[float | None, float | None, str | None, str]:
    """At least one of a point or an address; a point must be on Syros; the unit follows the point."""
    address = _clean_text(address, rules.MAX_ADDRESS) or None
    if (lat is None) != (lon is None):
        raise InvalidInput("reports.errors.point_incomplete")
    if lat is not None and lon is not None:
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
    ack_days, resolve_days = queries.target_for(session, category)
    report = Report(
        category=category, description=description, lat=lat, lon=lon, address=address,
        municipal_unit=unit, status=rules.SUBMITTED, reporter_id=reporter_id, show_name=show_name,
        source=source, created_at=now, created_month=rules.month_of(now), updated_at=now,
        ack_due_at=rules.add_working_days(now, ack_days), resolve_due_at=rules.add_working_days(now, resolve_days),
        ack_target_days=ack_days, resolve_target_days=resolve_days,
    )
    session.add(report)
    session.flush()
    _history(session, report, None, rules.SUBMITTED, "", reporter_id, now, by_staff=False)
    return report


def _history(session: Session, report: Report, previous: str | None, new: str, note: str, person_id: int | None,
             now: datetime, *, by_staff: bool, forwarded_to: str | None = None) -> None:
    session.add(ReportUpdate(report_id=report.id, created_at=now, status_from=previous, status_to=new, note=note,
                             by_staff=by_staff, person_id=person_id, forwarded_to=forwarded_to))


@action(MATRIX, "create_report")
def create_report(session: Session, *, actor: Actor, category: str, description: str,
                  lat: float | None = None, lon: float | None = None, address: str | None = None,
                  municipal_unit: str | None = None, show_name: bool = False,
                  photos: list[str] | None = None, now: datetime) -> Report:
    """``photos`` names uploads stashed by ``photos.stash_photo`` (claimed here, in this transaction)."""
    photos = photos or []
    if len(photos) > rules.MAX_PHOTOS:
        raise InvalidInput("reports.errors.too_many_photos", n=rules.MAX_PHOTOS)
    lat, lon, address, unit = validate_location(lat, lon, address, municipal_unit)
    report = _new_report(session, category=category, description=description, lat=lat, lon=lon, address=address,
                         unit=unit, reporter_id=actor.person_id, show_name=show_name, source="web", now=now)
    for pending in photos:
        name, width, height = claim_photo(session, pending)
        session.add(ReportPhoto(report_id=report.id, filename=name, width=width, height=height, created_at=now))
    session.flush()
    return report


@action(MATRIX, "add_support")
def add_support(session: Session, *, actor: Actor, report_id: int, now: datetime) -> Report:
    """ "Me too": one per person and report; not on one's own report, nor on a closed one."""
    report = _report(session, report_id)
    MATRIX.enforce(actor, "add_support", report)
    if report.status not in rules.OPEN_STATUSES:
        raise AgoraError("reports.errors.support_closed")
    exists = session.exec(select(ReportSupport).where(ReportSupport.report_id == report_id,
                                                      ReportSupport.person_id == actor.person_id)).first()
    if exists is not None:
        raise AgoraError("reports.errors.support_twice")
    try:  # a savepoint: a double click racing itself is "twice", not a generic conflict
        with session.begin_nested():
            session.add(ReportSupport(report_id=report_id, person_id=actor.person_id, created_at=now))
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


@action(MATRIX, "change_status")
def change_status(session: Session, *, actor: Actor, report_id: int, status: str, note: str,
                  forwarded_to: str | None = None, now: datetime) -> Report:
    """A new status with its public note (required by the rules for most changes)."""
    report = _triaged_report(session, actor, "change_status", report_id)
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
    _history(session, report, previous, status, note, actor.person_id, now, by_staff=True, forwarded_to=forwarded_to)
    audit(session, actor, "reports.change_status", f"report:{report.id}", now=now,
          details={"from": previous, "to": status, "note": note, "forwarded_to": forwarded_to})
    _notify(session, report, note, now)
    session.flush()
    return report


@action(MATRIX, "assign_department")
def assign_department(session: Session, *, actor: Actor, report_id: int, department: str, now: datetime) -> Report:
    report = _triaged_report(session, actor, "assign_department", report_id)
    if department not in rules.DEPARTMENTS:
        raise InvalidInput("reports.errors.department")
    previous = report.department
    report.department = department
    report.updated_at = now
    session.add(report)
    audit(session, actor, "reports.assign", f"report:{report.id}", now=now,
          details={"from": previous, "to": department})
    if department != previous:  # the department's officers are told (notices/staff_alerts.py)
        events.publish(session, "report.routed", {"report_id": report.id, "department": department,
                                                  "actor_id": actor.person_id, "url": STAFF_DESK}, now=now)
    session.flush()
    return report


@action(MATRIX, "add_internal_note")
def add_internal_note(session: Session, *, actor: Actor, report_id: int, body: str, now: datetime) -> ReportInternalNote:
    """A note for colleagues on the desk (never public: no status change, no announcement)."""
    report = _triaged_report(session, actor, "add_internal_note", report_id)
    body = _clean_text(body, 2000)
    if len(body) < 2:
        raise InvalidInput("reports.errors.note_missing", field="body")
    note = ReportInternalNote(report_id=report.id, author_id=actor.person_id or None, body=body, created_at=now)
    session.add(note)
    session.flush()
    audit(session, actor, "reports.internal_note", f"report:{report.id}", now=now, details={"note_id": note.id})
    return note


@action(MATRIX, "assign_officer")
def assign_officer(session: Session, *, actor: Actor, report_id: int, officer_id: int | None = None,
                   now: datetime) -> Report:
    """Give the report to one officer of its department (or to nobody: ``officer_id`` empty)."""
    report = _triaged_report(session, actor, "assign_officer", report_id)
    if officer_id:
        known = {pid for pid, _name, _dept in queries.officers(session, report.department or "")}
        if officer_id not in known:
            raise InvalidInput("reports.errors.officer_not_in_department", field="officer_id")
    previous = report.assigned_to
    report.assigned_to = officer_id or None
    report.updated_at = now
    session.add(report)
    audit(session, actor, "reports.assign_officer", f"report:{report.id}", now=now,
          details={"from": previous, "to": report.assigned_to})
    if report.assigned_to and report.assigned_to != previous:  # the officer is told
        events.publish(session, "report.assigned", {"report_id": report.id, "officer_id": report.assigned_to,
                                                    "actor_id": actor.person_id, "url": STAFF_DESK}, now=now)
    session.flush()
    return report


@action(MATRIX, "merge_reports")
def merge_reports(session: Session, *, actor: Actor, duplicate_id: int, into_id: int, note: str = "",
                  now: datetime) -> Report:
    """Close ``duplicate_id`` as a duplicate of ``into_id``; its reporter and supporters
    become supporters of the surviving report (so nobody's "me too" is lost)."""
    if duplicate_id == into_id:
        raise InvalidInput("reports.errors.merge_self")
    duplicate, target = session.get(Report, duplicate_id), session.get(Report, into_id)
    if duplicate is None or target is None:
        raise NotFound("reports.errors.not_found")
    if not (MATRIX.allows(actor, "merge_reports", duplicate) and MATRIX.allows(actor, "merge_reports", target)):
        raise PermissionDenied("reports.errors.other_department")
    if duplicate.status not in rules.MERGEABLE:
        raise InvalidInput("reports.errors.merge_closed")
    if target.status == rules.MERGED:
        raise InvalidInput("reports.errors.merge_into_merged")
    people = set(queries.supporter_ids(session, duplicate_id))
    if duplicate.reporter_id is not None:
        people.add(duplicate.reporter_id)
    added = sorted(people - set(queries.supporter_ids(session, into_id)) - {target.reporter_id})
    session.add_all(ReportSupport(report_id=into_id, person_id=p, created_at=now) for p in added)
    target.supporters += len(added)
    target.updated_at = now
    previous = duplicate.status
    note = _clean_text(note, 2000)
    _apply_status(duplicate, rules.MERGED, now)
    duplicate.merged_into_id = into_id
    session.add_all([duplicate, target])
    _history(session, duplicate, previous, rules.MERGED, note, actor.person_id, now, by_staff=True)
    audit(session, actor, "reports.merge", f"report:{duplicate.id}", now=now,
          details={"into": into_id, "supporters_added": len(added), "note": note})
    _notify(session, duplicate, note, now)
    session.flush()
    return target


@action(MATRIX, "rate_report")
def rate_report(session: Session, *, actor: Actor, report_id: int, fixed: bool, score: int,
                comment: str = "", now: datetime) -> Report:
    """The reporter rates a resolved report once per resolution; "not fixed" reopens it."""
    report = _report(session, report_id)
    MATRIX.enforce(actor, "rate_report", report)
    if report.status != rules.RESOLVED or report.rated_at is not None:
        raise AgoraError("reports.errors.rate_not_resolved")
    if not 1 <= score <= 5:
        raise InvalidInput("reports.errors.score")
    comment = _clean_text(comment, 1000)
    report.rating_fixed, report.rating_score, report.rating_comment = fixed, score, comment or None
    report.rated_at = report.updated_at = now
    if not fixed:
        # Reopened: back to work. The rating stays on record for the figures until a new resolution.
        previous = report.status
        report.status = rules.IN_PROGRESS
        report.resolved_at = None
        report.resolve_work_days = None
        _history(session, report, previous, rules.IN_PROGRESS, comment, actor.person_id, now, by_staff=False)
    session.add(report)
    session.flush()
    return report


@action(MATRIX, "set_target")
def set_target(session: Session, *, actor: Actor, category: str, ack_days: int, resolve_days: int,
               now: datetime) -> ServiceTarget:
    if category not in rules.CATEGORIES:
        raise InvalidInput("reports.errors.category")
    if not (1 <= ack_days <= resolve_days <= 365):
        raise InvalidInput("reports.errors.target")
    row = session.get(ServiceTarget, category)
    before = (row.ack_days, row.resolve_days) if row else rules.DEFAULT_TARGETS[category]
    if row is None:
        row = ServiceTarget(category=category, ack_days=ack_days, resolve_days=resolve_days, updated_at=now,
                            updated_by=actor.person_id)
    else:
        row.ack_days, row.resolve_days, row.updated_at, row.updated_by = ack_days, resolve_days, now, actor.person_id
    session.add(row)
    audit(session, actor, "reports.set_target", f"category:{category}", now=now,
          details={"from": list(before), "to": [ack_days, resolve_days]})
    session.flush()
    return row


@action(MATRIX, "issue_api_key")
def issue_api_key(session: Session, *, actor: Actor, name: str, now: datetime) -> tuple[Open311Key, str]:
    """A new Open311 key; the plain key is returned once and never stored."""
    name = _clean_text(name, 80)
    if len(name) < 3:
        raise InvalidInput("reports.errors.key_name")
    key = "syr_" + secrets.token_urlsafe(30)
    row = Open311Key(name=name, key_hash=queries.hash_key(key), prefix=key[:8], created_at=now,
                     created_by=actor.person_id)
    session.add(row)
    session.flush()
    audit(session, actor, "reports.issue_api_key", f"open311_key:{row.id}", now=now,
          details={"name": name, "prefix": row.prefix})
    return row, key


@action(MATRIX, "revoke_api_key")
def revoke_api_key(session: Session, *, actor: Actor, key_id: int, now: datetime) -> Open311Key:
    row = session.get(Open311Key, key_id)
    if row is None:
        raise NotFound("reports.errors.not_found")
    if row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
        audit(session, actor, "reports.revoke_api_key", f"open311_key:{row.id}", now=now,
              details={"name": row.name, "prefix": row.prefix})
        session.flush()
    return row


@action(MATRIX, "create_open311_request")
def create_open311_request(session: Session, *, actor: Actor | None, api_key: str, service_code: str,
                           description: str, lat: float | None = None, lon: float | None = None,
                           address: str | None = None, now: datetime) -> Report:
    """A request posted by another system through Open311: the key holder, not a person,
    is answerable, so a missing or revoked key is the refusal."""
    key = queries.key_for(session, api_key)
    if key is None:
        raise PermissionDenied("reports.errors.api_key")
    if lat is not None or lon is not None:
        lat, lon, address, unit = validate_location(lat, lon, address, None)
    else:
        address = _clean_text(address, rules.MAX_ADDRESS)
        if not address:
            raise InvalidInput("reports.errors.location_required")
        unit = rules.unit_for_address(address)
    report = _new_report(session, category=service_code, description=description, lat=lat, lon=lon, address=address,
                         unit=unit, reporter_id=None, show_name=False, source=f"open311:{key.prefix}", now=now)
    report.open311_token = secrets.token_urlsafe(18)
    session.add(report)
    session.flush()
    return report

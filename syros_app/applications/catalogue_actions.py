"""Writes of the catalogue editor (``/staff/applications/catalogue``): a service, its
form as a new version, and the pickup days of a service with pickup slots.

A form is edited as the service's next version, unpublished (``FormVersion.published``)
until staff publish it: residents, drafts and the counter only ever get the latest
published version, and an application keeps the version it was filed under, so no
edit changes what an earlier application shows. Every write is an ``@action`` of the
applications matrix (``edit_service``, ``manage_pickup_slots``: an officer only for her
own department's services) and writes its audit row.
"""

from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import update
from sqlmodel import Session, select

from syros_app.core.actions import action, audit
from syros_app.core.actors import Actor
from syros_app.core.errors import NotFound, PermissionDenied
from syros_app.core.registry import departments
from syros_app.core.timefmt import to_athens
from syros_app.reports.rules import MUNICIPAL_UNITS

from . import catalogue_rules as cr
from . import rules
from .models import FormVersion, PickupSlot, Service
from .permissions import MATRIX

NS = cr.NS


def _allowed(actor: Actor, permission: str, service):
    if not MATRIX.allows(actor, permission, service):
        raise PermissionDenied(f"{NS}.errors.other_department")
    return service


def _service(session: Session, actor: Actor, service_id: int, permission: str = "edit_service") -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound("applications.errors.service_not_found")
    return _allowed(actor, permission, service)


@action(MATRIX, "edit_service")
def save_service(session: Session, *, actor: Actor, service_id: int = 0, slug: str = "", values: dict,
                 now: datetime) -> Service:
    """Create a service (``service_id`` 0, with its ``slug``) or change one; an officer
    only within her department (and cannot move a service out of it)."""
    clean = cr.service_values(values, {d for d, _key in departments()})
    if service_id:
        service = _service(session, actor, service_id)
        before = {k: getattr(service, k) for k in clean}
    else:
        slug = (slug or "").strip().lower()
        if not rules.valid_slug(slug):
            raise cr.problem("bad_slug", "slug")
        if session.exec(select(Service.id).where(Service.slug == slug)).first() is not None:
            raise cr.problem("slug_taken", "slug")
        service, before = Service(slug=slug, created_at=now, **clean, updated_at=now), {}
    _allowed(actor, "edit_service", SimpleNamespace(department=clean["department"]))  # not into another
    for name, value in clean.items():
        setattr(service, name, value)
    service.updated_at, service.updated_by = now, actor.person_id or None
    session.add(service)
    session.flush()
    changed = {k: v for k, v in clean.items() if before.get(k) != v}
    audit(session, actor, "applications.save_service", f"application_service:{service.id}", now=now,
          details={"slug": service.slug, "new": not before, "changed": sorted(changed)})
    return service


def _versions(session: Session, service_id: int) -> list[FormVersion]:
    return list(session.exec(select(FormVersion).where(FormVersion.service_id == service_id)
                             .order_by(FormVersion.version.desc())))


def _editable_version(session: Session, actor: Actor, service: Service, now: datetime) -> FormVersion:
    """The version being edited: the latest if still unpublished (nobody filed under it),
    else a new one starting from the latest's fields."""
    if service.govgr_url:
        raise cr.problem("national_service", "key")
    versions = _versions(session, service.id)
    if versions and not versions[0].published:
        return versions[0]
    draft = FormVersion(service_id=service.id, version=versions[0].version + 1 if versions else 1,
                        fields=versions[0].fields if versions else "[]", created_at=now,
                        created_by=actor.person_id or None, published=False)
    session.add(draft)
    session.flush()
    return draft


def _write_fields(session: Session, actor: Actor, version: FormVersion, fields: list[dict], what: str,
                  key: str, now: datetime) -> FormVersion:
    version.fields = json.dumps(fields, ensure_ascii=False)
    session.add(version)
    session.flush()
    audit(session, actor, f"applications.form_{what}", f"application_form_version:{version.id}", now=now,
          details={"service_id": version.service_id, "version": version.version, "field": key})
    return version


@action(MATRIX, "edit_service")
def save_form_field(session: Session, *, actor: Actor, service_id: int, field: dict, replace_key: str = "",
                    now: datetime) -> FormVersion:
    """Add a field to the version being edited, or change one (``replace_key``)."""
    service = _service(session, actor, service_id)
    version = _editable_version(session, actor, service, now)
    fields = json.loads(version.fields)
    previous = next((f for f in fields if f["key"] == replace_key), None) if replace_key else None
    new = cr.field_from_input(field, previous)
    return _write_fields(session, actor, version, cr.with_field(fields, new, replace_key), "field", new["key"], now)


@action(MATRIX, "edit_service")
def remove_form_field(session: Session, *, actor: Actor, service_id: int, key: str, now: datetime) -> FormVersion:
    service = _service(session, actor, service_id)
    version = _editable_version(session, actor, service, now)
    fields = json.loads(version.fields)
    if not any(f["key"] == key for f in fields):
        raise cr.problem("no_such_field", "key")
    return _write_fields(session, actor, version, [f for f in fields if f["key"] != key], "remove", key, now)


@action(MATRIX, "edit_service")
def move_form_field(session: Session, *, actor: Actor, service_id: int, key: str, step: int,
                    now: datetime) -> FormVersion:
    service = _service(session, actor, service_id)
    version = _editable_version(session, actor, service, now)
    return _write_fields(session, actor, version, cr.moved(json.loads(version.fields), key, step), "move", key, now)


def _version_being_edited(session: Session, actor: Actor, service_id: int, what: str,
                          now: datetime) -> FormVersion:
    """The unpublished version of the service's form (audited as ``what`` is done to it)."""
    service = _service(session, actor, service_id)
    versions = _versions(session, service.id)
    if not versions or versions[0].published:
        raise cr.problem("nothing_to_publish", "publish")
    audit(session, actor, f"applications.form_{what}", f"application_form_version:{versions[0].id}", now=now,
          details={"service_id": service.id, "version": versions[0].version})
    return versions[0]


@action(MATRIX, "edit_service")
def discard_form_changes(session: Session, *, actor: Actor, service_id: int, now: datetime) -> None:
    """Drop the unpublished version (the published one stays as it is)."""
    session.delete(_version_being_edited(session, actor, service_id, "discard", now))


@action(MATRIX, "edit_service")
def publish_form(session: Session, *, actor: Actor, service_id: int, now: datetime) -> FormVersion:
    """Publish the version being edited: new drafts and filings use it from now on."""
    version = _version_being_edited(session, actor, service_id, "publish", now)
    try:
        rules.check_fields(json.loads(version.fields))
    except ValueError:
        raise cr.problem("form_incomplete", "publish") from None
    version.published = True  # (the row is the session's: the flush writes it)
    session.flush()
    return version


# --- pickup days ------------------------------------------------------------------------------

def _slot_service(session: Session, actor: Actor, service_id: int) -> Service:
    service = _service(session, actor, service_id, "manage_pickup_slots")
    if not service.uses_pickup_slots:
        raise cr.problem("no_slots", "area")
    return service


@action(MATRIX, "manage_pickup_slots")
def add_pickup_days(session: Session, *, actor: Actor, service_id: int, area: str, first_day: str,
                    last_day: str = "", weekdays: list[int], capacity: int | str, now: datetime) -> int:
    """Open pickup days of an area (those that exist already are left as they are);
    returns how many were added."""
    _slot_service(session, actor, service_id)
    if area not in MUNICIPAL_UNITS:
        raise cr.problem("bad_area", "area")
    capacity = cr.slot_capacity(capacity)
    days = cr.pickup_days(first_day, last_day, weekdays, after=to_athens(now).date())
    existing = set(session.exec(select(PickupSlot.day).where(PickupSlot.area == area, PickupSlot.day.in_(days))))
    added = [d for d in days if d not in existing]
    for day in added:
        session.add(PickupSlot(area=area, day=day, capacity=capacity))
    session.flush()
    audit(session, actor, "applications.slots_add", f"application_pickup_slot:{area}", now=now,
          details={"days": [d.isoformat() for d in added], "capacity": capacity})
    return len(added)


def _slot(session: Session, slot_id: int) -> PickupSlot:
    slot = session.get(PickupSlot, slot_id)
    if slot is None:
        raise NotFound(f"{NS}.errors.slot_not_found")
    return slot


@action(MATRIX, "manage_pickup_slots")
def set_slot_capacity(session: Session, *, actor: Actor, service_id: int, slot_id: int, capacity: int | str,
                      now: datetime) -> PickupSlot:
    """Change a day's capacity, never below the places already booked (one conditional
    UPDATE: a booking at the same moment cannot slip under it)."""
    _slot_service(session, actor, service_id)
    slot = _slot(session, slot_id)
    wanted = cr.slot_capacity(capacity, slot.booked)
    done = session.execute(update(PickupSlot).where(PickupSlot.id == slot.id, PickupSlot.booked <= wanted)
                           .values(capacity=wanted)).rowcount
    session.refresh(slot)
    if done != 1:
        raise cr.problem("below_booked", "capacity", n=slot.booked)
    audit(session, actor, "applications.slot_capacity", f"application_pickup_slot:{slot.id}", now=now,
          details={"area": slot.area, "day": slot.day.isoformat(), "capacity": wanted})
    return slot


@action(MATRIX, "manage_pickup_slots")
def close_slot(session: Session, *, actor: Actor, service_id: int, slot_id: int, now: datetime) -> PickupSlot:
    """Close a day to new bookings: its capacity becomes what is booked (those keep their day)."""
    _slot_service(session, actor, service_id)
    slot = _slot(session, slot_id)
    session.execute(update(PickupSlot).where(PickupSlot.id == slot.id).values(capacity=PickupSlot.booked))
    session.refresh(slot)
    audit(session, actor, "applications.slot_close", f"application_pickup_slot:{slot.id}", now=now,
          details={"area": slot.area, "day": slot.day.isoformat(), "booked": slot.booked})
    return slot


"""Telling staff that work has arrived, through the outbox, in the event's transaction.

Events and who hears of them (never the person who caused the event):
- ``report.routed``   {report_id, department, actor_id, url}: the department's officers;
- ``report.assigned`` {report_id, officer_id, actor_id, url}: that officer;
- ``comment.awaiting_moderation`` {comment_id, consultation_id, title, actor_id, url}:
  the moderators (the administrators when there is no moderator);
- ``application.arrived`` {application_id, department, reference, actor_id, url}: the
  department's officers.

Each alert goes to the person's own subscriptions (those made while logged in): a push
per event; e-mail at most once per ``SYROS_STAFF_DIGEST_MINUTES`` per address — alerts
arriving meanwhile join the e-mail still waiting (``kind="staff_digest"``, its items in
the payload, written in the reader's language when sent). No SMS: they cost the
municipality per message and the desk is one tap away. Each person may turn any kind
off (``StaffAlertOff``); the first three kinds are ``KINDS``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.core import events, settings
from syros_app.core.actors import Role
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.identity.models import Person, RoleGrant

from .models import Delivery, StaffAlertOff
from .outbox import add_message, recipients_of_person

# kind → the events it covers
KINDS = {
    "reports": ("report.routed", "report.assigned"),
    "moderation": ("comment.awaiting_moderation",),
    "applications": ("application.arrived",),
}
DIGEST = "staff_digest"
MAX_ITEMS = 50  # in one e-mail; the rest are counted


def kinds_off(session: Session, person_id: int) -> set[str]:
    return set(session.exec(select(StaffAlertOff.kind).where(StaffAlertOff.person_id == person_id)))


def set_kinds_on(session: Session, person_id: int, kinds_on: set[str], now: datetime) -> None:
    """Keep one row per kind the person turned off, none for the kinds on."""
    off = kinds_off(session, person_id)
    for kind in KINDS:
        if kind in kinds_on and kind in off:
            session.delete(session.get(StaffAlertOff, (person_id, kind)))
        elif kind not in kinds_on and kind not in off:
            session.add(StaffAlertOff(person_id=person_id, kind=kind, created_at=now))
    session.flush()


def _holders(session: Session, role: Role, department: str | None = None) -> list[int]:
    query = (select(RoleGrant.person_id).join(Person, Person.id == RoleGrant.person_id)
             .where(RoleGrant.role == role.value, Person.deleted_at.is_(None)))
    if department is not None:
        query = query.where(RoleGrant.department == department)
    return sorted(set(session.exec(query)))


def _wanting(session: Session, people, kind: str, actor_id) -> list[int]:
    """``people`` less the actor and those who turned ``kind`` off."""
    people = sorted({p for p in people if p is not None and p != actor_id})
    if not people:
        return []
    off = set(session.exec(select(StaffAlertOff.person_id).where(StaffAlertOff.kind == kind,
                                                                 StaffAlertOff.person_id.in_(people))))
    return [p for p in people if p not in off]


def _next_digest_slot(session: Session, subscription_id: int, now: datetime) -> datetime:
    """Now, or ``SYROS_STAFF_DIGEST_MINUTES`` after the last digest sent (or being sent)."""
    last = session.exec(select(func.max(func.coalesce(Delivery.sent_at, Delivery.next_attempt_at))).where(
        Delivery.subscription_id == subscription_id, Delivery.kind == DIGEST)).first()
    if last is None:
        return now
    return max(now, as_utc(last) + timedelta(minutes=settings.staff_digest_minutes()))


def add_to_digest(session: Session, *, subscription_id: int, address: str, item: dict, now: datetime) -> Delivery:
    """Put ``item`` in the e-mail still waiting for this address, or start the next one."""
    waiting = session.exec(select(Delivery).where(
        Delivery.subscription_id == subscription_id, Delivery.kind == DIGEST, Delivery.status == "pending",
        Delivery.claim_token.is_(None), Delivery.attempts == 0).with_for_update()).first()
    if waiting is not None:
        payload = json.loads(waiting.payload or "{}")
        items = payload.setdefault("items", [])
        if len(items) < MAX_ITEMS:
            items.append(item)
        else:
            payload["more"] = int(payload.get("more", 0)) + 1
        waiting.payload = json.dumps(payload, ensure_ascii=False)
        session.add(waiting)
        session.flush()
        return waiting
    delivery = Delivery(message_id=None, subscription_id=subscription_id, kind=DIGEST, channel="email",
                        address=address, payload=json.dumps({"items": [item]}, ensure_ascii=False), priority=1,
                        status="pending", next_attempt_at=_next_digest_slot(session, subscription_id, now),
                        created_at=now)
    session.add(delivery)
    session.flush()
    return delivery


def alert(session: Session, *, kind: str, source: str, people, actor_id, key: str, params: dict, url: str,
          now: datetime | None = None) -> list[int]:
    """Tell ``people`` (less the actor and those who turned ``kind`` off); returns whom."""
    now = as_utc(now or utcnow())
    told = []
    push, item = [], {"key": key, "params": params, "url": url}
    for person_id in _wanting(session, people, kind, actor_id):
        reached = False
        for sub_id, channel, address in recipients_of_person(session, person_id):
            if channel == "push":
                push.append((sub_id, channel, address))
                reached = True
            elif channel == "email":
                add_to_digest(session, subscription_id=sub_id, address=address, item=item, now=now)
                reached = True
        if reached:
            told.append(person_id)
    if push:
        add_message(session, source=source, title=translate(f"notices.staff_alert.{key}", "el", **params)[:200],
                    body=translate("notices.staff_alert.push_body", "el"), url=url, urgent=False, recipients=push,
                    now=now)
    return told


# --- the events ----------------------------------------------------------------------------------

def _stamp(now: datetime | None) -> str:
    return as_utc(now or utcnow()).strftime("%Y%m%d%H%M%S%f")


@events.subscriber("report.routed")
def _report_routed(session: Session, payload: dict, now: datetime | None) -> None:
    department = str(payload.get("department") or "")
    alert(session, kind="reports", source=f"staff:report.routed:{payload['report_id']}:{department}:{_stamp(now)}",
          people=_holders(session, Role.DEPARTMENT_OFFICER, department), actor_id=payload.get("actor_id"),
          key="report_routed", params={"id": payload["report_id"]}, url=str(payload.get("url") or "/staff/reports"),
          now=now)


@events.subscriber("report.assigned")
def _report_assigned(session: Session, payload: dict, now: datetime | None) -> None:
    alert(session, kind="reports", source=f"staff:report.assigned:{payload['report_id']}:{_stamp(now)}",
          people=[payload.get("officer_id")], actor_id=payload.get("actor_id"), key="report_assigned",
          params={"id": payload["report_id"]}, url=str(payload.get("url") or "/staff/reports"), now=now)


@events.subscriber("comment.awaiting_moderation")
def _comment_waiting(session: Session, payload: dict, now: datetime | None) -> None:
    people = _holders(session, Role.MODERATOR) or _holders(session, Role.ADMINISTRATOR)
    alert(session, kind="moderation", source=f"staff:comment.waiting:{payload['comment_id']}:{_stamp(now)}",
          people=people, actor_id=payload.get("actor_id"), key="comment_waiting",
          params={"title": str(payload.get("title") or "")}, url=str(payload.get("url") or "/staff/moderation"),
          now=now)


@events.subscriber("application.arrived")
def _application_arrived(session: Session, payload: dict, now: datetime | None) -> None:
    department = str(payload.get("department") or "")
    alert(session, kind="applications", source=f"staff:application.arrived:{payload['application_id']}",
          people=_holders(session, Role.DEPARTMENT_OFFICER, department), actor_id=payload.get("actor_id"),
          key="application_arrived", params={"reference": str(payload.get("reference") or "")},
          url=str(payload.get("url") or "/staff/applications"), now=now)


def digest_text(payload: dict, lang: str, public_url: str) -> tuple[str, str]:
    """The digest e-mail's subject and the list it carries, in ``lang``."""
    items = payload.get("items") or []
    count = len(items) + int(payload.get("more", 0))
    lines = [f"- {translate('notices.staff_alert.' + i.get('key', ''), lang, **(i.get('params') or {}))}\n"
             f"  {public_url}{i.get('url', '/staff')}" for i in items]
    if payload.get("more"):
        lines.append(translate("notices.staff_alert.more", lang, count=payload["more"]))
    return translate("notices.staff_alert.subject", lang, count=count), "\n".join(lines)


def settings_view(session: Session, person_id: int) -> dict:
    """What the settings page shows: the kinds on, and the channels that reach the person."""
    off = kinds_off(session, person_id)
    channels = {channel for _i, channel, _a in recipients_of_person(session, person_id)} & {"push", "email"}
    return {"kinds_on": [k for k in KINDS if k not in off], "channels": sorted(channels, reverse=True),
            "minutes": settings.staff_digest_minutes()}

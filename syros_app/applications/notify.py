"""Announcing an application's steps to its applicant through the notices outbox (her
own subscriptions and channel choice: push, e-mail or SMS), in the step's transaction.

Event ``application.status_changed`` {application_id, person_id, reference, status,
step, note, url} — published by the resident's and the desk's actions alike.

Event ``application.information_provided`` {application_id, reference, department,
assigned_to} — the applicant answered a request for information: the assigned officer
(or, when nobody is assigned, every officer of the department) is told through the same
outbox, on her own subscriptions (push, or a confirmed e-mail/SMS).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from syros_app.core import events
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, utcnow
from syros_app.notices.outbox import add_message, recipients_of_person

EVENT = "application.status_changed"
DESK_EVENT = "application.information_provided"
DESK_URL = "/staff/applications"


def publish_step(session: Session, application, step: str, note: str, now: datetime) -> None:
    if application.person_id is None:
        return
    events.publish(session, EVENT, {
        "application_id": application.id, "person_id": application.person_id, "reference": application.reference,
        "status": application.status, "step": step, "note": note, "url": application_url(application.id),
    }, now=now)


def application_url(application_id: int) -> str:
    return f"/applications/mine/{application_id}"


@events.subscriber(EVENT)
def _announce(session: Session, payload: dict, now: datetime | None) -> None:
    recipients = recipients_of_person(session, payload.get("person_id"))
    if not recipients:
        return
    now = as_utc(now or utcnow())
    step = str(payload.get("step") or payload.get("status") or "")
    reference = str(payload.get("reference") or "")
    title = translate("applications.notice.title", "el", reference=reference,
                      step=translate(f"applications.step.{step}", "el"))
    body = str(payload.get("note") or "") or translate("applications.notice.body", "el", reference=reference)
    add_message(session, source=f"{EVENT}:{payload['application_id']}:{step}:{now.strftime('%Y%m%d%H%M%S%f')}",
                title=title[:200], body=body, url=str(payload.get("url") or "/applications/mine"), urgent=False,
                recipients=recipients, now=now)


def tell_desk_answered(session: Session, application, now: datetime) -> None:
    events.publish(session, DESK_EVENT, {
        "application_id": application.id, "reference": application.reference,
        "department": application.department, "assigned_to": application.assigned_to,
    }, now=now)


def desk_people(session: Session, department: str, assigned_to: int | None) -> list[int]:
    """Who hears about the applicant's answer: the assigned officer, else the department's."""
    from syros_app.reports.queries import officers

    return [assigned_to] if assigned_to else [pid for pid, _name, _dept in officers(session, department)]


@events.subscriber(DESK_EVENT)
def _tell_desk(session: Session, payload: dict, now: datetime | None) -> None:
    recipients = [r for pid in desk_people(session, str(payload.get("department") or ""), payload.get("assigned_to"))
                  for r in recipients_of_person(session, pid)]
    if not recipients:
        return
    now = as_utc(now or utcnow())
    reference = str(payload.get("reference") or "")
    add_message(session, source=f"{DESK_EVENT}:{payload['application_id']}:{now.strftime('%Y%m%d%H%M%S%f')}",
                title=translate("applications_desk.notice.answered_title", "el", reference=reference)[:200],
                body=translate("applications_desk.notice.answered_body", "el", reference=reference),
                url=DESK_URL, urgent=False, recipients=recipients, now=now)

"""Shared set-up of the events tests: an event in the future, residents, a push subscription."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from syros_app.core.timefmt import utcnow
from syros_app.notices.models import Subscription
from syros_app.opengov.events import actions
from tests.support import personas


def soon(days: float = 3) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(microsecond=0)


def make_event(session, staff, *, capacity: int | None = 2, starts: datetime | None = None, now=None,
               title: str = "Εργαστήριο για την πλατεία Μιαούλη", **kwargs):
    starts = starts or soon()
    event = actions.create_event(session, actor=staff, kind=kwargs.pop("kind", "workshop"), title=title,
                                 description="Σχεδιάζουμε μαζί την πλατεία.", place="Πλατεία Μιαούλη",
                                 starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=capacity,
                                 now=now, **kwargs)
    session.commit()
    return event


def residents(session, n: int) -> list:
    return [personas.resident(session, f"resident{i}", display_name=f"Κάτοικος {i}") for i in range(n)]


def subscribe(session, person_id: int) -> Subscription:
    sub = Subscription(channel="push", address=f"https://push.example/{person_id}", p256dh="k", auth="a",
                       categories="", areas="", person_id=person_id, created_at=datetime.now(timezone.utc))
    session.add(sub)
    session.commit()
    return sub

"""A notice fanned out to many e-mail subscribers, for the tests that restart PostgreSQL under it."""

from __future__ import annotations

import email
from pathlib import Path

from sqlmodel import Session

from syros_app.core.db import make_engine
from syros_app.core.timefmt import utcnow


def address(i: int) -> str:
    return f"fan-out-{i}@example.gr"


def publish_to_subscribers(url: str, subscribers: int) -> None:
    """``subscribers`` confirmed e-mail subscriptions to water notices, then one water notice."""
    import syros_app.models  # noqa: F401
    from syros_app.notices import actions
    from syros_app.notices.models import Subscription
    from tests.support import personas

    engine = make_engine(url)
    now = utcnow()
    try:
        with Session(engine) as session:
            session.add_all([Subscription(channel="email", address=address(i), categories="water",
                                          created_at=now, confirmed_at=now) for i in range(subscribers)])
            actions.publish_notice(session, actor=personas.administrator(session), title="Διακοπή νερού",
                                   body="Αύριο 9:00–13:00 στην Ερμούπολη.", category="water", now=now)
            session.commit()
    finally:
        engine.dispose()


def mailed(mail: Path) -> list[str]:
    """The recipients of the fan-out's e-mails written to ``mail`` (one entry per e-mail)."""
    if not mail.exists():
        return []
    found = (email.message_from_bytes(p.read_bytes())["To"] for p in mail.glob("*.eml"))
    return [to for to in found if to and to.startswith("fan-out-")]


def undelivered(url: str) -> int:
    from syros_app.notices.models import Delivery

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.query(Delivery).filter(Delivery.status != "sent").count()
    finally:
        engine.dispose()

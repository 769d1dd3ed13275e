"""Demo: today's open-data archive, made from the demo data the other capabilities loaded
(opendata is the last capability, so its loader runs after theirs)."""

from __future__ import annotations

from sqlmodel import Session

from syros_app.core.timefmt import to_athens, utcnow
from syros_app.demo.seed import demo_loader

from .archive import archives, export_archive


@demo_loader("opendata")
def load_demo_archive(session: Session) -> int:
    now = utcnow()
    if any(day == to_athens(now).date() for _id, day, *_rest in archives(session)):
        return 0
    export_archive(session, now=now)
    return 1

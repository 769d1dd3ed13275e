"""The applications' public figures (``/measurement`` and ``/api/v1/service-levels``),
per service and in total, over the last ``months`` months (Europe/Athens):

* **take-up** — submissions online and at the counter, and the online share;
* **completion** — forms started online (drafts begun in the period, whether submitted
  or not) against those submitted: ``submitted ÷ started``;
* **decision time** — the median of working days from submission to the answer, pauses
  for the applicant's information excluded, against the service's target, and the share
  answered within it;
* **satisfaction** — ratings (1–5) asked after the answer: count and mean;
* **paper saved** — ``Σ online submissions × pages of the service's paper form``.

Each figure is computed from the rows below, so a test recomputes it by hand.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.core.timefmt import ATHENS, as_utc
from syros_app.reports.queries import month_range

from .models import Application, ApplicationDraft, Service

PAPER_FORMULA = "Σ (online submissions × paper pages of the service)"
RATING_MIN_GOOD = 4  # a rating of 4 or 5 counts as satisfied


@dataclass
class Figures:
    """One service's figures (``service`` empty: all services together)."""

    service: str = ""
    title_el: str = ""
    title_en: str = ""
    target_days: int | None = None
    paper_pages: int | None = None
    online: int = 0
    counter: int = 0
    started: int = 0
    completed: int = 0
    answered: int = 0
    within_target: int = 0
    median_decision_days: float | None = None
    ratings: int = 0
    satisfied: int = 0
    mean_rating: float | None = None
    paper_saved: int = 0
    _days: list[float] = field(default_factory=list, repr=False)
    _scores: list[int] = field(default_factory=list, repr=False)

    @property
    def submitted(self) -> int:
        return self.online + self.counter

    @property
    def online_share(self) -> float | None:
        return self.online / self.submitted if self.submitted else None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.started if self.started else None

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.answered if self.answered else None

    def finish(self) -> Figures:
        self.median_decision_days = round(statistics.median(self._days), 2) if self._days else None
        self.mean_rating = round(statistics.fmean(self._scores), 2) if self._scores else None
        self.ratings, self.satisfied = len(self._scores), sum(1 for s in self._scores if s >= RATING_MIN_GOOD)
        return self

    def as_dict(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data.update(submitted=self.submitted, online_share=_round(self.online_share),
                    completion_rate=_round(self.completion_rate), share_within_target=_round(self.share_within_target))
        return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def period(months: int, now: datetime | None = None) -> tuple[datetime, str, str]:
    """The first moment (Athens midnight) and the first/last month of the last ``months`` months."""
    first, last = month_range(months, now)
    start = datetime.combine(date(int(first[:4]), int(first[5:]), 1), time(0), ATHENS)
    return as_utc(start), first, last


def figures(session: Session, *, months: int = 12, now: datetime | None = None) -> tuple[list[Figures], Figures]:
    """Per-service figures (services with a form: gov.gr links have none) and the total."""
    since, _first, _last = period(months, now)
    services = session.exec(select(Service).where(Service.govgr_url.is_(None))
                            .order_by(Service.sort_order, Service.id)).all()
    rows = {s.id: Figures(service=s.slug, title_el=s.title_el, title_en=s.title_en, target_days=s.target_days,
                          paper_pages=s.paper_pages) for s in services}
    total = Figures()
    pages = {s.id: s.paper_pages or 0 for s in services}

    def each(service_id: int):
        found = rows.get(service_id)
        return (found, total) if found is not None else (total,)

    submitted = select(Application.service_id, Application.channel, func.count()).where(
        Application.submitted_at >= since).group_by(Application.service_id, Application.channel)
    for service_id, channel, count in session.exec(submitted):
        for f in each(service_id):
            if channel == "counter":
                f.counter += count
            else:
                f.online += count
                f.paper_saved += count * pages.get(service_id, 0)
    begun = select(Application.service_id, func.count()).where(
        Application.started_at >= since, Application.channel == "online").group_by(Application.service_id)
    for service_id, count in session.exec(begun):
        for f in each(service_id):
            f.started += count
            f.completed += count
    drafts = select(ApplicationDraft.service_id, func.count()).where(
        ApplicationDraft.started_at >= since).group_by(ApplicationDraft.service_id)
    for service_id, count in session.exec(drafts):
        for f in each(service_id):
            f.started += count
    decided = select(Application.service_id, Application.decision_work_days, Application.target_days).where(
        Application.answered_at >= since, Application.decision_work_days.is_not(None))
    for service_id, days, target in session.exec(decided):
        for f in each(service_id):
            f.answered += 1
            f.within_target += days <= target
            f._days.append(days)
    rated = select(Application.service_id, Application.rating_score).where(
        Application.rated_at >= since, Application.rating_score.is_not(None))
    for service_id, score in session.exec(rated):
        for f in each(service_id):
            f._scores.append(score)
    return [f.finish() for f in rows.values()], total.finish()


def service_levels(session: Session, *, months: int = 12) -> dict:
    """The ``applications`` part of ``/api/v1/service-levels``."""
    _since, first, last = period(months)
    per_service, total = figures(session, months=months)
    return {
        "from_month": first, "to_month": last,
        "time_unit": "working days (the reports' calendar), pauses for the applicant's information excluded",
        "paper_saved_formula": PAPER_FORMULA, "satisfied_means": f"rating >= {RATING_MIN_GOOD} of 5",
        "total": total.as_dict(), "services": [f.as_dict() for f in per_service],
    }

"""What the report pages show: the view models and the builders from rows to them.

States only assign what these return, so every page shapes the same row the same way
(a card in the list, the queue and the staff panel is one builder).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core.actions import MAX_ID
from syros_app.core.actors import Actor
from syros_app.core.i18n import translate
from syros_app.core import formatting
from syros_app.core.timefmt import as_utc, format_local, utcnow

from . import queries, rules
from .map import MapMarker, tile_attribution, tile_url
from .models import Report
from .permissions import MATRIX


class _Report(BaseModel):
    """What a card and the report's own page both show."""

    category: str = ""
    status: str = ""
    description: str = ""
    place: str = ""
    unit: str = ""
    created: str = ""
    created_en: str = ""
    supporters: int = 0
    department: str = ""


class ReportCard(_Report):
    id: int
    url: str
    overdue: bool = False
    due: str = ""


class UpdateView(BaseModel):
    status_to: str
    note: str
    when: str
    by_staff: bool
    forwarded_to: str


class ReportView(_Report):
    """Everything the report's own page shows."""

    report_id: int = 0
    coords: str = ""
    reporter: str = ""
    reporter_deleted: bool = False
    forwarded_to: str = ""
    merged_into: str = ""
    photos: list[str] = []
    updates: list[UpdateView] = []
    can_support: bool = False
    supported: bool = False
    can_rate: bool = False
    rating: str = ""
    markers: list[MapMarker] = []
    center: list[float] = list(rules.SYROS_CENTRE)
    tile_url: str = ""
    attribution: str = ""


class NearbyView(BaseModel):
    id: int
    url: str
    description: str
    status: str
    distance: str
    supporters: int


class DrillView(BaseModel):
    """Figures formatted for each language (``x`` Greek, ``x_en`` English); ``month`` stays ``YYYY-MM``."""

    category: str
    unit: str
    month: str
    month_label: str = ""
    month_label_en: str = ""
    received: str
    received_en: str
    median_ack: str
    median_ack_en: str
    median_resolve: str
    median_resolve_en: str
    within_target: str
    within_target_en: str
    overdue: str
    overdue_en: str
    fixed_rate: str
    fixed_rate_en: str
    satisfaction: str
    satisfaction_en: str


class FigureView(DrillView):
    """One group of the public figures; ``key`` is the category code, unit or month."""

    key: str
    bar: int  # percentage of the largest group, for the bar chart
    within_bar: int


class NoteView(BaseModel):
    author: str
    when: str
    body: str


class OfficerChoice(BaseModel):
    id: str
    name: str


class DeskDetail(BaseModel):
    """The triage desk's detail of one report: what the public page shows, plus the
    staff-only parts (internal notes, the officer, the SLA clock)."""

    report_id: int = 0
    reporter: str = ""
    coords: str = ""
    photos: list[str] = []
    updates: list[UpdateView] = []
    notes: list[NoteView] = []
    sla: str = ""
    sla_late: bool = False
    assigned: str = ""
    assigned_id: str = ""
    officers: list[OfficerChoice] = []
    # the report's point on the map (its own marker only shows where) and, as buttons,
    # open reports of the same category close by (possible duplicates); ``place`` and
    # ``nearby`` carry the same as text beside the map
    place: str = ""
    markers: list[MapMarker] = []
    center: list[float] = list(rules.SYROS_CENTRE)
    nearby: list[NearbyView] = []
    tile_url: str = ""
    attribution: str = ""


def sla_clock(report: Report, now: datetime, lang: str) -> tuple[str, bool]:
    """The service-level clock in working days: time left to the next target, or how late."""
    if report.status not in rules.OPEN_STATUSES:
        return translate("reports.desk.sla_stopped", lang), False
    step = "ack" if report.status == rules.SUBMITTED else "resolve"
    due = as_utc(report.ack_due_at if step == "ack" else report.resolve_due_at)
    late = due < now
    days = rules.working_days_between(due, now) if late else rules.working_days_between(now, due)
    key = f"reports.desk.sla_{step}_{'late' if late else 'left'}"
    return translate(key, lang, days=formatting.number(days, lang, digits=1), due=format_local(due, lang)), late


def _desk_map(session: Session, report: Report) -> dict[str, Any]:
    """The report's marker and the open reports of its category within ``rules.NEARBY_METRES``."""
    if report.lat is None:
        return {"place": _place(report)}
    found = [(r, d) for r, d in queries.nearby_open(session, category=report.category, lat=report.lat,
                                                    lon=report.lon, limit=6) if r.id != report.id][:5]
    return {"place": _place(report), "center": [report.lat, report.lon], **map_tiles(), "nearby": nearby(found),
            "markers": [marker(report)] + [marker(r, short(r.description, 80)) for r, _d in found]}


def desk_detail(session: Session, report: Report, now: datetime, lang: str) -> DeskDetail:
    detail = queries.report_detail(session, report.id)
    sla, late = sla_clock(report, now, lang)
    officers = queries.officers(session, report.department or "")
    names = {pid: name for pid, name, _d in queries.officers(session)}
    return DeskDetail(
        report_id=report.id, reporter=detail.reporter or "",
        coords=f"{report.lat:.5f}, {report.lon:.5f}" if report.lat is not None else "",
        photos=[f"/api/v1/reports/photos/{p.filename}" for p in detail.photos],
        updates=[UpdateView(status_to=u.status_to, note=u.note, when=format_local(u.created_at, lang),
                            by_staff=u.by_staff, forwarded_to=u.forwarded_to or "") for u in reversed(detail.updates)],
        notes=[NoteView(author=name, when=format_local(n.created_at, lang), body=n.body)
               for n, name in reversed(queries.internal_notes(session, report.id))],
        sla=sla, sla_late=late, assigned=names.get(report.assigned_to, "") if report.assigned_to else "",
        assigned_id=str(report.assigned_to or ""),
        officers=[OfficerChoice(id=str(pid), name=name) for pid, name, _d in officers],
        **_desk_map(session, report),
    )


class SummaryView(BaseModel):
    category: str
    cells: list[str]  # per municipal unit: "open (overdue)"
    total: str


class TargetView(BaseModel):
    category: str
    ack_days: int
    resolve_days: int


class KeyView(BaseModel):
    id: int
    name: str
    prefix: str
    created: str
    revoked: bool


def short(text: str, n: int = 140) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def url(report_id: int) -> str:
    return f"/reports/{report_id}"


def _place(report: Report) -> str:
    if report.address:
        return report.address
    if report.lat is not None:
        return f"{report.lat:.5f}, {report.lon:.5f}"
    return ""


def card(report: Report, now: datetime | None = None) -> ReportCard:
    now = now or utcnow()
    overdue = rules.is_overdue(report.status, now, as_utc(report.ack_due_at), as_utc(report.resolve_due_at))
    return ReportCard(
        id=report.id, url=url(report.id), category=report.category, status=report.status,
        description=short(report.description), place=_place(report), unit=report.municipal_unit,
        created=format_local(report.created_at), created_en=format_local(report.created_at, "en"),
        supporters=report.supporters, overdue=overdue,
        due=format_local(report.resolve_due_at) if report.status in rules.OPEN_STATUSES else "",
        department=report.department or "",
    )


def cards(rows: list[Report]) -> list[ReportCard]:
    now = utcnow()
    return [card(r, now) for r in rows]


def marker(report: Report, summary: str = "") -> MapMarker:
    return MapMarker(id=str(report.id), lat=report.lat, lon=report.lon, status=report.status,
                     category=report.category, url=url(report.id) if summary else "", summary=summary)


def map_tiles() -> dict[str, str]:
    return {"tile_url": tile_url(), "attribution": tile_attribution()}



def list_page(rows: list[Report], total: int) -> dict[str, Any]:
    """The public list's cards and its map markers (reports with a point)."""
    return {"items": cards(rows), "total": total, "loaded": True, **map_tiles(),
            "markers": [marker(r, short(r.description, 80)) for r in rows if r.lat is not None]}


def report_page(session: Session, report_id: int, actor: Actor | None, lang: str) -> dict[str, Any]:
    """Every field of the report page, for one report (or ``found=False``)."""
    person_id = actor.person_id if actor else None
    detail = queries.report_detail(session, report_id, person_id=person_id) if report_id else None
    if detail is None:
        return {"found": False, "loaded": True, "view": ReportView()}
    r = detail.report
    has_point = r.lat is not None
    rating = ""
    if r.rating_score is not None:
        fixed = translate("reports.rate.fixed_yes" if r.rating_fixed else "reports.rate.fixed_no", lang)
        rating = translate("reports.rate.summary", lang, fixed=fixed, score=r.rating_score)
    return {"found": True, "loaded": True, "view": ReportView(
        report_id=r.id, category=r.category, status=r.status, description=r.description, place=r.address or "",
        coords=f"{r.lat:.5f}, {r.lon:.5f}" if has_point else "", markers=[marker(r)] if has_point else [],
        center=[r.lat, r.lon] if has_point else list(rules.SYROS_CENTRE), **map_tiles(),
        unit=r.municipal_unit, created=format_local(r.created_at), created_en=format_local(r.created_at, "en"),
        reporter=detail.reporter or "", reporter_deleted=detail.reporter_deleted,
        forwarded_to=r.forwarded_to or "", merged_into=str(r.merged_into_id) if r.merged_into_id else "",
        supporters=r.supporters, department=r.department or "",
        photos=[f"/api/v1/reports/photos/{p.filename}" for p in detail.photos],
        updates=[UpdateView(status_to=u.status_to, note=u.note, when=format_local(u.created_at, lang),
                            by_staff=u.by_staff, forwarded_to=u.forwarded_to or "") for u in reversed(detail.updates)],
        supported=detail.supported_by_actor, rating=rating,
        # what the page offers; the actions decide again on the server
        can_support=MATRIX.allows(actor, "add_support", r) and r.status in rules.OPEN_STATUSES
        and not detail.supported_by_actor,
        can_rate=MATRIX.allows(actor, "rate_report", r) and r.status == rules.RESOLVED and r.rated_at is None,
    )}


def nearby(found: list[tuple[Report, float | None]]) -> list[NearbyView]:
    return [NearbyView(id=r.id, url=url(r.id), description=short(r.description, 100), status=r.status,
                       distance="" if d is None else f"{formatting.number(d)} m", supporters=r.supporters) for r, d in found]


def nearby_form(session, category: str, unit: str, lat_text: str, lon_text: str) -> dict[str, Any]:
    """The report form's offer of open reports of the same category near the point (or,
    without one on Syros, in the chosen unit); a point also sets the unit."""
    lat, lon = number(lat_text), number(lon_text)
    if lat is None or lon is None or not rules.in_syros(lat, lon):
        lat = lon = None
    if not category or (lat is None and not unit):
        return {"nearby": []}
    found = queries.nearby_open(session, category=category, lat=lat, lon=lon, unit=None if lat is not None else unit)
    return {"nearby": nearby(found), "unit": (rules.unit_for_point(lat, lon) if lat is not None else None) or unit}


def _figure_fields(r: rules.FigureRow) -> dict[str, Any]:
    """One row's figures in Greek (``x``) and English (``x_en``), by ``core.formatting``."""
    out: dict[str, Any] = dict(category=r.category, unit=r.unit, month=r.month)
    for lang, suffix in (("el", ""), ("en", "_en")):
        out.update({
            f"month_label{suffix}": formatting.month_text(r.month, lang) if r.month not in ("", "*") else "",
            f"received{suffix}": formatting.number(r.received, lang),
            f"median_ack{suffix}": formatting.number(r.median_ack_days, lang, digits=1),
            f"median_resolve{suffix}": formatting.number(r.median_resolve_days, lang, digits=1),
            f"within_target{suffix}": formatting.percent(r.share_within_target, lang, digits=0),
            f"overdue{suffix}": formatting.number(r.overdue, lang),
            f"fixed_rate{suffix}": formatting.percent(r.fixed_rate, lang, digits=0),
            f"satisfaction{suffix}": formatting.number(r.average_satisfaction, lang, digits=1),
        })
    return out


def figure_views(rows: list[rules.FigureRow], key: str) -> list[FigureView]:
    top = max((r.received for r in rows), default=0) or 1
    return [FigureView(**_figure_fields(r), key=getattr(r, key), bar=round(r.received / top * 100),
                       within_bar=round((r.share_within_target or 0) * 100)) for r in rows]


DRILL = ("category", "unit", "month")


def figures_page(session: Session, months: int, category: str | None, unit: str | None, *,
                 drill: bool) -> dict[str, Any]:
    """The public figures of the last ``months``, and the detailed table when the reader may see it."""
    first, last = queries.month_range(months)
    groups = queries.figure_groups(session, from_month=first, to_month=last, category=category, unit=unit)
    groupings = [(), ("category",), ("unit",), ("month",), *([DRILL] if drill else [])]
    figures = rules.figures_from_groups(groups, groupings)
    return {
        "is_staff": drill, "loaded": True,
        **{f"period{suffix}": f"{formatting.month_text(first, lang)} – {formatting.month_text(last, lang)}"
           for lang, suffix in (("el", ""), ("en", "_en"))},
        "total": figure_views(figures[()], "category"),
        "by_category": figure_views(figures[("category",)], "category"),
        "by_unit": figure_views(figures[("unit",)], "unit"),
        "by_month": figure_views(figures[("month",)], "month"),
        "drill": [DrillView(**_figure_fields(r)) for r in figures[DRILL]] if drill else [],
    }


def figures_url(months: int, category: str, unit: str) -> str:
    """The figures shown, as JSON from the open-data API (``&format=csv`` for CSV)."""
    query = f"months={months}" + (f"&category={category}" if category else "") + (f"&unit={unit}" if unit else "")
    return f"/api/v1/service-levels?{query}"


def summary(counts: dict[tuple[str, str], tuple[int, int]]) -> list[SummaryView]:
    views = []
    for c in rules.CATEGORIES:
        cells = [counts.get((c, u), (0, 0)) for u in rules.MUNICIPAL_UNITS]
        views.append(SummaryView(category=c, cells=[f"{n} ({o})" for n, o in cells],
                                 total=f"{sum(n for n, _ in cells)} ({sum(o for _, o in cells)})"))
    return views


def staff_desk(session: Session, filters: dict[str, Any], selected_id: int, *, keys: bool,
               department: str | None = None, lang: str = "el") -> dict[str, Any]:
    """The staff desk: queue, the selected report, targets, triage summary and (for those
    who manage them) the Open311 keys. ``department``: a department officer's desk shows
    that department's reports only (None: every department)."""
    now = utcnow()
    selected = session.get(Report, selected_id) if selected_id else None
    if selected is not None and department is not None and selected.department != department:
        selected = None
    return {
        "queue": cards(queries.staff_queue(session, now=now, department=department, **filters)),
        "selected": [card(selected, now)] if selected else [],
        "selected_text": selected.description if selected else "",
        "detail": [desk_detail(session, selected, now, lang)] if selected else [],
        "targets": [TargetView(category=c, ack_days=a, resolve_days=r)
                    for c, (a, r) in queries.targets(session).items()],
        "summary": summary(queries.queue_summary(session, now=now, department=department)),
        "keys": [KeyView(id=k.id, name=k.name, prefix=k.prefix, created=format_local(k.created_at),
                         revoked=k.revoked_at is not None) for k in (queries.api_keys(session) if keys else [])],
        "loaded": True,
    }


EMPTY_DESK = {"queue": [], "selected": [], "selected_text": "", "detail": [], "targets": [], "keys": [], "summary": [],
              "loaded": True}


# --- reading what the pages send (any websocket client can send anything) -----------------------

def choice(value: object, allowed) -> str:
    """A filter value from the page, or "" (all) when it is not one of ``allowed``."""
    return value if isinstance(value, str) and value in allowed else ""


def payload(value: object) -> dict:
    """The JSON object a confirmation dialog carried back, or {} (any client can send anything)."""
    try:
        parsed = json.loads(value) if isinstance(value, str) else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def bulk_ids(form: dict) -> list[int]:
    """The report ids ticked in the desk's list (``bulk-<id>`` checkboxes), at most 100."""
    ids = [row_id(name[len("bulk-"):]) for name, value in form.items()
           if isinstance(name, str) and name.startswith("bulk-") and value in ("on", True)]
    return sorted({i for i in ids if i})[:100]


def row_id(value: object) -> int:
    """A row id (or small count) from the page; 0, which names no row, when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= MAX_ID else 0


def number(value: object) -> float | None:
    """A typed coordinate ("37,44" as well as "37.44"), or None."""
    text = str(value or "").strip().replace(",", ".")
    try:
        return float(text) if text else None
    except ValueError:
        return None


def point(position: object) -> tuple[float, float] | None:
    """A ``[lat, lon]`` pair from the browser or the map, or None."""
    try:
        return float(position[0]), float(position[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def form(data: object) -> dict:
    return data if isinstance(data, dict) else {}

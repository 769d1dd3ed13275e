"""Reflex states of service reports (thin: read inputs, call a service, shape view data).

Public and resident states are plain ``rx.State``; every write still resolves the
actor on the server and goes through the services' permission checks. Staff
states subclass ``StaffState`` and check the actor before reading any argument.
"""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from pydantic import BaseModel

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, format_local, utcnow
from syros_app.identity.state import StaffState, current_actor
from syros_app.ui.state_helpers import reader_language as _lang
from syros_app.ui.state_helpers import run_service, staff_actor

from . import actions, permissions, queries, rules
from .map import MapMarker, tile_attribution, tile_url
from .models import Report
from .photos import MAX_BYTES, ProcessedPhoto, process_photo

# --- view models -------------------------------------------------------------------------------


class ReportCard(BaseModel):
    id: int
    url: str
    category: str
    status: str
    description: str
    place: str
    unit: str
    created: str
    supporters: int
    overdue: bool = False
    due: str = ""
    department: str = ""


class UpdateView(BaseModel):
    status_to: str
    note: str
    when: str
    by_staff: bool
    forwarded_to: str


class NearbyView(BaseModel):
    id: int
    url: str
    description: str
    status: str
    distance: str
    supporters: int


class FigureView(BaseModel):
    key: str  # category code, unit name or month
    received: int
    bar: int  # percentage of the largest group, for the bar chart
    median_ack: str
    median_resolve: str
    within_target: str
    within_bar: int
    overdue: int
    fixed_rate: str
    satisfaction: str


class DrillView(BaseModel):
    category: str
    unit: str
    month: str
    received: int
    median_ack: str
    median_resolve: str
    within_target: str
    overdue: int
    fixed_rate: str
    satisfaction: str


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


def _short(text: str, n: int = 140) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


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
        id=report.id, url=f"/reports/{report.id}", category=report.category, status=report.status,
        description=_short(report.description), place=_place(report), unit=report.municipal_unit,
        created=format_local(report.created_at), supporters=report.supporters, overdue=overdue,
        due=format_local(report.resolve_due_at) if report.status in rules.OPEN_STATUSES else "",
        department=report.department or "",
    )


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _int_or_none(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _float_or_none(value) -> float | None:
    text = str(value or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


# --- public list --------------------------------------------------------------------------------


class ReportsListState(rx.State):
    items: list[ReportCard] = []
    total: int = 0
    page: int = 0
    category: str = ""
    unit: str = ""
    state_filter: str = "open"
    mine: bool = False
    logged_in: bool = False
    loaded: bool = False
    markers: list[MapMarker] = []
    tile_url: str = ""
    attribution: str = ""

    def _reload(self):
        actor = current_actor(self)
        self.logged_in = actor is not None
        reporter_id = actor.person_id if (actor is not None and self.mine) else None
        with session_scope() as session:
            rows, total = queries.list_reports(session, category=self.category or None, unit=self.unit or None,
                                               state=self.state_filter or None, reporter_id=reporter_id,
                                               page=self.page)
            now = utcnow()
            self.items = [card(r, now) for r in rows]
        self.total = total
        self.markers = [MapMarker(id=str(r.id), lat=r.lat, lon=r.lon, status=r.status, category=r.category,
                                  url=f"/reports/{r.id}", summary=_short(r.description, 80))
                        for r in rows if r.lat is not None]
        self.tile_url, self.attribution = tile_url(), tile_attribution()
        self.loaded = True

    @rx.event
    def load(self):
        self.page = 0
        self._reload()

    @rx.event
    def set_category(self, value: str):
        self.category = value if value in rules.CATEGORIES else ""
        self.page = 0
        self._reload()

    @rx.event
    def set_unit(self, value: str):
        self.unit = value if value in rules.MUNICIPAL_UNITS else ""
        self.page = 0
        self._reload()

    @rx.event
    def set_state_filter(self, value: str):
        self.state_filter = value if value in ("open", "closed", "all") else "open"
        self.page = 0
        self._reload()

    @rx.event
    def toggle_mine(self, value: bool):
        self.mine = bool(value)
        self.page = 0
        self._reload()

    @rx.event
    def next_page(self):
        if (self.page + 1) * queries.PAGE_SIZE < self.total:
            self.page += 1
            self._reload()

    @rx.event
    def previous_page(self):
        if self.page > 0:
            self.page -= 1
            self._reload()

    @rx.var
    def has_next(self) -> bool:
        return (self.page + 1) * queries.PAGE_SIZE < self.total

    @rx.var
    def page_label(self) -> str:
        pages = max(1, -(-self.total // queries.PAGE_SIZE))
        return f"{self.page + 1} / {pages}"


# --- one report ----------------------------------------------------------------------------------


class ReportPageState(rx.State):
    found: bool = True
    loaded: bool = False
    report_id: int = 0
    category: str = ""
    status: str = ""
    description: str = ""
    place: str = ""
    coords: str = ""
    unit: str = ""
    created: str = ""
    reporter: str = ""
    reporter_deleted: bool = False
    forwarded_to: str = ""
    merged_into: str = ""
    supporters: int = 0
    department: str = ""
    photos: list[str] = []
    updates: list[UpdateView] = []
    can_support: bool = False
    supported: bool = False
    can_rate: bool = False
    rating: str = ""
    error: str = ""
    message: str = ""
    markers: list[MapMarker] = []
    center: list[float] = [37.445, 24.925]
    tile_url: str = ""
    attribution: str = ""

    def _id_from_route(self) -> int | None:
        return _int_or_none(self.router.page.params.get("report_id", ""))

    async def _reload(self):
        lang = await _lang(self)
        report_id = self._id_from_route()
        actor = current_actor(self)
        with session_scope() as session:
            detail = queries.report_detail(session, report_id, person_id=actor.person_id if actor else None) \
                if report_id else None
            if detail is None:
                self.found, self.loaded = False, True
                return
            r = detail.report
            self.found = True
            self.report_id = r.id
            self.category, self.status = r.category, r.status
            self.description = r.description
            self.place = r.address or ""
            self.coords = f"{r.lat:.5f}, {r.lon:.5f}" if r.lat is not None else ""
            self.markers = [MapMarker(id=str(r.id), lat=r.lat, lon=r.lon, status=r.status,
                                      category=r.category)] if r.lat is not None else []
            self.center = [r.lat, r.lon] if r.lat is not None else list(rules.SYROS_CENTRE)
            self.tile_url, self.attribution = tile_url(), tile_attribution()
            self.unit = r.municipal_unit
            self.created = format_local(r.created_at, lang)
            self.reporter = detail.reporter or ""
            self.reporter_deleted = detail.reporter_deleted
            self.forwarded_to = r.forwarded_to or ""
            self.merged_into = str(r.merged_into_id) if r.merged_into_id else ""
            self.supporters = r.supporters
            self.department = r.department or ""
            self.photos = [f"/api/v1/reports/photos/{p.filename}" for p in detail.photos]
            self.updates = [UpdateView(status_to=u.status_to, note=u.note, when=format_local(u.created_at, lang),
                                       by_staff=u.by_staff, forwarded_to=u.forwarded_to or "")
                            for u in reversed(detail.updates)]
            mine = actor is not None and r.reporter_id == actor.person_id
            self.supported = detail.supported_by_actor
            self.can_support = actor is not None and not mine and r.status in rules.OPEN_STATUSES \
                and not detail.supported_by_actor
            self.can_rate = mine and r.status == rules.RESOLVED and r.rated_at is None
            if r.rating_score is not None:
                fixed = translate("reports.rate.fixed_yes" if r.rating_fixed else "reports.rate.fixed_no", lang)
                self.rating = translate("reports.rate.summary", lang, fixed=fixed, score=r.rating_score)
            else:
                self.rating = ""
        self.loaded = True

    @rx.event
    async def load(self):
        self.error = self.message = ""
        await self._reload()
        if self.found and self.router.page.params.get("new") == "1":
            self.message = translate("reports.page.created_ok", await _lang(self))

    @rx.event
    async def support(self):
        lang = await _lang(self)
        actor = current_actor(self)
        self.error = self.message = ""
        try:
            with session_scope() as session:
                actions.add_support(session, actor=actor, report_id=self.report_id)
            self.message = translate("reports.page.supported", lang)
        except AgoraError as exc:
            self.error = exc.message(lang)
        await self._reload()

    @rx.event
    async def rate(self, form_data: dict):
        lang = await _lang(self)
        actor = current_actor(self)
        self.error = self.message = ""
        data = form_data if isinstance(form_data, dict) else {}
        fixed = data.get("fixed")
        if fixed not in ("yes", "no"):
            self.error = translate("reports.rate.choose_fixed", lang)
            return
        try:
            with session_scope() as session:
                actions.rate_report(session, actor=actor, report_id=self.report_id, fixed=fixed == "yes",
                                    score=_int_or_none(data.get("score")) or 0,
                                    comment=str(data.get("comment", ""))[:1000])
            self.message = translate("reports.rate.thanks" if fixed == "yes" else "reports.rate.reopened", lang)
        except AgoraError as exc:
            self.error = exc.message(lang)
        await self._reload()


# --- reporting a problem -------------------------------------------------------------------------


class ReportFormState(rx.State):
    logged_in: bool = False
    loaded: bool = False
    category: str = ""
    unit: str = ""
    lat: str = ""
    lon: str = ""
    locating: bool = False
    nearby: list[NearbyView] = []
    photo_count: int = 0
    photo_names: list[str] = []
    error: str = ""
    photo_error: str = ""
    geo_message: str = ""
    supported_id: int = 0
    tile_url: str = ""
    attribution: str = ""
    _photos: list[bytes] = []
    _photo_sizes: list[tuple[int, int]] = []

    @rx.event
    def load(self):
        self.logged_in = current_actor(self) is not None
        self.error = self.photo_error = self.geo_message = ""
        self.category = self.unit = self.lat = self.lon = ""
        self.nearby = []
        self._photos, self._photo_sizes, self.photo_names, self.photo_count = [], [], [], 0
        self.supported_id = 0
        self.tile_url, self.attribution = tile_url(), tile_attribution()
        self.loaded = True

    @rx.var
    def picked(self) -> list[float]:
        lat, lon = _float_or_none(self.lat), _float_or_none(self.lon)
        return [lat, lon] if lat is not None and lon is not None else []

    def _point(self) -> tuple[float | None, float | None]:
        return _float_or_none(self.lat), _float_or_none(self.lon)

    def _refresh_nearby(self):
        lat, lon = self._point()
        if lat is not None and lon is not None and not rules.in_syros(lat, lon):
            lat = lon = None
        if not self.category or (lat is None and not self.unit):
            self.nearby = []
            return
        with session_scope() as session:
            found = queries.nearby_open(session, category=self.category, lat=lat, lon=lon,
                                        unit=None if lat is not None else self.unit)
            self.nearby = [NearbyView(id=r.id, url=f"/reports/{r.id}", description=_short(r.description, 100),
                                      status=r.status, distance="" if d is None else f"{round(d)} m",
                                      supporters=r.supporters) for r, d in found]
        if lat is not None:
            unit = rules.unit_for_point(lat, lon)
            if unit:
                self.unit = unit

    @rx.event
    def set_category(self, value: str):
        self.category = value if value in rules.CATEGORIES else ""
        self._refresh_nearby()

    @rx.event
    def set_unit(self, value: str):
        self.unit = value if value in rules.MUNICIPAL_UNITS else ""
        self._refresh_nearby()

    @rx.event
    def set_lat(self, value: str):
        self.lat = str(value)[:20]

    @rx.event
    def set_lon(self, value: str):
        self.lon = str(value)[:20]

    @rx.event
    def point_changed(self, _value: str = ""):
        self._refresh_nearby()

    @rx.event
    def locate(self):
        """Ask the browser for the phone's position (the browser asks the person's consent)."""
        self.locating = True
        self.geo_message = ""
        return rx.call_script(
            "new Promise(function (resolve) {"
            " if (!navigator.geolocation) { resolve(null); return; }"
            " navigator.geolocation.getCurrentPosition("
            "  function (p) { resolve([p.coords.latitude, p.coords.longitude]); },"
            "  function () { resolve(null); }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000}); })",
            callback=ReportFormState.got_position,
        )

    @rx.event
    async def got_position(self, position: list):
        lang = await _lang(self)
        self.locating = False
        try:
            lat, lon = float(position[0]), float(position[1])
        except (TypeError, ValueError, IndexError, KeyError):
            self.geo_message = translate("reports.errors.geolocation", lang)
            return
        if not rules.in_syros(lat, lon):
            self.geo_message = translate("reports.errors.point_outside", lang)
            return
        self.lat, self.lon = f"{lat:.6f}", f"{lon:.6f}"
        self.geo_message = translate("reports.form.located", lang)
        self._refresh_nearby()

    @rx.event
    async def pick(self, position: list):
        """A point tapped on the map."""
        lang = await _lang(self)
        try:
            lat, lon = float(position[0]), float(position[1])
        except (TypeError, ValueError, IndexError, KeyError):
            return
        if not rules.in_syros(lat, lon):
            self.geo_message = translate("reports.errors.point_outside", lang)
            return
        self.lat, self.lon = f"{lat:.6f}", f"{lon:.6f}"
        self.geo_message = translate("reports.form.picked", lang)
        self._refresh_nearby()

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        lang = await _lang(self)
        self.photo_error = ""
        if current_actor(self) is None:
            self.photo_error = translate("reports.errors.login_required", lang)
            return
        for upload in files or []:
            if len(self._photos) >= rules.MAX_PHOTOS:
                self.photo_error = translate("reports.errors.too_many_photos", lang, n=rules.MAX_PHOTOS)
                break
            data = await upload.read(MAX_BYTES + 1)  # never more than the cap into memory
            try:
                photo = process_photo(data)
            except AgoraError as exc:
                self.photo_error = exc.message(lang)
                continue
            self._photos = [*self._photos, photo.data]
            self._photo_sizes = [*self._photo_sizes, (photo.width, photo.height)]
            self.photo_names = [*self.photo_names, (upload.name or "photo")[:60]]
        self.photo_count = len(self._photos)

    @rx.event
    def remove_photo(self, index: int):
        i = _int_or_none(index)
        if i is None or not 0 <= i < len(self._photos):
            return
        self._photos = self._photos[:i] + self._photos[i + 1:]
        self._photo_sizes = self._photo_sizes[:i] + self._photo_sizes[i + 1:]
        self.photo_names = self.photo_names[:i] + self.photo_names[i + 1:]
        self.photo_count = len(self._photos)

    @rx.event
    async def support(self, report_id: int):
        lang = await _lang(self)
        self.error = ""
        try:
            with session_scope() as session:
                actions.add_support(session, actor=current_actor(self), report_id=_int_or_none(report_id) or 0)
            return rx.redirect(f"/reports/{_int_or_none(report_id)}")
        except AgoraError as exc:
            self.error = exc.message(lang)

    @rx.event
    async def submit(self, form_data: dict):
        lang = await _lang(self)
        self.error = ""
        data = form_data if isinstance(form_data, dict) else {}
        lat, lon = self._point()
        if (self.lat.strip() and lat is None) or (self.lon.strip() and lon is None):
            self.error = translate("reports.errors.number", lang)
            return
        photos = [ProcessedPhoto(d, w, h) for d, (w, h) in zip(self._photos, self._photo_sizes)]
        try:
            with session_scope() as session:
                report = actions.create_report(
                    session, actor=current_actor(self), category=self.category or str(data.get("category", "")),
                    description=str(data.get("description", "")), lat=lat, lon=lon,
                    address=str(data.get("address", "")), municipal_unit=self.unit or str(data.get("unit", "")),
                    show_name=str(data.get("show_name", "")).lower() in ("on", "true", "yes", "1"), photos=photos)
                report_id = report.id
        except AgoraError as exc:
            self.error = exc.message(lang)
            return
        self._photos, self._photo_sizes, self.photo_names, self.photo_count = [], [], [], 0
        return rx.redirect(f"/reports/{report_id}?new=1")


# --- public figures --------------------------------------------------------------------------------


def _figure_views(rows: list[rules.FigureRow], key: str) -> list[FigureView]:
    top = max((r.received for r in rows), default=0) or 1
    return [FigureView(
        key=getattr(r, key), received=r.received, bar=round(r.received / top * 100),
        median_ack=_num(r.median_ack_days), median_resolve=_num(r.median_resolve_days),
        within_target=_pct(r.share_within_target),
        within_bar=round((r.share_within_target or 0) * 100), overdue=r.overdue,
        fixed_rate=_pct(r.fixed_rate), satisfaction=_num(r.average_satisfaction),
    ) for r in rows]


class MeasurementState(rx.State):
    months: int = 12
    category: str = ""
    unit: str = ""
    by_category: list[FigureView] = []
    by_unit: list[FigureView] = []
    by_month: list[FigureView] = []
    total: list[FigureView] = []
    drill: list[DrillView] = []
    is_staff: bool = False
    loaded: bool = False
    period: str = ""

    def _reload(self):
        actor = current_actor(self)
        self.is_staff = permissions.is_staff(actor)
        first, last = queries.month_range(self.months)
        with session_scope() as session:
            groups = queries.figure_groups(session, from_month=first, to_month=last,
                                           category=self.category or None, unit=self.unit or None)
        self.period = f"{first} – {last}"
        groupings = [(), ("category",), ("unit",), ("month",)]
        if self.is_staff:
            groupings.append(("category", "unit", "month"))
        figures = rules.figures_from_groups(groups, groupings)
        self.total = _figure_views(figures[()], "category")
        self.by_category = _figure_views(figures[("category",)], "category")
        self.by_unit = _figure_views(figures[("unit",)], "unit")
        self.by_month = _figure_views(figures[("month",)], "month")
        if self.is_staff:
            self.drill = [DrillView(
                category=r.category, unit=r.unit, month=r.month, received=r.received,
                median_ack=_num(r.median_ack_days), median_resolve=_num(r.median_resolve_days),
                within_target=_pct(r.share_within_target), overdue=r.overdue, fixed_rate=_pct(r.fixed_rate),
                satisfaction=_num(r.average_satisfaction)) for r in figures[("category", "unit", "month")]]
        else:
            self.drill = []
        self.loaded = True

    @rx.event
    def load(self):
        self._reload()

    @rx.event
    def set_months(self, value: str):
        months = _int_or_none(value)
        self.months = months if months in (3, 6, 12, 24, 36) else 12
        self._reload()

    @rx.event
    def set_category(self, value: str):
        self.category = value if value in rules.CATEGORIES else ""
        self._reload()

    @rx.event
    def set_unit(self, value: str):
        self.unit = value if value in rules.MUNICIPAL_UNITS else ""
        self._reload()

    @rx.var
    def csv_url(self) -> str:
        query = f"months={self.months}"
        if self.category:
            query += f"&category={self.category}"
        if self.unit:
            query += f"&unit={self.unit}"
        return f"/api/v1/service-levels?{query}&format=csv"

    @rx.var
    def json_url(self) -> str:
        query = f"months={self.months}"
        if self.category:
            query += f"&category={self.category}"
        if self.unit:
            query += f"&unit={self.unit}"
        return f"/api/v1/service-levels?{query}"


# --- staff -----------------------------------------------------------------------------------------


class StaffReportsState(StaffState):
    allowed: bool = False
    is_admin: bool = False
    loaded: bool = False
    category: str = ""
    unit: str = ""
    overdue_only: bool = False
    queue: list[ReportCard] = []
    selected_id: int = 0
    selected: list[ReportCard] = []
    selected_text: str = ""
    error: str = ""
    message: str = ""
    targets: list[TargetView] = []
    keys: list[KeyView] = []
    new_key: str = ""
    summary: list[SummaryView] = []

    def _reload(self, actor):
        now = utcnow()
        with session_scope() as session:
            rows = queries.staff_queue(session, category=self.category or None, unit=self.unit or None,
                                       overdue_only=self.overdue_only, now=now)
            self.queue = [card(r, now) for r in rows]
            selected = session.get(Report, self.selected_id) if self.selected_id else None
            self.selected = [card(selected, now)] if selected else []
            self.selected_text = selected.description if selected else ""
            self.targets = [TargetView(category=c, ack_days=a, resolve_days=r)
                            for c, (a, r) in queries.targets(session).items()]
            counts = queries.queue_summary(session, now=now)
            self.summary = [SummaryView(
                category=c,
                cells=[f"{counts.get((c, u), (0, 0))[0]} ({counts.get((c, u), (0, 0))[1]})" for u in rules.MUNICIPAL_UNITS],
                total=f"{sum(counts.get((c, u), (0, 0))[0] for u in rules.MUNICIPAL_UNITS)} "
                      f"({sum(counts.get((c, u), (0, 0))[1] for u in rules.MUNICIPAL_UNITS)})",
            ) for c in rules.CATEGORIES]
            self.keys = [KeyView(id=k.id, name=k.name, prefix=k.prefix, created=format_local(k.created_at),
                                 revoked=k.revoked_at is not None) for k in queries.api_keys(session)]
        self.is_admin = actor.is_administrator
        self.loaded = True

    @rx.event
    def load(self):
        actor = staff_actor(self)
        self.allowed = actor is not None
        self.error = self.message = self.new_key = ""
        if actor is None:
            self.queue, self.selected, self.targets, self.keys, self.summary = [], [], [], [], []
            self.loaded = True
            return
        self._reload(actor)

    @rx.event
    def set_category(self, value: str):
        actor = staff_actor(self)
        if actor is None:
            return
        self.category = value if value in rules.CATEGORIES else ""
        self._reload(actor)

    @rx.event
    def set_unit(self, value: str):
        actor = staff_actor(self)
        if actor is None:
            return
        self.unit = value if value in rules.MUNICIPAL_UNITS else ""
        self._reload(actor)

    @rx.event
    def toggle_overdue(self, value: bool):
        actor = staff_actor(self)
        if actor is None:
            return
        self.overdue_only = bool(value)
        self._reload(actor)

    @rx.event
    def select(self, report_id: int):
        actor = staff_actor(self)
        if actor is None:
            return
        self.selected_id = _int_or_none(report_id) or 0
        self.error = self.message = ""
        self._reload(actor)

    async def _run(self, actor, work, done_key: str):
        await run_service(self, work, done_key, done_attr="message")
        self._reload(actor)

    @rx.event
    async def change_status(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        data = form_data if isinstance(form_data, dict) else {}
        report_id = self.selected_id
        await self._run(actor, lambda s: actions.change_status(
            s, actor=actor, report_id=report_id, status=str(data.get("status", "")), note=str(data.get("note", "")),
            forwarded_to=str(data.get("forwarded_to", ""))), "reports.staff.status_changed")

    @rx.event
    async def assign(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        data = form_data if isinstance(form_data, dict) else {}
        report_id = self.selected_id
        await self._run(actor, lambda s: actions.assign_department(
            s, actor=actor, report_id=report_id, department=str(data.get("department", ""))), "reports.staff.assigned")

    @rx.event
    async def merge(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        data = form_data if isinstance(form_data, dict) else {}
        report_id = self.selected_id
        into = _int_or_none(data.get("into")) or 0
        await self._run(actor, lambda s: actions.merge_reports(
            s, actor=actor, duplicate_id=report_id, into_id=into, note=str(data.get("note", ""))),
            "reports.staff.merged")

    @rx.event
    async def save_target(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        data = form_data if isinstance(form_data, dict) else {}
        await self._run(actor, lambda s: actions.set_target(
            s, actor=actor, category=str(data.get("category", "")), ack_days=_int_or_none(data.get("ack_days")) or 0,
            resolve_days=_int_or_none(data.get("resolve_days")) or 0), "reports.staff.target_saved")

    @rx.event
    async def issue_key(self, form_data: dict):
        actor = staff_actor(self)
        if actor is None:
            return
        data = form_data if isinstance(form_data, dict) else {}
        issued: list[str] = []

        def work(session):
            _, plain = actions.issue_api_key(session, actor=actor, name=str(data.get("name", "")))
            issued.append(plain)

        await self._run(actor, work, "reports.staff.key_issued")
        self.new_key = issued[0] if issued else ""

    @rx.event
    async def revoke_key(self, key_id: int):
        actor = staff_actor(self)
        if actor is None:
            return
        await self._run(actor, lambda s: actions.revoke_api_key(s, actor=actor, key_id=_int_or_none(key_id) or 0),
                        "reports.staff.key_revoked")

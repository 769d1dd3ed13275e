"""Reflex states of service reports: thin. Writes go through ``run_action`` (the
action's role matrix is the only guard), reads through ``read`` and the builders in
``views`` — a state only assigns what they return.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from syros_app.core.actions import MAX_ID
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.core.timefmt import utcnow
from syros_app.identity.state import StaffState
from syros_app.ui.state_helpers import current_actor, read, reader_language, run_action

from . import actions, queries, rules, views
from .map import MapMarker
from .models import Report
from .permissions import MATRIX
from .photos import MAX_BYTES, process_photo, stash_photo
from .views import (  # noqa: F401  (re-exported for the pages)
    DrillView,
    FigureView,
    KeyView,
    NearbyView,
    ReportCard,
    SummaryView,
    TargetView,
    UpdateView,
)


def _assign(state: rx.State, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(state, name, value)


def _choice(value: object, allowed) -> str:
    """A filter value from the page, or "" (all) when it is not one of ``allowed``."""
    return value if isinstance(value, str) and value in allowed else ""


def _id(value: object) -> int:
    """A row id from the page; 0 (names no row) when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= MAX_ID else 0


def _float_or_none(value) -> float | None:
    text = str(value or "").strip().replace(",", ".")
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _form(data: object) -> dict:
    return data if isinstance(data, dict) else {}


def _position(position: object) -> tuple[float, float] | None:
    try:
        return float(position[0]), float(position[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
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

    async def _reload(self, page: int = 0):
        actor = current_actor(self)
        self.logged_in, self.page = actor is not None, page
        filters = dict(category=self.category or None, unit=self.unit or None, state=self.state_filter or None,
                       reporter_id=actor.person_id if actor is not None and self.mine else None, page=page)
        _assign(self, await read(lambda s: views.list_page(*queries.list_reports(s, **filters))))

    @rx.event
    async def load(self):
        await self._reload()

    @rx.event
    async def set_category(self, value: str):
        self.category = _choice(value, rules.CATEGORIES)
        await self._reload()

    @rx.event
    async def set_unit(self, value: str):
        self.unit = _choice(value, rules.MUNICIPAL_UNITS)
        await self._reload()

    @rx.event
    async def set_state_filter(self, value: str):
        self.state_filter = _choice(value, ("open", "closed", "all")) or "open"
        await self._reload()

    @rx.event
    async def toggle_mine(self, value: bool):
        self.mine = bool(value)
        await self._reload()

    @rx.event
    async def next_page(self):
        if self.has_next:
            await self._reload(self.page + 1)

    @rx.event
    async def previous_page(self):
        if self.page > 0:
            await self._reload(self.page - 1)

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

    async def _reload(self):
        lang, actor = await reader_language(self), current_actor(self)
        report_id = _id(self.router.page.params.get("report_id", ""))
        person_id = actor.person_id if actor else None
        _assign(self, await read(lambda s: views.report_page(
            queries.report_detail(s, report_id, person_id=person_id) if report_id else None, actor, lang)))

    @rx.event
    async def load(self):
        self.error = self.message = ""
        await self._reload()
        if self.found and self.router.page.params.get("new") == "1":
            self.message = translate("reports.page.created_ok", await reader_language(self))

    @rx.event
    async def support(self):
        await run_action(self, actions.add_support, "reports.page.supported", done_attr="message",
                         report_id=self.report_id)
        await self._reload()

    @rx.event
    async def rate(self, form_data: dict):
        data = _form(form_data)
        fixed = data.get("fixed")
        if fixed not in ("yes", "no"):
            self.error = translate("reports.rate.choose_fixed", await reader_language(self))
            return
        await run_action(self, actions.rate_report, "reports.rate.thanks" if fixed == "yes" else "reports.rate.reopened",
                         done_attr="message", report_id=self.report_id, fixed=fixed == "yes",
                         score=data.get("score") or 0, comment=data.get("comment", ""))
        await self._reload()


# --- reporting a problem -------------------------------------------------------------------------


def _stash(data: bytes) -> str:
    return stash_photo(process_photo(data))


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
    # Names of the cleaned uploads stashed on disk (photos.stash_photo): the bytes never sit in the state.
    _photos: list[str] = []

    @rx.event
    def load(self):
        _assign(self, {"logged_in": current_actor(self) is not None, "error": "", "photo_error": "",
                       "geo_message": "", "category": "", "unit": "", "lat": "", "lon": "", "nearby": [],
                       "_photos": [], "photo_names": [], "photo_count": 0, "supported_id": 0, "loaded": True,
                       **views.map_tiles()})

    @rx.var
    def picked(self) -> list[float]:
        lat, lon = _float_or_none(self.lat), _float_or_none(self.lon)
        return [lat, lon] if lat is not None and lon is not None else []

    async def _refresh_nearby(self):
        lat, lon = _float_or_none(self.lat), _float_or_none(self.lon)
        if lat is None or lon is None or not rules.in_syros(lat, lon):
            lat = lon = None
        if not self.category or (lat is None and not self.unit):
            self.nearby = []
            return
        category, unit = self.category, None if lat is not None else self.unit
        self.nearby = await read(lambda s: views.nearby(queries.nearby_open(s, category=category, lat=lat, lon=lon,
                                                                           unit=unit)))
        self.unit = (rules.unit_for_point(lat, lon) if lat is not None else None) or self.unit

    @rx.event
    async def set_category(self, value: str):
        self.category = _choice(value, rules.CATEGORIES)
        await self._refresh_nearby()

    @rx.event
    async def set_unit(self, value: str):
        self.unit = _choice(value, rules.MUNICIPAL_UNITS)
        await self._refresh_nearby()

    @rx.event
    def set_lat(self, value: str):
        self.lat = str(value)[:20]

    @rx.event
    def set_lon(self, value: str):
        self.lon = str(value)[:20]

    @rx.event
    async def point_changed(self, _value: str = ""):
        await self._refresh_nearby()

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

    async def _set_point(self, point: tuple[float, float] | None, done_key: str, failed_key: str = ""):
        """A point from the phone or the map: kept if it is on Syros, said either way."""
        lang = await reader_language(self)
        if point is None:
            self.geo_message = translate(failed_key, lang) if failed_key else self.geo_message
            return
        if not rules.in_syros(*point):
            self.geo_message = translate("reports.errors.point_outside", lang)
            return
        self.lat, self.lon = f"{point[0]:.6f}", f"{point[1]:.6f}"
        self.geo_message = translate(done_key, lang)
        await self._refresh_nearby()

    @rx.event
    async def got_position(self, position: list):
        self.locating = False
        await self._set_point(_position(position), "reports.form.located", "reports.errors.geolocation")

    @rx.event
    async def pick(self, position: list):
        """A point tapped on the map."""
        await self._set_point(_position(position), "reports.form.picked")

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        lang = await reader_language(self)
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
                name = await asyncio.to_thread(_stash, data)
            except AgoraError as exc:
                self.photo_error = exc.message(lang)
                continue
            self._photos = [*self._photos, name]
            self.photo_names = [*self.photo_names, (upload.name or "photo")[:60]]
        self.photo_count = len(self._photos)

    @rx.event
    def remove_photo(self, index: int):
        i = _id(index) if index != 0 else 0
        if not 0 <= i < len(self._photos) or (i == 0 and str(index).strip() != "0"):
            return
        self._photos = self._photos[:i] + self._photos[i + 1:]
        self.photo_names = self.photo_names[:i] + self.photo_names[i + 1:]
        self.photo_count = len(self._photos)

    @rx.event
    async def support(self, report_id: int):
        outcome = await run_action(self, actions.add_support, done_attr="", report_id=report_id)
        if outcome:
            return rx.redirect(views.url(outcome.value.id))

    @rx.event
    async def submit(self, form_data: dict):
        data = _form(form_data)
        lat, lon = _float_or_none(self.lat), _float_or_none(self.lon)
        if (self.lat.strip() and lat is None) or (self.lon.strip() and lon is None):
            self.error = translate("reports.errors.number", await reader_language(self))
            return
        outcome = await run_action(
            self, actions.create_report, done_attr="", category=self.category or data.get("category", ""),
            description=data.get("description", ""), lat=lat, lon=lon, address=data.get("address", ""),
            municipal_unit=self.unit or data.get("unit", ""), photos=self._photos,
            show_name=str(data.get("show_name", "")).lower() in ("on", "true", "yes", "1"))
        if outcome:
            _assign(self, {"_photos": [], "photo_names": [], "photo_count": 0})
            return rx.redirect(views.url(outcome.value.id) + "?new=1")


# --- public figures --------------------------------------------------------------------------------


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

    async def _reload(self):
        drill = MATRIX.allows(current_actor(self), "view_drill_down")
        first, last = queries.month_range(self.months)
        category, unit = self.category or None, self.unit or None
        _assign(self, await read(lambda s: views.figures_page(
            queries.figure_groups(s, from_month=first, to_month=last, category=category, unit=unit),
            drill=drill, period=f"{first} – {last}")))

    @rx.event
    async def load(self):
        await self._reload()

    @rx.event
    async def set_months(self, value: str):
        months = _id(value)
        self.months = months if months in (3, 6, 12, 24, 36) else 12
        await self._reload()

    @rx.event
    async def set_category(self, value: str):
        self.category = _choice(value, rules.CATEGORIES)
        await self._reload()

    @rx.event
    async def set_unit(self, value: str):
        self.unit = _choice(value, rules.MUNICIPAL_UNITS)
        await self._reload()

    @rx.var
    def json_url(self) -> str:
        query = f"months={self.months}"
        if self.category:
            query += f"&category={self.category}"
        if self.unit:
            query += f"&unit={self.unit}"
        return f"/api/v1/service-levels?{query}"

    @rx.var
    def csv_url(self) -> str:
        return self.json_url + "&format=csv"


# --- staff -----------------------------------------------------------------------------------------


class StaffReportsState(StaffState):
    """The staff desk. Page loads show staff data only when the matrix allows it; the
    write handlers ask nobody: each action's matrix check is the guard."""

    allowed: bool = False
    is_admin: bool = False
    manages_keys: bool = False
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

    async def _reload(self):
        actor = current_actor(self)
        self.allowed = MATRIX.allows(actor, "view_staff_desk")
        self.is_admin = MATRIX.allows(actor, "set_target")
        self.manages_keys = MATRIX.allows(actor, "issue_api_key")
        if not self.allowed:
            _assign(self, views.EMPTY_DESK)
            return
        now, selected_id, keys = utcnow(), self.selected_id, self.manages_keys
        filters = dict(category=self.category or None, unit=self.unit or None, overdue_only=self.overdue_only)
        _assign(self, await read(lambda s: views.staff_desk(
            queries.staff_queue(s, now=now, **filters), s.get(Report, selected_id) if selected_id else None,
            queries.targets(s), queries.queue_summary(s, now=now), queries.api_keys(s) if keys else None)))

    @rx.event
    async def load(self):
        self.error = self.message = self.new_key = ""
        await self._reload()

    @rx.event
    async def set_category(self, value: str):
        self.category = _choice(value, rules.CATEGORIES)
        await self._reload()

    @rx.event
    async def set_unit(self, value: str):
        self.unit = _choice(value, rules.MUNICIPAL_UNITS)
        await self._reload()

    @rx.event
    async def toggle_overdue(self, value: bool):
        self.overdue_only = bool(value)
        await self._reload()

    @rx.event
    async def select(self, report_id: int):
        self.selected_id = _id(report_id)
        self.error = self.message = ""
        await self._reload()

    async def _act(self, action, done_key: str, **inputs):
        outcome = await run_action(self, action, done_key, done_attr="message", **inputs)
        await self._reload()
        return outcome

    @rx.event
    async def change_status(self, form_data: dict):
        data = _form(form_data)
        await self._act(actions.change_status, "reports.staff.status_changed",
                        report_id=data.get("report_id", self.selected_id), status=data.get("status", ""),
                        note=data.get("note", ""), forwarded_to=data.get("forwarded_to", ""))

    @rx.event
    async def assign(self, form_data: dict):
        data = _form(form_data)
        await self._act(actions.assign_department, "reports.staff.assigned",
                        report_id=data.get("report_id", self.selected_id), department=data.get("department", ""))

    @rx.event
    async def merge(self, form_data: dict):
        data = _form(form_data)
        await self._act(actions.merge_reports, "reports.staff.merged", duplicate_id=data.get("report_id",
                        self.selected_id), into_id=data.get("into") or 0, note=data.get("note", ""))

    @rx.event
    async def save_target(self, form_data: dict):
        data = _form(form_data)
        await self._act(actions.set_target, "reports.staff.target_saved", category=data.get("category", ""),
                        ack_days=data.get("ack_days") or 0, resolve_days=data.get("resolve_days") or 0)

    @rx.event
    async def issue_key(self, form_data: dict):
        outcome = await self._act(actions.issue_api_key, "reports.staff.key_issued",
                                  name=_form(form_data).get("name", ""))
        self.new_key = outcome.value[1] if outcome else ""

    @rx.event
    async def revoke_key(self, key_id: int):
        await self._act(actions.revoke_api_key, "reports.staff.key_revoked", key_id=key_id)

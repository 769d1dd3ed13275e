"""Reflex states of service reports: thin. Writes go through ``run_action`` (the
action's role matrix is the only guard), reads through ``read`` and the builders in
``views`` — a state only assigns what they return.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from syros_app.core.i18n import translate
from syros_app.identity.state import StaffState
from syros_app.ui.state_helpers import Confirming, current_actor, read, reader_language, run_action

from . import actions, queries, rules, views
from .map import GEOLOCATE_SCRIPT, MapMarker
from .permissions import MATRIX, desk_department
from .photos import stash_uploads


def _assign(state: rx.State, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(state, name, value)


class _Filtered(rx.State, mixin=True):
    """A page filtered by category and municipal unit: a change reloads it (``_reload``)."""

    category: str = ""
    unit: str = ""
    loaded: bool = False

    async def _refilter(self, **fields):
        _assign(self, fields)
        await self._reload()

    @rx.event
    async def load(self):
        await self._reload()

    @rx.event
    async def set_category(self, value: str):
        await self._refilter(category=views.choice(value, rules.CATEGORIES))

    @rx.event
    async def set_unit(self, value: str):
        await self._refilter(unit=views.choice(value, rules.MUNICIPAL_UNITS))


# --- public list --------------------------------------------------------------------------------


class ReportsListState(_Filtered, rx.State):
    items: list[views.ReportCard] = []
    total: int = 0
    page: int = 0
    state_filter: str = "open"
    mine: bool = False
    logged_in: bool = False
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
    async def set_state_filter(self, value: str):
        await self._refilter(state_filter=views.choice(value, ("open", "closed", "all")) or "open")

    @rx.event
    async def toggle_mine(self, value: bool):
        await self._refilter(mine=bool(value))

    @rx.event
    async def turn_page(self, step: int):
        page = self.page + (1 if step == 1 else -1)
        if 0 <= page and (step != 1 or self.has_next):
            await self._reload(page)

    @rx.var
    def has_next(self) -> bool:
        return (self.page + 1) * queries.PAGE_SIZE < self.total

    @rx.var
    def page_label(self) -> str:
        return f"{self.page + 1} / {max(1, -(-self.total // queries.PAGE_SIZE))}"


# --- one report ----------------------------------------------------------------------------------


class ReportPageState(rx.State):
    found: bool = True
    loaded: bool = False
    view: views.ReportView = views.ReportView()
    error: str = ""
    message: str = ""

    async def _reload(self):
        lang, actor = await reader_language(self), current_actor(self)
        report_id = views.row_id(self.router.page.params.get("report_id", ""))
        _assign(self, await read(lambda s: views.report_page(s, report_id, actor, lang)))

    @rx.event
    async def load(self):
        self.error = self.message = ""
        await self._reload()
        if self.found and self.router.page.params.get("new") == "1":
            self.message = translate("reports.page.created_ok", await reader_language(self))

    @rx.event
    async def support(self):
        await run_action(self, actions.add_support, "reports.page.supported", done_attr="message",
                         report_id=self.view.report_id)
        await self._reload()

    @rx.event
    async def rate(self, form_data: dict):
        data = views.form(form_data)
        fixed = data.get("fixed")
        if fixed not in ("yes", "no"):
            self.error = translate("reports.rate.choose_fixed", await reader_language(self))
            return
        done_key = "reports.rate.thanks" if fixed == "yes" else "reports.rate.reopened"
        await run_action(self, actions.rate_report, done_key, done_attr="message", report_id=self.view.report_id,
                         fixed=fixed == "yes",
                         score=data.get("score") or 0, comment=data.get("comment", ""))
        await self._reload()


# --- reporting a problem -------------------------------------------------------------------------


class ReportFormState(_Filtered, rx.State):
    logged_in: bool = False
    lat: str = ""
    lon: str = ""
    locating: bool = False
    nearby: list[views.NearbyView] = []
    photo_names: list[str] = []
    error: str = ""
    photo_error: str = ""
    geo_message: str = ""
    tile_url: str = ""
    attribution: str = ""
    # Names of the cleaned uploads stashed in the file store (photos.stash_photo): the bytes never sit in the state.
    _photos: list[str] = []

    @rx.event
    def load(self):
        _assign(self, {"logged_in": current_actor(self) is not None, "error": "", "photo_error": "",
                       "geo_message": "", "category": "", "unit": "", "lat": "", "lon": "", "nearby": [],
                       "_photos": [], "photo_names": [], "loaded": True, **views.map_tiles()})

    @rx.var
    def picked(self) -> list[float]:
        lat, lon = views.number(self.lat), views.number(self.lon)
        return [lat, lon] if lat is not None and lon is not None else []

    async def _reload(self):
        """The open reports of the same category nearby, offered for a "me too" instead."""
        category, unit, lat, lon = self.category, self.unit, self.lat, self.lon
        _assign(self, await read(lambda s: views.nearby_form(s, category, unit, lat, lon)))

    @rx.event
    def set_lat(self, value: str):
        self.lat = str(value)[:20]

    @rx.event
    def set_lon(self, value: str):
        self.lon = str(value)[:20]

    @rx.event
    async def point_changed(self, _value: str = ""):
        await self._reload()

    @rx.event
    def locate(self):
        self.locating, self.geo_message = True, ""
        return rx.call_script(GEOLOCATE_SCRIPT, callback=ReportFormState.got_position)

    async def _set_point(self, point: tuple[float, float] | None, done_key: str, failed_key: str = ""):
        """A point from the phone or the map: kept if it is on Syros, said either way."""
        lang = await reader_language(self)
        if point is None or not rules.in_syros(*point):
            key = failed_key if point is None else "reports.errors.point_outside"
            self.geo_message = translate(key, lang) if key else self.geo_message
            return
        self.lat, self.lon = f"{point[0]:.6f}", f"{point[1]:.6f}"
        self.geo_message = translate(done_key, lang)
        await self._reload()

    @rx.event
    async def got_position(self, position: list):
        self.locating = False
        await self._set_point(views.point(position), "reports.form.located", "reports.errors.geolocation")

    @rx.event
    async def pick(self, position: list):
        """A point tapped on the map."""
        await self._set_point(views.point(position), "reports.form.picked")

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        lang = await reader_language(self)
        if current_actor(self) is None:
            self.photo_error = translate("reports.errors.login_required", lang)
            return
        stashed, refusal = await stash_uploads(files, have=len(self._photos), limit=rules.MAX_PHOTOS)
        self._photos = [*self._photos, *(name for name, _ in stashed)]
        self.photo_names = [*self.photo_names, *(label for _, label in stashed)]
        self.photo_error = refusal.message(lang) if refusal else ""

    @rx.event
    def remove_photo(self, index: int):
        keep = [i for i in range(len(self._photos)) if str(i) != str(index).strip()]
        self._photos, self.photo_names = [self._photos[i] for i in keep], [self.photo_names[i] for i in keep]

    @rx.event
    async def support(self, report_id: int):
        outcome = await run_action(self, actions.add_support, done_attr="", report_id=report_id)
        if outcome:
            return rx.redirect(views.url(outcome.value.id))

    @rx.event
    async def submit(self, form_data: dict):
        data = views.form(form_data)
        lat, lon = views.number(self.lat), views.number(self.lon)
        if (self.lat.strip() and lat is None) or (self.lon.strip() and lon is None):
            self.error = translate("reports.errors.number", await reader_language(self))
            return
        outcome = await run_action(
            self, actions.create_report, done_attr="", category=self.category or data.get("category", ""),
            description=data.get("description", ""), lat=lat, lon=lon, address=data.get("address", ""),
            municipal_unit=self.unit or data.get("unit", ""), photos=self._photos,
            show_name=str(data.get("show_name", "")).lower() in ("on", "true", "yes", "1"))
        if outcome:
            self._photos, self.photo_names = [], []
            return rx.redirect(views.url(outcome.value.id) + "?new=1")


# --- public figures --------------------------------------------------------------------------------


class MeasurementState(_Filtered, rx.State):
    months: int = 12
    by_category: list[views.FigureView] = []
    by_unit: list[views.FigureView] = []
    by_month: list[views.FigureView] = []
    total: list[views.FigureView] = []
    drill: list[views.DrillView] = []
    is_staff: bool = False
    period: str = ""
    period_en: str = ""

    async def _reload(self):
        drill = MATRIX.allows(current_actor(self), "view_drill_down")
        months, category, unit = self.months, self.category or None, self.unit or None
        _assign(self, await read(lambda s: views.figures_page(s, months, category, unit, drill=drill)))

    @rx.event
    async def set_months(self, value: str):
        months = views.row_id(value)
        await self._refilter(months=months if months in (3, 6, 12, 24, 36) else 12)

    @rx.var
    def json_url(self) -> str:
        return views.figures_url(self.months, self.category, self.unit)

    @rx.var
    def csv_url(self) -> str:
        return self.json_url + "&format=csv"


# --- staff -----------------------------------------------------------------------------------------


class StaffReportsState(Confirming, _Filtered, StaffState):
    """The staff desk. Loads show staff data only when the matrix allows it; the write
    handlers ask nobody: each action's matrix check is the guard."""

    allowed: bool = False
    is_admin: bool = False
    manages_keys: bool = False
    overdue_only: bool = False
    queue: list[views.ReportCard] = []
    selected_id: int = 0
    selected: list[views.ReportCard] = []
    selected_text: str = ""
    detail: list[views.DeskDetail] = []
    note_error: str = ""
    status_note_error: str = ""
    bulk_error: str = ""
    error: str = ""
    message: str = ""
    targets: list[views.TargetView] = []
    keys: list[views.KeyView] = []
    new_key: str = ""
    summary: list[views.SummaryView] = []

    async def _reload(self):
        actor = current_actor(self)
        self.allowed, self.is_admin, self.manages_keys = (
            MATRIX.allows(actor, p) for p in ("view_staff_desk", "set_target", "issue_api_key"))
        if not self.allowed:
            return _assign(self, views.EMPTY_DESK)
        filters = dict(category=self.category or None, unit=self.unit or None, overdue_only=self.overdue_only)
        selected_id, keys, department = self.selected_id, self.manages_keys, desk_department(actor)
        lang = await reader_language(self)
        _assign(self, await read(lambda s: views.staff_desk(s, filters, selected_id, keys=keys, department=department,
                                                           lang=lang)))

    # The desk's filters, kept in this browser so they persist between visits (no data).
    saved_filters: str = rx.LocalStorage("", name="syros_desk_filters", sync=True)

    async def _refilter(self, **fields):
        _assign(self, fields)
        await self._reload()
        if self.allowed:
            self.saved_filters = json.dumps({"category": self.category, "unit": self.unit,
                                             "overdue_only": self.overdue_only})

    @rx.event
    async def load(self):
        saved = views.payload(self.saved_filters)
        await self._refilter(error="", message="", new_key="",
                             category=views.choice(saved.get("category"), rules.CATEGORIES),
                             unit=views.choice(saved.get("unit"), rules.MUNICIPAL_UNITS),
                             overdue_only=saved.get("overdue_only") is True)

    @rx.event
    async def toggle_overdue(self, value: bool):
        await self._refilter(overdue_only=bool(value))

    @rx.event
    async def select(self, report_id: int):
        await self._refilter(selected_id=views.row_id(report_id), error="", message="", note_error="")
        if self.selected:  # the detail in view and focused (on a phone it is far from the row)
            return rx.call_script("(h => h && (h.scrollIntoView({block: 'start'}), h.focus()))"
                                  "(document.getElementById('selected-heading'))")
        return None

    @rx.event
    def close_detail(self, report_id: int):
        """Back to the queue, focus on the row's own button."""
        self.selected_id, self.selected, self.detail = 0, [], []
        return rx.call_script(f"(b => b && b.focus())(document.getElementById('open-{views.row_id(report_id)}'))")

    @rx.event
    async def add_note(self, form_data: dict):
        outcome = await self._act(actions.add_internal_note, "reports.desk.note_added", form_data,
                                  report_id=self.selected_id, body="")
        self.note_error = ""
        if outcome.error is not None and outcome.error.params.get("field") == "body":
            self.note_error, self.error = self.error, ""

    @rx.event
    async def assign_officer(self, form_data: dict):
        data = views.form(form_data)
        await self._act(actions.assign_officer, "reports.desk.officer_assigned", None,
                        report_id=data.get("report_id") or self.selected_id, officer_id=data.get("officer_id") or None)

    async def _act(self, action, done_key: str, form_data: object = None, **defaults):
        """Run one staff action with the form's fields, each named like the action's input
        (``defaults`` for those left empty), then show the desk again."""
        data = views.form(form_data)
        inputs = {name: data.get(name) or default for name, default in defaults.items()}
        outcome = await run_action(self, action, done_key, done_attr="message", **inputs)
        await self._reload()
        return outcome

    @rx.event
    async def change_status(self, form_data: dict):
        """A status change; rejecting (public and final for the reporter) asks first."""
        data = views.form(form_data)
        self.status_note_error = ""
        if data.get("status") == rules.REJECTED:
            report_id = views.row_id(data.get("report_id")) or self.selected_id
            note = data.get("note") if isinstance(data.get("note"), str) else ""
            if not note.strip():  # rejecting needs a reason: said beside the note, before any dialog
                self.status_note_error = translate("reports.errors.note_required", await reader_language(self))
                return None
            return await self._ask("reject", report_id, title="reports.confirm.reject_title",
                                   what="reports.confirm.reject_what", who="reports.confirm.reject_who",
                                   label="reports.confirm.reject_label", payload=json.dumps({"note": note}),
                                   id=str(report_id), note=note or "—")
        await self._act(actions.change_status, "reports.staff.status_changed", form_data,
                        report_id=self.selected_id, status="", note="", forwarded_to="")
        return None

    @rx.event
    async def ask_bulk(self, form_data: dict):
        """Bulk status change: the ticked reports, one status, one public note; asks first."""
        data, lang = views.form(form_data), await reader_language(self)
        ids = views.bulk_ids(data)
        note = data.get("note") if isinstance(data.get("note"), str) else ""
        status = views.choice(data.get("status"), (rules.ACKNOWLEDGED, rules.IN_PROGRESS, rules.RESOLVED))
        self.bulk_error = ""
        if not ids:
            self.bulk_error = translate("reports.desk.bulk_none", lang)
        elif not note.strip() or not status:
            self.bulk_error = translate("reports.errors.note_required", lang)
        if self.bulk_error:
            return None
        return await self._ask("bulk", 0, title="reports.confirm.bulk_title", what="reports.confirm.bulk_what",
                               who="reports.confirm.bulk_who", label="reports.confirm.bulk_label",
                               payload=json.dumps({"ids": ids, "status": status, "note": note}), count=str(len(ids)),
                               status=translate(f"reports.status.{status}", lang), note=note)

    @rx.event
    async def ask_merge(self, form_data: dict):
        data = views.form(form_data)
        duplicate, into = views.row_id(data.get("duplicate_id")) or self.selected_id, views.row_id(data.get("into_id"))
        note = data.get("note") if isinstance(data.get("note"), str) else ""
        return await self._ask("merge", duplicate, title="reports.confirm.merge_title",
                               what="reports.confirm.merge_what", who="reports.confirm.merge_who",
                               label="reports.confirm.merge_label",
                               payload=json.dumps({"into_id": into, "note": note}), id=str(duplicate), into=str(into))

    @rx.event
    async def confirm(self, form_data: dict):
        """Run the step the dialog confirmed: reject (its public note) or merge."""
        data = views.form(form_data)
        step, target, payload = data.get("step"), data.get("target"), views.payload(data.get("payload"))
        if step == "reject":
            outcome, then = await self._confirmed(actions.change_status, "reports.staff.status_changed",
                                                  done_attr="message", report_id=target, status=rules.REJECTED,
                                                  note=payload.get("note", ""))
        elif step == "bulk":
            return await self._bulk(payload)
        elif step == "merge":
            outcome, then = await self._confirmed(actions.merge_reports, "reports.staff.merged", done_attr="message",
                                                  duplicate_id=target, into_id=payload.get("into_id", 0),
                                                  note=payload.get("note", ""))
        else:
            return None
        await self._reload()
        return then

    @rx.event
    async def assign(self, form_data: dict):
        await self._act(actions.assign_department, "reports.staff.assigned", form_data,
                        report_id=self.selected_id, department="")


    async def _bulk(self, payload: dict):
        """Each report through the same action as one by one (each checked on its own)."""
        from syros_app.ui.components import CONFIRM_DIALOG, close_dialog

        ids = [i for i in payload.get("ids", []) if isinstance(i, int)][:100]
        changed = 0
        for report_id in ids:
            if await run_action(self, actions.change_status, done_attr="", report_id=report_id,
                                status=payload.get("status", ""), note=payload.get("note", "")):
                changed += 1
        lang = await reader_language(self)
        self.error = "" if changed == len(ids) else translate("reports.desk.bulk_refused", lang,
                                                               count=str(len(ids) - changed))
        self.message = translate("reports.desk.bulk_done", lang, count=str(changed))
        await self._reload()
        return close_dialog(CONFIRM_DIALOG)

    @rx.event
    async def save_target(self, form_data: dict):
        await self._act(actions.set_target, "reports.staff.target_saved", form_data,
                        category="", ack_days=0, resolve_days=0)

    @rx.event
    async def issue_key(self, form_data: dict):
        outcome = await self._act(actions.issue_api_key, "reports.staff.key_issued", form_data, name="")
        self.new_key = outcome.value[1] if outcome else ""

    @rx.event
    async def revoke_key(self, key_id: int):
        await self._act(actions.revoke_api_key, "reports.staff.key_revoked", key_id=key_id)

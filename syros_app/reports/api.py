"""HTTP routes of service reports: Open311 GeoReport v2, the public service-level
figures (JSON/CSV) and report photos."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.api.csv_files import csv_response
from syros_app.capabilities import optional_module
from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import normalise_language, translate
from syros_app.core.settings import get_settings

from . import actions, open311, queries, rules
from .models import Report
from .photos import photo_bytes

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"


# --- Open311 --------------------------------------------------------------------------------

def _fmt(request: Request) -> str:
    fmt = request.path_params.get("fmt", "json").lower()
    if fmt not in open311.FORMATS:
        raise open311.Open311Error(400, "format must be json or xml")
    return fmt


def _respond(fmt: str, data, *, root: str, item: str | None, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(open311.to_xml(root, item, data), status_code=status, media_type=XML_TYPE)
    return Response(json.dumps(data, ensure_ascii=False), status_code=status, media_type=JSON_TYPE)


def _error(fmt: str, exc: open311.Open311Error) -> Response:
    body = [{"code": exc.code, "description": exc.description}]
    return _respond(fmt if fmt in open311.FORMATS else "json", body, root="errors", item="error", status=exc.code)


def _open311(handler):
    async def endpoint(request: Request) -> Response:
        fmt = request.path_params.get("fmt", "json").lower()
        try:
            return await handler(request, _fmt(request))
        except open311.Open311Error as exc:
            return _error(fmt, exc)
        except AgoraError as exc:
            return _error(fmt, open311.Open311Error(400, translate(exc.key, "en", **exc.params)))

    return endpoint


def _lang(request: Request) -> str:
    return normalise_language(request.query_params.get("locale", "")[:2].lower())


async def services(request: Request, fmt: str) -> Response:
    lang = _lang(request)
    return _respond(fmt, [open311.service(code, lang) for code in rules.CATEGORIES], root="services", item="service")


async def service_definition(request: Request, fmt: str) -> Response:
    code = request.path_params["code"]
    if code not in rules.CATEGORIES:
        raise open311.Open311Error(404, f"service_code {code} not found")
    return _respond(fmt, open311.service_definition(code), root="service_definition", item=None)


def _request_rows(session, reports: list[Report]) -> list[dict]:
    ids = [r.id for r in reports]
    notes = queries.last_notes(session, ids)
    media = queries.first_photos(session, ids)
    departments = {d: translate(f"reports.department.{d}", "el") for d in rules.DEPARTMENTS}
    base = get_settings().public_url
    return [open311.request_fields(r, notes=notes, media=media, base_url=base, departments=departments) for r in reports]


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


async def requests_get(request: Request, fmt: str) -> Response:
    params = request.query_params
    ids: list[int] = []
    for raw in _split(params.get("service_request_id")):
        if not raw.isdigit():
            raise open311.Open311Error(400, "service_request_id must be a comma-separated list of ids")
        ids.append(int(raw))
    codes = _split(params.get("service_code"))
    unknown = [c for c in codes if c not in rules.CATEGORIES]
    if unknown:
        raise open311.Open311Error(400, f"unknown service_code {unknown[0]}")
    statuses = [s.lower() for s in _split(params.get("status"))]
    if any(s not in ("open", "closed") for s in statuses):
        raise open311.Open311Error(400, "status must be open, closed or both")
    start = open311.parse_datetime(params["start_date"], "start_date") if params.get("start_date") else None
    end = open311.parse_datetime(params["end_date"], "end_date") if params.get("end_date") else None
    if start and end:
        if end < start:
            raise open311.Open311Error(400, "end_date is before start_date")
        if end - start > open311.MAX_SPAN:
            raise open311.Open311Error(400, "start_date and end_date may not span more than 90 days")
    elif start and not end:
        end = start + open311.MAX_SPAN
    elif end and not start:
        start = end - open311.MAX_SPAN
    with session_scope() as session:
        reports = queries.open311_requests(session, ids=ids or None, service_codes=codes or None, start=start,
                                           end=end, statuses=statuses or None)
        rows = _request_rows(session, reports)
    return _respond(fmt, rows, root="service_requests", item="request")


def _float(value: str | None, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise open311.Open311Error(400, f"{name} must be a number") from exc


async def requests_post(request: Request, fmt: str) -> Response:
    form = await request.form()
    params = {**request.query_params, **{k: v for k, v in form.items() if isinstance(v, str)}}
    with session_scope() as session:
        key = queries.key_for(session, params.get("api_key"))
        if key is None:
            raise open311.Open311Error(403, "api_key is missing, invalid or revoked")
        code = params.get("service_code", "")
        if code not in rules.CATEGORIES:
            raise open311.Open311Error(400 if not code else 404, "service_code missing or not found")
        lat, lon = _float(params.get("lat"), "lat"), _float(params.get("long"), "long")
        if (lat is None) != (lon is None):
            raise open311.Open311Error(400, "lat and long must be given together")
        if lat is None and not params.get("address_string") and not params.get("address_id"):
            raise open311.Open311Error(400, "a location is required: lat & long, address_string or address_id")
        report = actions.create_open311_request(
            session, actor=None, api_key=params.get("api_key", ""), service_code=code,
            description=params.get("description", ""), lat=lat, lon=lon, address=params.get("address_string") or params.get("address_id"))
        body = [{"service_request_id": str(report.id), "token": report.open311_token, "service_notice": None,
                 "account_id": None}]
    return _respond(fmt, body, root="service_requests", item="request")


async def request_one(request: Request, fmt: str) -> Response:
    raw = request.path_params["request_id"]
    with session_scope() as session:
        report = session.get(Report, int(raw)) if raw.isdigit() else None
        if report is None:
            raise open311.Open311Error(404, f"service_request_id {raw} not found")
        rows = _request_rows(session, [report])
    return _respond(fmt, rows, root="service_requests", item="request")


async def token(request: Request, fmt: str) -> Response:
    from sqlmodel import select

    value = request.path_params["token"]
    with session_scope() as session:
        report = session.exec(select(Report).where(Report.open311_token == value)).first()
        if report is None:
            raise open311.Open311Error(404, "token not found")
        body = [{"service_request_id": str(report.id), "token": value}]
    return _respond(fmt, body, root="service_requests", item="request")


async def requests_dispatch(request: Request, fmt: str) -> Response:
    if request.method == "POST":
        return await requests_post(request, fmt)
    return await requests_get(request, fmt)


async def discovery(request: Request, fmt: str) -> Response:
    """Service discovery (http://wiki.open311.org/Service_Discovery): where the GeoReport v2 endpoint is."""
    base = get_settings().public_url
    endpoint = {"specification": "http://wiki.open311.org/GeoReport_v2", "url": f"{base}/open311/v2",
                "changeset": "2026-11-27T00:00:00Z", "type": "production"}
    data = {"changeset": "2026-11-27T00:00:00Z",
            "contact": "Δήμος Σύρου-Ερμούπολης, Πλατεία Μιαούλη, 84100 Ερμούπολη",
            "key_service": f"{base}/developers#open311-keys"}
    if fmt == "xml":
        root = open311.ET.Element("discovery")
        for key, value in data.items():
            open311.ET.SubElement(root, key).text = value
        endpoints = open311.ET.SubElement(root, "endpoints")
        element = open311.ET.SubElement(endpoints, "endpoint")
        for key, value in endpoint.items():
            open311.ET.SubElement(element, key).text = value
        formats = open311.ET.SubElement(element, "formats")
        for media in ("application/json", "text/xml"):
            open311.ET.SubElement(formats, "format").text = media
        body = b'<?xml version="1.0" encoding="utf-8"?>' + open311.ET.tostring(root, encoding="unicode").encode()
        return Response(body, media_type=XML_TYPE)
    return JSONResponse({**data, "endpoints": [{**endpoint, "formats": ["application/json", "text/xml"]}]})


# --- public figures ----------------------------------------------------------------------------

FIGURE_DIMENSIONS = ("category", "unit", "month")


def figure_params(params) -> dict:
    try:
        months = int(params.get("months", "12"))
    except ValueError:
        months = 12
    months = min(max(months, 1), 36)
    by = tuple(d for d in _split(params.get("by", "category,unit,month")) if d in FIGURE_DIMENSIONS)
    return {"months": months, "category": params.get("category") or None, "unit": params.get("unit") or None,
            "by": by}


async def service_levels(request: Request) -> Response:
    args = figure_params(request.query_params)
    with session_scope() as session:
        rows = queries.figures(session, **args)
        targets = queries.targets(session)
        as_of = queries.latest_change(session)
        applications = optional_module("syros_app.applications", "measurement")
        applications = applications.service_levels(session, months=args["months"]) if applications else None
    first, last = queries.month_range(args["months"])
    data = [r.as_dict() for r in rows]
    if request.query_params.get("format") == "csv":
        fields = list(data[0].keys()) if data else list(rules.FigureRow("", "", "").as_dict().keys())
        return csv_response(fields, ([row[k] for k in fields] for row in data), "service-levels.csv")
    return JSONResponse({
        # the data's own time, not the clock's: the same figures are the same bytes (and ETag)
        "generated_at": as_of.isoformat(timespec="seconds") if as_of else None,
        "from_month": first, "to_month": last, "grouped_by": list(args["by"]),
        "time_unit": "working days (Mon–Fri, Greek public holidays and the municipality's local holidays excluded, Europe/Athens)",
        "targets": {c: {"acknowledge_days": a, "resolve_days": r} for c, (a, r) in targets.items()},
        "rows": data,
        "applications": applications,
    })


async def photo(request: Request) -> Response:
    with session_scope() as session:
        data = photo_bytes(session, request.path_params["name"])
    if data is None:
        return JSONResponse({"error": "reports.errors.photo_not_found",
                             "message": translate("reports.errors.photo_not_found", "el")}, status_code=404)
    return Response(data, media_type="image/jpeg",
                        headers={"cache-control": "public, max-age=31536000, immutable",
                                 "x-content-type-options": "nosniff"})


routes = [
    Route("/open311/discovery.{fmt}", _open311(discovery), methods=["GET"]),
    Route("/open311/v2/services.{fmt}", _open311(services), methods=["GET"]),
    Route("/open311/v2/services/{code}.{fmt}", _open311(service_definition), methods=["GET"]),
    Route("/open311/v2/requests.{fmt}", _open311(requests_dispatch), methods=["GET", "POST"]),
    Route("/open311/v2/requests/{request_id}.{fmt}", _open311(request_one), methods=["GET"]),
    Route("/open311/v2/tokens/{token}.{fmt}", _open311(token), methods=["GET"]),
    Route("/api/v1/service-levels", service_levels, methods=["GET"]),
    Route("/api/v1/reports/photos/{name}", photo, methods=["GET"]),
]

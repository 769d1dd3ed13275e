"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): field names, formats
and errors as the specification gives them, so existing clients and aggregators work.

JSON bodies are arrays (errors too: ``[{"code": 400, "description": "…"}]``); XML
bodies have the roots ``services``, ``service_definition``, ``service_requests`` and
``errors``. Dates are ISO 8601 with the Athens offset.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from syros_app.core.i18n import translate
from syros_app.core.timefmt import to_athens

from . import rules
from .models import Report

JURISDICTION = "syros-ermoupoli.gr"
MUNICIPALITY = "Δήμος Σύρου-Ερμούπολης"
FORMATS = ("json", "xml")
MAX_SPAN = timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def iso(moment: datetime | None) -> str | None:
    return to_athens(moment).isoformat(timespec="seconds") if moment else None


def parse_datetime(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError as exc:
        raise Open311Error(400, f"{name} must be an ISO 8601 date and time, e.g. 2026-11-01T00:00:00Z") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=rules.ATHENS)
    return parsed


def service(code: str, lang: str = "el") -> dict:
    return {
        "service_code": code,
        "service_name": translate(f"reports.category.{code}", lang),
        "description": translate(f"reports.open311.description.{code}", lang),
        "metadata": False,
        "type": "realtime",
        "keywords": translate(f"reports.open311.keywords.{code}", lang),
        "group": translate("reports.open311.group", lang),
    }


def service_definition(code: str) -> dict:
    return {"service_code": code, "attributes": []}


def request_fields(report: Report, *, notes: dict[int, str], media: dict[int, str], base_url: str,
                   departments: dict[str, str]) -> dict:
    if report.status == rules.FORWARDED and report.forwarded_to:
        agency = report.forwarded_to
    elif report.department:
        agency = departments.get(report.department, MUNICIPALITY)
    else:
        agency = MUNICIPALITY
    return {
        "service_request_id": str(report.id),
        "status": rules.open311_status(report.status),
        "status_notes": notes.get(report.id),
        "service_name": translate(f"reports.category.{report.category}", "el"),
        "service_code": report.category,
        "description": report.description,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(report.resolve_due_at) if report.status in rules.OPEN_STATUSES else None,
        "address": report.address,
        "address_id": None,
        "zipcode": "84100",
        "lat": report.lat,
        "long": report.lon,
        "media_url": f"{base_url}/api/v1/reports/photos/{media[report.id]}" if report.id in media else None,
    }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, list):
        item_name = {"attributes": "attribute", "values": "value"}.get(name, "item")
        for item in value:
            _append_dict(ET.SubElement(child, item_name), item)
    else:
        child.text = _text(value)


def _append_dict(element: ET.Element, data: dict) -> None:
    for key, value in data.items():
        _append(element, key, value)


def to_xml(root: str, item: str | None, data) -> bytes:
    """``root`` wrapping one ``item`` element per dict (or the dict itself when item is None)."""
    element = ET.Element(root)
    if item is None:
        _append_dict(element, data)
    else:
        for entry in data:
            _append_dict(ET.SubElement(element, item), entry)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="unicode").encode("utf-8")

"""Atom 1.0 feeds (RFC 4287) of published notices, all or one category."""

from __future__ import annotations

from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc

from . import rules
from .models import Notice

ATOM = "http://www.w3.org/2005/Atom"
# An empty feed has changed last… never: a fixed instant keeps its bytes (and ETag) stable.
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _date(value) -> str:
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(notices: list[Notice], *, base_url: str, category: str | None = None) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "el"})
    path = f"/api/v1/notices/{category}.atom" if category else "/api/v1/notices.atom"
    title = translate("notices.feed_title", "el")
    if category:
        title += " · " + translate(rules.category_key(category), "el")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base_url}{path}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    updated = max((as_utc(n.published_at) for n in notices if n.published_at), default=EMPTY_FEED_UPDATED)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _date(updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = translate("app.municipality", "el")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": f"{base_url}{path}"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base_url}/notices"})
    for notice in notices:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{base_url}/notices/{notice.id}"
        prefix = translate("notices.urgent_prefix", "el") + " " if notice.urgent else ""
        ET.SubElement(entry, f"{{{ATOM}}}title").text = prefix + notice.title
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _date(notice.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _date(notice.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                                 "href": f"{base_url}/notices/{notice.id}"})
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": notice.category,
                                                     "label": translate(rules.category_key(notice.category), "el")})
        area = notice.area or translate("notices.area_all", "el")
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = rules.excerpt(notice.body, 300)
        content = ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"})
        content.text = f"{notice.body}\n\n{translate('notices.area', 'el')}: {area}"
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")

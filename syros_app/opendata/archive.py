"""The open-data archive: one CSV per dataset plus ``datapackage.json`` in a zip.

The descriptor follows the Frictionless Data Package v1 (tabular profile): each
resource carries its Table Schema, size and SHA-256, so a harvester can check what
it downloaded and read every column's meaning without asking anyone.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, select

from syros_app.api.csv_files import csv_text
from syros_app.core.datasets import Dataset, row_cells, table_schema
from syros_app.core.i18n import translate
from syros_app.core.settings import get_settings
from syros_app.core.timefmt import as_utc, to_athens

from .catalogue import all_datasets
from .models import OpenDataArchive

KEEP_ARCHIVES = 7
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}


def dataset_csv(session: Session, ds: Dataset, now: datetime) -> str:
    return csv_text(ds.columns, (row_cells(r) for r in ds.rows(session, now)))


def resource(ds: Dataset, lang: str, *, path: str, data: bytes | None = None) -> dict:
    """The Data Package resource of one dataset (with bytes and hash when the file is at hand)."""
    entry = {
        "name": ds.name, "path": path, "profile": "tabular-data-resource",
        "title": translate(ds.title_key, lang), "description": translate(ds.description_key, lang),
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig", "dialect": CSV_DIALECT,
        "schema": table_schema(ds.row_model),
    }
    if data is not None:
        entry |= {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
    return entry


def descriptor(resources: list[dict], lang: str, now: datetime) -> dict:
    return {
        "profile": "tabular-data-package", "name": "syros-agora-open-data",
        "title": translate("opendata.package_title", lang), "description": translate("opendata.package_text", lang),
        "homepage": get_settings().public_url.rstrip("/") + "/developers",
        "licenses": [LICENCE], "created": as_utc(now).isoformat(), "resources": resources,
    }


def build_archive(session: Session, now: datetime, lang: str = "el") -> bytes:
    """The zip of every dataset as it is at ``now``; deterministic for the same data and time."""
    buffer = io.BytesIO()
    stamp = as_utc(now).timetuple()[:6]
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for ds in all_datasets():
            data = dataset_csv(session, ds, now).encode("utf-8")
            path = f"data/{ds.name}.csv"
            archive.writestr(zipfile.ZipInfo(path, stamp), data, zipfile.ZIP_DEFLATED)
            resources.append(resource(ds, lang, path=path, data=data))
        package = json.dumps(descriptor(resources, lang, now), ensure_ascii=False, indent=1).encode("utf-8")
        archive.writestr(zipfile.ZipInfo("datapackage.json", stamp), package, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def export_archive(session: Session, *, now: datetime) -> OpenDataArchive:
    """Today's archive (Athens date), replacing one made earlier today; only the last few are kept.

    Two machines exporting at once both build it; the unique date lets one row win
    (the caller's transaction fails on the other, which then finds today's row).
    """
    day = to_athens(now).date()
    content = build_archive(session, now)
    row = session.exec(select(OpenDataArchive).where(OpenDataArchive.export_date == day)).first()
    if row is None:
        row = OpenDataArchive(export_date=day, created_at=now, size=0, sha256="", content=b"")
    row.created_at, row.content = now, content
    row.size, row.sha256 = len(content), hashlib.sha256(content).hexdigest()
    session.add(row)
    session.flush()
    kept = select(OpenDataArchive.id).order_by(OpenDataArchive.export_date.desc()).limit(KEEP_ARCHIVES)
    session.execute(delete(OpenDataArchive).where(OpenDataArchive.id.not_in(kept.scalar_subquery())))
    return row


def archives(session: Session) -> list[tuple[int, object, datetime, int, str]]:
    """(id, date, created_at, size, sha256) of the kept archives, newest first — without their bytes."""
    cols = (OpenDataArchive.id, OpenDataArchive.export_date, OpenDataArchive.created_at, OpenDataArchive.size,
            OpenDataArchive.sha256)
    return [tuple(r) for r in session.exec(select(*cols).order_by(OpenDataArchive.export_date.desc())).all()]


def archive_content(session: Session, day) -> bytes | None:
    return session.exec(select(OpenDataArchive.content).where(OpenDataArchive.export_date == day)).first()

"""Bulk open data over HTTP.

    GET /api/v1/datasets                        the list: each dataset's title, files, schema; the archives
    GET /api/v1/datasets/datapackage.json       the Data Package descriptor of the live files
    GET /api/v1/datasets/{name}.csv             one dataset as it is now
    GET /api/v1/datasets/{name}.schema.json     its Table Schema
    GET /api/v1/datasets/archive.zip            the newest nightly archive (redirect-free: the bytes)
    GET /api/v1/datasets/archives/{date}.zip    an earlier one (the last seven days are kept)
"""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syros_app.api.csv_files import MEDIA_TYPE
from syros_app.core.datasets import table_schema
from syros_app.core.db import session_scope
from syros_app.core.i18n import normalise_language, translate
from syros_app.core.timefmt import as_utc, utcnow

from . import archive
from .catalogue import all_datasets, dataset

BASE = "/api/v1/datasets"
ZIP = "application/zip"


def _lang(request: Request) -> str:
    return normalise_language(request.query_params.get("lang") or request.cookies.get("syros_lang"))


def _not_found(lang: str) -> JSONResponse:
    return JSONResponse({"error": "opendata.not_found", "message": translate("opendata.not_found", lang)},
                        status_code=404)


def _archive_entry(row) -> dict:
    _id, day, created_at, size, sha256 = row
    return {"date": day.isoformat(), "created_at": as_utc(created_at).isoformat(), "bytes": size,
            "sha256": sha256, "url": f"{BASE}/archives/{day.isoformat()}.zip"}


async def list_datasets(request: Request) -> Response:
    lang = _lang(request)
    with session_scope() as session:
        kept = archive.archives(session)
    entries = [{
        "name": ds.name, "title": translate(ds.title_key, lang), "description": translate(ds.description_key, lang),
        "csv_url": f"{BASE}/{ds.name}.csv", "schema_url": f"{BASE}/{ds.name}.schema.json",
        "columns": ds.columns,
    } for ds in all_datasets()]
    return JSONResponse({
        "licence": archive.LICENCE, "datapackage_url": f"{BASE}/datapackage.json",
        "datasets": entries,
        "archive": {**_archive_entry(kept[0]), "url": f"{BASE}/archive.zip"} if kept else None,
        "archives": [_archive_entry(r) for r in kept],
    })


async def live_descriptor(request: Request) -> Response:
    lang = _lang(request)
    resources = [archive.resource(ds, lang, path=f"{ds.name}.csv") for ds in all_datasets()]
    data = archive.descriptor(resources, lang, utcnow())
    data.pop("created")  # the live files change with the data, not with the clock (a stable ETag)
    return JSONResponse(data)


async def dataset_csv(request: Request) -> Response:
    ds = dataset(request.path_params["name"])
    if ds is None:
        return _not_found(_lang(request))
    with session_scope() as session:
        text = archive.dataset_csv(session, ds, utcnow())
    return Response(text, media_type=MEDIA_TYPE, headers={"Content-Disposition": f'attachment; filename="{ds.name}.csv"'})


async def dataset_schema(request: Request) -> Response:
    ds = dataset(request.path_params["name"])
    if ds is None:
        return _not_found(_lang(request))
    return JSONResponse(table_schema(ds.row_model), media_type="application/schema+json")


def _zip(content: bytes | None, day, lang: str) -> Response:
    if content is None:
        return _not_found(lang)
    return Response(content, media_type=ZIP,
                    headers={"Content-Disposition": f'attachment; filename="syros-agora-open-data-{day}.zip"'})


async def latest_archive(request: Request) -> Response:
    with session_scope() as session:
        kept = archive.archives(session)
        day = kept[0][1] if kept else None
        content = archive.archive_content(session, day) if day else None
    return _zip(content, day, _lang(request))


async def archive_of_day(request: Request) -> Response:
    try:
        day = date.fromisoformat(request.path_params["day"])
    except ValueError:
        return _not_found(_lang(request))
    with session_scope() as session:
        content = archive.archive_content(session, day)
    return _zip(content, day, _lang(request))


routes = [
    Route(BASE, list_datasets, methods=["GET"]),
    Route(f"{BASE}/datapackage.json", live_descriptor, methods=["GET"]),
    Route(f"{BASE}/archive.zip", latest_archive, methods=["GET"]),
    Route(BASE + "/archives/{day}.zip", archive_of_day, methods=["GET"]),
    Route(BASE + "/{name}.schema.json", dataset_schema, methods=["GET"]),
    Route(BASE + "/{name}.csv", dataset_csv, methods=["GET"]),
]

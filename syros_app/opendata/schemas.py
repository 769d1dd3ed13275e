"""Public routes of bulk open data, for the OpenAPI document."""

from __future__ import annotations

from syros_app.api.operation import CSV, ZIP, Answer, Operation, Param

LANG = Param("lang", enum=("el", "en"), description="Language of titles and descriptions (default Greek)")


class Licence(Answer):
    name: str
    title: str
    path: str


class DatasetEntry(Answer):
    name: str
    title: str
    description: str
    csv_url: str
    schema_url: str
    columns: list[str]


class ArchiveEntry(Answer):
    date: str
    created_at: str
    bytes: int
    sha256: str
    url: str


class DatasetList(Answer):
    licence: Licence
    datapackage_url: str
    datasets: list[DatasetEntry]
    archive: ArchiveEntry | None
    archives: list[ArchiveEntry]


OPERATIONS = [
    Operation("GET", "/api/v1/datasets", "api.op.datasets", "datasets", DatasetList, params=(LANG,)),
    Operation("GET", "/api/v1/datasets/datapackage.json", "api.op.datapackage", "datasets", None, params=(LANG,)),
    Operation("GET", "/api/v1/datasets/archive.zip", "api.op.datasets_archive", "datasets", None, media_type=ZIP,
              errors=(404,)),
    Operation("GET", "/api/v1/datasets/archives/{day}.zip", "api.op.datasets_archive_day", "datasets", None,
              media_type=ZIP, params=(Param("day", "path", description="YYYY-MM-DD, one of the last seven days"),),
              errors=(404,)),
    Operation("GET", "/api/v1/datasets/{name}.schema.json", "api.op.dataset_schema", "datasets", None,
              media_type="application/schema+json", errors=(404,)),
    Operation("GET", "/api/v1/datasets/{name}.csv", "api.op.dataset_csv", "datasets", None, media_type=CSV,
              errors=(404,)),
]

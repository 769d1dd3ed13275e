"""Open datasets: what a capability publishes as a whole, for bulk download.

A capability lists its datasets in a ``datasets`` module (``DATASETS``). Each has a
typed row model (pydantic): the CSV header, the Frictionless Table Schema published
beside the file and the rows themselves all come from that one model, so the file
and its documented schema cannot drift apart.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from .timefmt import as_utc


class Row(BaseModel):
    """Base of a dataset's row model: the fields are the columns, in order."""

    model_config = ConfigDict(frozen=True)


@dataclass(frozen=True)
class Dataset:
    name: str  # the file's stem: lowercase, digits and underscores
    title_key: str  # catalogue keys of its title and of one sentence on what a row is
    description_key: str
    row_model: type[Row]
    rows: Callable[[Session, datetime], Iterable[Row]]  # every public row, stable order

    @property
    def columns(self) -> list[str]:
        return list(self.row_model.model_fields)


_TYPES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean",
                           datetime: "datetime", date: "date"}


def _field_type(annotation: object) -> tuple[str, bool]:
    """(Table Schema type, required) of a field's annotation; ``X | None`` is optional."""
    required = True
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        required = len(args) == len(typing.get_args(annotation))
        annotation = args[0] if len(args) == 1 else str
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "string", required
    if typing.get_origin(annotation) is typing.Literal:
        return "string", required
    return _TYPES.get(annotation, "string"), required  # type: ignore[arg-type]


def table_schema(model: type[Row]) -> dict:
    """The Frictionless Table Schema (specs.frictionlessdata.io/table-schema) of a row model."""
    fields = []
    for name, info in model.model_fields.items():
        kind, required = _field_type(info.annotation)
        field: dict = {"name": name, "type": kind}
        if info.description:
            field["description"] = info.description
        if kind == "datetime":
            field["format"] = "default"  # ISO 8601 with offset, always UTC
        if required:
            field["constraints"] = {"required": True}
        annotation = info.annotation
        if typing.get_origin(annotation) is typing.Literal:
            field.setdefault("constraints", {})["enum"] = list(typing.get_args(annotation))
        fields.append(field)
    schema: dict = {"fields": fields}
    if "id" in model.model_fields:
        schema["primaryKey"] = "id"
    return schema


def cell(value: object) -> object:
    """A CSV cell: datetimes in UTC ISO 8601, booleans as true/false, None as empty."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return value.value
    return value


def row_cells(row: Row) -> list[object]:
    return [cell(getattr(row, name)) for name in type(row).model_fields]


def dataset_from_answers(name: str, answer_model: type, fields: tuple[str, ...] | list[str],
                         rows_of: Callable[[Session, datetime], Iterable[dict]]) -> Dataset:
    """A dataset whose rows are some fields of an open-data answer already described for the
    OpenAPI document (its ``schemas`` model): the same field types and descriptions, so the
    bulk file, the CSV route and the JSON route say the same thing."""
    from pydantic import Field, create_model

    source = answer_model.model_fields
    model = create_model(f"{answer_model.__name__}Row", __base__=Row,
                         **{f: (source[f].annotation, Field(description=source[f].description)) for f in fields})

    def rows(session: Session, now: datetime) -> Iterable[Row]:
        return (model(**{f: row[f] for f in fields}) for row in rows_of(session, now))

    return Dataset(name, f"opendata.ds.{name}", f"opendata.ds.{name}_text", model, rows)

"""Every CSV the platform publishes has one shape (RFC 4180): UTF-8 with a byte-order
mark (so a spreadsheet opens Greek text intact), CRLF line endings, a header row, and
cells that a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from starlette.responses import Response

MEDIA_TYPE = "text/csv; charset=utf-8"


def safe_cell(value: object) -> object:
    """Spreadsheets run cells starting with = + - @ (or a tab/CR) as formulas: neutralise them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def csv_response(header: Sequence[str], rows: Iterable[Sequence[object]], filename: str) -> Response:
    return Response(csv_text(header, rows), media_type=MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})

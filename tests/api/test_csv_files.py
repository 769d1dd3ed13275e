"""Every published CSV has one shape: UTF-8 with a BOM, CRLF, a header, Greek intact,
formula-like cells neutralised — read back with Python's csv module."""

from __future__ import annotations

import csv
import io

from sqlmodel import select
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.api.csv_files import csv_text, safe_cell
from syros_app.core.db import session_scope


def test_the_shape():
    text = csv_text(["όνομα", "σχόλιο"], [["Ελένη", "=HYPERLINK(\"x\")"], ["Νίκος", "γραμμή 1\nγραμμή 2"]])
    assert text.startswith("\ufeffόνομα,σχόλιο\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows == [["όνομα", "σχόλιο"], ["Ελένη", "'=HYPERLINK(\"x\")"], ["Νίκος", "γραμμή 1\nγραμμή 2"]]
    assert safe_cell(None) == "" and safe_cell(-3) == -3 and safe_cell("-3") == "'-3"


def test_every_csv_route_of_the_demo_app(engine):
    from syros_app.consultations.models import Consultation
    from syros_app.demo.seed import load_demo_data

    load_demo_data()
    with session_scope() as session:
        ids = session.exec(select(Consultation.id)).all()
    client = TestClient(create_api())
    urls = [f"/api/v1/consultations/{i}/comments.csv" for i in ids] + ["/api/v1/service-levels?format=csv"]
    greek_seen = False
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv; charset=utf-8", url
        body = answer.content
        assert body.startswith("\ufeff".encode()), f"{url}: no BOM"
        text = body.decode("utf-8-sig")
        records = text.split("\r\n")
        assert records[-1] == "" and all("\n" not in r or r.count('"') for r in records), f"{url}: not CRLF"
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len({len(r) for r in rows}) == 1 and rows[0], f"{url}: ragged rows or no header"
        greek_seen = greek_seen or any("α" in cell for row in rows[1:] for cell in row)
    assert greek_seen, "the demo CSVs should carry Greek text"

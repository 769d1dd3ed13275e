"""Bulk open data over HTTP, on the demo data: every dataset's CSV matches its
published Table Schema, the nightly archive is listed and downloadable, nothing
personal is in it, and every answer revalidates to 304."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import date, datetime

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core.db import session_scope


@pytest.fixture
def client(engine):
    from syros_app.demo.seed import load_demo_data

    load_demo_data()
    return TestClient(create_api())


def _check_value(field: dict, value: str) -> None:
    required = field.get("constraints", {}).get("required", False)
    if value == "":
        assert not required or field["type"] == "string", f"{field['name']} is required"
        return
    kind = field["type"]
    if kind == "integer":
        int(value)
    elif kind == "number":
        float(value)
    elif kind == "boolean":
        assert value in ("true", "false"), value
    elif kind == "datetime":
        assert datetime.fromisoformat(value).utcoffset().total_seconds() == 0, value
    elif kind == "date":
        date.fromisoformat(value)
    if "enum" in field.get("constraints", {}):
        assert value in field["constraints"]["enum"]


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff") and "\r\n" in text
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_every_dataset_matches_its_schema(client):
    listing = client.get("/api/v1/datasets").json()
    assert listing["licence"]["name"] == "CC-BY-4.0"
    counts = {}
    for ds in listing["datasets"]:
        schema = client.get(ds["schema_url"]).json()
        response = client.get(ds["csv_url"])
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        rows = _rows(response.text)
        assert rows[0] == [f["name"] for f in schema["fields"]] == ds["columns"], ds["name"]
        for row in rows[1:]:
            assert len(row) == len(schema["fields"])
            for field, value in zip(schema["fields"], row, strict=True):
                _check_value(field, value)
        counts[ds["name"]] = len(rows) - 1
    for name in ("consultations", "consultation_comments", "votes", "notices", "service_requests", "service_levels",
                 "proposals", "events", "surveys", "projects", "project_milestones", "decisions",
                 "application_services"):
        assert counts[name] > 0, f"the demo data gives no rows for {name}"
    assert "Ερμούπολη" in client.get("/api/v1/datasets/service_requests.csv").text


def test_the_demo_archive_is_listed_and_holds_every_dataset_intact(client):
    listing = client.get("/api/v1/datasets").json()
    assert listing["archive"] and listing["archives"][0]["date"] == listing["archive"]["date"]
    response = client.get(listing["archive"]["url"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert hashlib.sha256(response.content).hexdigest() == listing["archive"]["sha256"]
    assert client.get(listing["archives"][0]["url"]).content == response.content
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        assert {r["name"] for r in package["resources"]} == {d["name"] for d in listing["datasets"]}
        text = "".join(archive.read(r["path"]).decode("utf-8-sig") for r in package["resources"])
    _nothing_personal_in(text)


def _nothing_personal_in(text: str) -> None:
    from syros_app.identity.models import Person
    from syros_app.notices.models import Subscription

    with session_scope() as session:
        hashes = [h for h in session.exec(select(Person.taxid_hmac)).all() if h]
        addresses = list(session.exec(select(Subscription.address)).all())
    assert hashes, "the demo has residents"
    leaked = [v for v in hashes + addresses if v and v in text]
    assert not leaked, leaked


def test_unknown_datasets_and_archives_are_real_404s(client):
    for url in ("/api/v1/datasets/nothing.csv", "/api/v1/datasets/nothing.schema.json",
                "/api/v1/datasets/archives/2001-01-01.zip", "/api/v1/datasets/archives/yesterday.zip"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["error"] == "opendata.not_found", url


def test_every_datasets_answer_revalidates_to_304(client):
    listing = client.get("/api/v1/datasets").json()
    urls = ["/api/v1/datasets", "/api/v1/datasets/datapackage.json", "/api/v1/datasets/archive.zip"]
    urls += [u for ds in listing["datasets"] for u in (ds["csv_url"], ds["schema_url"])]
    for url in urls:
        first = client.get(url)
        etag = first.headers["etag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304, url

"""Open311 GeoReport v2 endpoints in JSON and XML, the figures API and photo serving."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core.db import session_scope
from syros_app.reports import actions
from syros_app.reports.photos import process_photo, stash_photo
from tests.support import personas

FORMATS = ["json", "xml"]


@pytest.fixture
def client(engine):
    return TestClient(create_api())


@pytest.fixture
def data(engine):
    """Three reports: an open lighting one with a photo, a resolved water one, an old cleanliness one."""
    from PIL import Image

    now = datetime.now(timezone.utc)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 90, 200)).save(buf, format="JPEG")
    with session_scope() as s:
        eleni = personas.resident(s, "eleni")
        staff = personas.moderator(s)
        lamp = actions.create_report(s, actor=eleni, category="lighting", description="Σβηστή λάμπα στην οδό Ερμού",
                                     lat=37.4448, lon=24.9427, photos=[stash_photo(process_photo(buf.getvalue()))],
                                     now=now - timedelta(days=2))
        leak = actions.create_report(s, actor=eleni, category="water", description="Διαρροή νερού στο λιμάνι",
                                     address="Λιμάνι Ερμούπολης", municipal_unit="Ερμούπολη", now=now - timedelta(days=5))
        actions.change_status(s, actor=staff, report_id=leak.id, status="resolved", note="Επισκευάστηκε η σωλήνα",
                              now=now - timedelta(days=1))
        old = actions.create_report(s, actor=eleni, category="cleanliness", description="Γεμάτοι κάδοι στη Βάρη",
                                    lat=37.3990, lon=24.9290, now=now - timedelta(days=200))
        _, key = actions.issue_api_key(s, actor=personas.administrator(s, "key-admin"), name="Συνεργάτης")
        ids = {"lamp": lamp.id, "leak": leak.id, "old": old.id, "key": key}
    return ids


def parse(response, fmt):
    if fmt == "json":
        assert response.headers["content-type"].startswith("application/json")
        return response.json()
    assert response.headers["content-type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def xml_items(root, item):
    return [{child.tag: child.text for child in element} for element in root.findall(item)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_and_definition(client, fmt):
    body = parse(client.get(f"/open311/v2/services.{fmt}"), fmt)
    if fmt == "json":
        codes = [s["service_code"] for s in body]
        assert body[0] == {"service_code": "lighting", "service_name": "Ηλεκτροφωτισμός",
                           "description": body[0]["description"], "metadata": False, "type": "realtime",
                           "keywords": "φως, λάμπα, κολόνα", "group": "Δήμος Σύρου-Ερμούπολης"}
    else:
        assert body.tag == "services"
        items = xml_items(body, "service")
        codes = [s["service_code"] for s in items]
        assert items[0]["metadata"] == "false" and items[0]["type"] == "realtime"
    assert codes == ["lighting", "roads", "cleanliness", "water", "greenery", "animals", "other"]
    assert client.get(f"/open311/v2/services.{fmt}?locale=en").status_code == 200

    definition = parse(client.get(f"/open311/v2/services/water.{fmt}"), fmt)
    if fmt == "json":
        assert definition == {"service_code": "water", "attributes": []}
    else:
        assert definition.tag == "service_definition" and definition.findtext("service_code") == "water"
    missing = client.get(f"/open311/v2/services/ufo.{fmt}")
    assert missing.status_code == 404
    errors = parse(missing, fmt)
    if fmt == "json":
        assert errors == [{"code": 404, "description": "service_code ufo not found"}]
    else:
        assert errors.tag == "errors" and xml_items(errors, "error") == [{"code": "404", "description": "service_code ufo not found"}]


def _requests(client, fmt, query=""):
    response = client.get(f"/open311/v2/requests.{fmt}{query}")
    assert response.status_code == 200, response.text
    body = parse(response, fmt)
    if fmt == "xml":
        assert body.tag == "service_requests"
        return xml_items(body, "request")
    return body


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_list_and_filters(client, data, fmt):
    default = _requests(client, fmt)
    # the last 90 days by default, newest first: the old one is left out
    assert [r["service_request_id"] for r in default] == [str(data["lamp"]), str(data["leak"])]
    lamp = default[0]
    assert lamp["status"] == "open" and lamp["service_code"] == "lighting"
    assert lamp["requested_datetime"].endswith(("+02:00", "+03:00"))
    assert lamp["media_url"].startswith("http") and "/api/v1/reports/photos/" in lamp["media_url"]
    leak = default[1]
    assert leak["status"] == "closed" and leak["status_notes"] == "Επισκευάστηκε η σωλήνα"
    assert leak["address"] == "Λιμάνι Ερμούπολης"
    if fmt == "json":
        assert set(lamp) >= {"service_request_id", "status", "status_notes", "service_name", "service_code",
                             "description", "agency_responsible", "service_notice", "requested_datetime",
                             "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
                             "long", "media_url"}
        assert lamp["lat"] == 37.4448 and lamp["long"] == 24.9427
    else:
        assert lamp["lat"] == "37.4448" and lamp["long"] == "24.9427"

    assert [r["service_code"] for r in _requests(client, fmt, "?service_code=water")] == ["water"]
    assert [r["service_code"] for r in _requests(client, fmt, "?status=open")] == ["lighting"]
    assert [r["service_code"] for r in _requests(client, fmt, "?status=closed")] == ["water"]
    assert len(_requests(client, fmt, "?status=open,closed")) == 2
    # ids override every other filter (even the default date window)
    both = _requests(client, fmt, f"?service_request_id={data['old']},{data['lamp']}&service_code=water")
    assert sorted(r["service_request_id"] for r in both) == sorted([str(data["old"]), str(data["lamp"])])
    start = (datetime.now(timezone.utc) - timedelta(days=210)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (datetime.now(timezone.utc) - timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [r["service_code"] for r in _requests(client, fmt, f"?start_date={start}&end_date={end}")] == ["cleanliness"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query, fragment", [
    ("?status=pending", "status"), ("?service_code=ufo", "service_code"), ("?start_date=yesterday", "start_date"),
    ("?service_request_id=abc", "service_request_id"),
    ("?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90 days"),
])
def test_request_filter_errors(client, fmt, query, fragment):
    response = client.get(f"/open311/v2/requests.{fmt}{query}")
    assert response.status_code == 400
    body = parse(response, fmt)
    errors = body if fmt == "json" else xml_items(body, "error")
    assert str(errors[0]["code"]) == "400" and fragment in errors[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_single_request_and_unknown(client, data, fmt):
    one = client.get(f"/open311/v2/requests/{data['leak']}.{fmt}")
    assert one.status_code == 200
    body = parse(one, fmt)
    items = body if fmt == "json" else xml_items(body, "request")
    assert len(items) == 1 and items[0]["service_request_id"] == str(data["leak"])
    assert client.get(f"/open311/v2/requests/999999.{fmt}").status_code == 404
    assert client.get("/open311/v2/requests.csv").status_code == 400


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_needs_a_valid_key_and_returns_a_token(client, data, fmt):
    form = {"service_code": "roads", "lat": "37.4460", "long": "24.9400",
            "description": "Λακκούβα στην ανηφόρα προς Άνω Σύρο"}
    for key in (None, "wrong-key"):
        response = client.post(f"/open311/v2/requests.{fmt}", data={**form, **({"api_key": key} if key else {})})
        assert response.status_code == 403
        body = parse(response, fmt)
        errors = body if fmt == "json" else xml_items(body, "error")
        assert str(errors[0]["code"]) == "403"
    with session_scope() as s:
        from syros_app.reports.models import Report

        before = s.query(Report).count()
    assert before == 3  # nothing was created without a key

    bad = client.post(f"/open311/v2/requests.{fmt}", data={**form, "api_key": data["key"], "service_code": "ufo"})
    assert bad.status_code == 404
    no_place = client.post(f"/open311/v2/requests.{fmt}", data={"api_key": data["key"], "service_code": "roads",
                                                               "description": "Λακκούβα χωρίς θέση"})
    assert no_place.status_code == 400
    short = client.post(f"/open311/v2/requests.{fmt}", data={**form, "api_key": data["key"], "description": "x"})
    assert short.status_code == 400

    created = client.post(f"/open311/v2/requests.{fmt}", data={**form, "api_key": data["key"]})
    assert created.status_code == 200, created.text
    body = parse(created, fmt)
    item = body[0] if fmt == "json" else xml_items(body, "request")[0]
    request_id, token = item["service_request_id"], item["token"]
    assert request_id.isdigit() and token

    by_token = parse(client.get(f"/open311/v2/tokens/{token}.{fmt}"), fmt)
    pair = by_token[0] if fmt == "json" else xml_items(by_token, "request")[0]
    assert pair == {"service_request_id": request_id, "token": token}
    assert client.get(f"/open311/v2/tokens/nope.{fmt}").status_code == 404
    fetched = _requests(client, fmt, f"?service_request_id={request_id}")
    assert fetched[0]["service_code"] == "roads" and fetched[0]["status"] == "open"


def test_revoked_key_is_refused(client, data):
    with session_scope() as s:
        from syros_app.reports.models import Open311Key

        key_row = s.query(Open311Key).one()
        admin = personas.administrator(s)
        actions.revoke_api_key(s, actor=admin, key_id=key_row.id)
    response = client.post("/open311/v2/requests.json", data={"api_key": data["key"], "service_code": "roads",
                                                              "address_string": "Ερμού 1",
                                                              "description": "Λακκούβα στην Ερμού"})
    assert response.status_code == 403


def test_discovery(client):
    body = client.get("/open311/discovery.json").json()
    assert body["endpoints"][0]["url"].endswith("/open311/v2")
    root = parse(client.get("/open311/discovery.xml"), "xml")
    assert root.tag == "discovery" and root.findtext("endpoints/endpoint/url").endswith("/open311/v2")
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]


def test_service_levels_json_and_csv(client, data):
    body = client.get("/api/v1/service-levels").json()
    assert body["targets"]["lighting"] == {"acknowledge_days": 2, "resolve_days": 10}
    assert {r["category"] for r in body["rows"]} == {"lighting", "water", "cleanliness"}
    assert sum(r["received"] for r in body["rows"]) == 3
    # the 200-day-old report is outside the last 3 months
    recent = client.get("/api/v1/service-levels?months=3").json()
    assert sum(r["received"] for r in recent["rows"]) == 2
    by_cat = client.get("/api/v1/service-levels?by=category&months=12").json()["rows"]
    water = next(r for r in by_cat if r["category"] == "water")
    assert water["municipal_unit"] == "*" and water["resolved"] == 1 and water["share_resolved_within_target"] == 1.0
    csv_response = client.get("/api/v1/service-levels?format=csv&by=category")
    assert csv_response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert {r["category"] for r in table} == {r["category"] for r in by_cat}
    assert next(r for r in table if r["category"] == "water")["resolved"] == "1"


def test_photo_route(client, data):
    lamp = client.get(f"/open311/v2/requests/{data['lamp']}.json").json()[0]
    path = "/api/v1/reports/photos/" + lamp["media_url"].rsplit("/", 1)[1]
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert response.content[:3] == b"\xff\xd8\xff"
    assert client.get("/api/v1/reports/photos/..%2Fsecret_key").status_code == 404
    assert client.get("/api/v1/reports/photos/nothing.jpg").status_code == 404

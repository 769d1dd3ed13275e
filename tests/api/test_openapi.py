"""The OpenAPI 3.1 description: a valid document, every public route described (and
nothing else), and every public answer of the demo app valid against its schema — and,
for every open-data answer, a strong ETag that revalidates to 304 and the one CSV shape."""

from __future__ import annotations

import itertools
import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sqlmodel import select
from starlette.routing import Route
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.api.conditional import applies
from syros_app.api.openapi import JSON, document, operations
from syros_app.core.db import session_scope

# Routes that are not public open data: the login flow, a person's own data, staff uploads.
NOT_PUBLIC = {
    ("GET", "/auth/login"), ("GET", "/auth/callback"), ("GET", "/auth/logout"), ("GET", "/api/v1/me/export"),
    ("GET", "/api/v1/applications/{reference}/receipt.pdf"), ("GET", "/api/v1/applications/{reference}/answer.pdf"),
    ("GET", "/api/v1/applications/files/{file_id}"),
    ("POST", "/api/v1/consultations/{consultation_id}/attachments"),
    ("POST", "/api/v1/staff/votes/{vote_id}/document"),
}
# Operations the demo data cannot answer with 200 here, and why.
NO_SUCCESS_IN_DEMO = {
    "/metrics": "served to loopback clients only; the test client is not one",
    "/api/v1/reports/photos/{name}": "the demo reports carry no photos",
    "/api/v1/consultations/attachments/{attachment_id}": "the demo consultations carry no attachments",
    "/api/v1/votes/{vote_id}/document.pdf": "the demo votes carry no document",
    "/api/v1/votes/{vote_id}/ballots.csv": "the demo's published vote is encrypted (it publishes a record instead)",
    "/open311/v2/tokens/{token}.{fmt}": "the demo reports did not come through Open311",
    "/open311/v2/services/{code}.{fmt}": "answered below with every category",
    "/api/v1/proposals/{proposal_id}/photo": "the demo proposals carry no photo",
    "/api/v1/me/applications": "a person's own: the test client has no session (401, checked against its schema)",
}


def _routed(path: str) -> str:
    return re.sub(r"{(\w+):\w+}", r"{\1}", path)


def test_the_document_is_valid_openapi_3_1_in_both_languages():
    for lang in ("en", "el"):
        spec = document(lang, "https://agora.example")
        validate(spec)
        assert spec["openapi"] == "3.1.0" and spec["info"]["version"].startswith("1.")


def test_every_public_route_is_described_and_nothing_else():
    routed = {(method, _routed(r.path)) for r in create_api().routes if isinstance(r, Route)
              for method in r.methods if method != "HEAD"}
    described = {(op.method, op.path) for op in operations()}
    routed = {(m, p) for m, p in routed if not p.startswith("/govgr-stand-in/")}  # the dev stand-in for gov.gr
    assert routed - NOT_PUBLIC - described == set(), "public routes missing from the OpenAPI description"
    assert described - routed == set(), "described operations that no route serves"


@pytest.fixture
def demo(engine):
    from syros_app.demo.seed import load_demo_data

    load_demo_data()
    return TestClient(create_api())


class _ByListing(dict):
    """Values of ``{thing_id}``: the ids the list route ``/api/v1/things`` publishes under ``things``."""

    def __init__(self, client: TestClient, known: dict[str, list[str]]) -> None:
        super().__init__(known)
        self.client = client

    def __missing__(self, name: str) -> list[str]:
        assert name.endswith("_id"), f"no example values for {{{name}}}: add them to _values"
        plural = name.removesuffix("_id") + "s"
        items = self.client.get(f"/api/v1/{plural}").json()[plural]
        self[name] = [str(item["id"]) for item in items] or ["999999"]
        return self[name]


def _values(client: TestClient) -> dict[str, list[str]]:
    from syros_app.notices.rules import CATEGORIES
    from syros_app.reports.models import Report
    from syros_app.reports.rules import CATEGORIES as SERVICES

    consultations = [str(c["id"]) for c in client.get("/api/v1/consultations").json()["consultations"]]
    attachments = [str(a["id"]) for cid in consultations
                   for a in client.get(f"/api/v1/consultations/{cid}").json()["attachments"]]
    listing = client.get("/api/v1/datasets").json()
    with session_scope() as session:
        tokens = [t for t in session.exec(select(Report.open311_token)).all() if t]
    return _ByListing(client, {
        "consultation_id": consultations, "attachment_id": attachments or ["999999"],
        "vote_id": [str(v["id"]) for v in client.get("/api/v1/votes").json()["votes"]],
        "fmt": ["json", "xml"], "code": list(SERVICES) + ["no-such-service"],
        "request_id": [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()[:5]] + ["0"],
        "token": tokens or ["no-such-token"], "category": list(CATEGORIES), "name": [d["name"] for d in listing["datasets"]],
        "day": [a["date"] for a in listing["archives"]],
    })


def _urls(path: str, values: dict[str, list[str]]) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    if path == "/api/v1/reports/photos/{name}":
        return ["/api/v1/reports/photos/none.jpg"]
    combos = itertools.product(*(values[n] for n in names))
    urls = []
    for combo in combos:
        url = path
        for name, value in zip(names, combo, strict=True):
            url = url.replace("{" + name + "}", value)
        urls.append(url)
    return urls


def test_every_public_answer_of_the_demo_is_valid_against_its_schema(demo):
    spec = document("en", "https://agora.example")
    components = spec["components"]

    def validator(model_name: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"#/components/schemas/{model_name}", "components": components})

    values = _values(demo)
    checked = 0
    for op in operations():
        if op.method != "GET":
            continue
        successes = 0
        for url in _urls(op.path, values):
            response = demo.get(url)
            media = response.headers.get("content-type", "")
            if response.status_code in op.errors:
                if media.startswith(JSON):
                    errors = list(validator(op.error_model.__name__).iter_errors(response.json()))
                    assert not errors, f"{url}: {errors[0].message}"
                continue
            assert response.status_code == 200 or response.status_code in op.extra_statuses, \
                f"{url}: undocumented status {response.status_code}"
            successes += 1
            if response.status_code == 200 and applies("GET", url.split("?")[0]):  # every open-data answer
                etag = response.headers.get("etag", "")
                assert etag.startswith('"') and response.headers.get("cache-control"), f"{url}: no ETag"
                assert demo.get(url, headers={"If-None-Match": etag}).status_code == 304, f"{url}: no 304"
            if media.startswith("text/csv"):
                assert response.text.startswith("\ufeff") and "\r\n" in response.text, f"{url}: not the one CSV shape"
            if url.endswith(".xml"):
                assert media.startswith("text/xml"), url
            elif op.response is not None:
                errors = list(validator(op.response.__name__).iter_errors(response.json()))
                assert not errors, f"{url}: {errors[0].message} at {list(errors[0].absolute_path)}"
            elif op.media_type != "application/octet-stream":
                assert media.startswith(op.media_type), f"{url}: {media} is not {op.media_type}"
            checked += 1
        assert successes or op.path in NO_SUCCESS_IN_DEMO, f"{op.path}: no successful answer to check"
    assert checked > 60


def test_push_subscription_answers_follow_their_schemas(demo):
    spec = document("en", "https://agora.example")
    components = spec["components"]
    ops = {(op.method, op.path): op for op in operations()}
    endpoint = "https://push.example.net/send/abc"
    body = {"subscription": {"endpoint": endpoint, "keys": {"p256dh": "BNc" + "A" * 84, "auth": "B" * 22}},
            "categories": ["water"], "areas": [], "lang": "el"}
    exchanges = [("POST", "/api/v1/push/subscriptions", body), ("POST", "/api/v1/push/subscription-status",
                                                                  {"endpoint": endpoint}),
                 ("DELETE", "/api/v1/push/subscriptions", {"endpoint": endpoint})]
    for method, path, payload in exchanges:
        op = ops[(method, path)]
        Draft202012Validator({"$ref": f"#/components/schemas/{op.request.__name__}", "components": components}) \
            .validate(payload)
        response = demo.request(method, path, json=payload)
        assert response.status_code in (200, 201), (path, response.text)
        Draft202012Validator({"$ref": f"#/components/schemas/{op.response.__name__}", "components": components}) \
            .validate(response.json())


def test_the_description_is_served(demo):
    response = demo.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["openapi"] == "3.1.0"
    assert "etag" in response.headers
    greek = demo.get("/api/v1/openapi.json?lang=el").json()
    assert greek["paths"]["/api/v1/votes"]["get"]["summary"] == "Οι ψηφοφορίες"

"""Every open-data answer of the demo app has a strong ETag and a Cache-Control, and
asking again with If-None-Match gives 304 with no body (RFC 9110, RFC 9111)."""

from __future__ import annotations

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.api.conditional import none_match, strong_etag
from syros_app.core.db import session_scope


@pytest.fixture
def demo_client(engine):
    from syros_app.consultations.models import Consultation
    from syros_app.demo.seed import load_demo_data
    from syros_app.voting.models import Vote

    load_demo_data()
    with session_scope() as session:
        consultations = session.exec(select(Consultation.id, Consultation.status)).all()
        votes = session.exec(select(Vote.id, Vote.status)).all()
    return TestClient(create_api()), consultations, votes


def _open_data_urls(consultations, votes) -> list[str]:
    urls = ["/api/v1/", "/api/v1/consultations", "/api/v1/votes", "/api/v1/service-levels",
            "/api/v1/service-levels?format=csv", "/api/v1/notices.atom", "/open311/v2/services.json",
            "/open311/v2/requests.json", "/open311/discovery.json"]
    for cid, status in consultations:
        urls += [f"/api/v1/consultations/{cid}", f"/api/v1/consultations/{cid}/comments.json",
                 f"/api/v1/consultations/{cid}/comments.csv"]
        if status == "report_published":
            urls.append(f"/api/v1/consultations/{cid}/report.json")
    return urls


def _vote_urls(client) -> list[str]:
    """What the votes list links to (results, ballots or the election record, by kind)."""
    urls = []
    for vote in client.get("/api/v1/votes").json()["votes"]:
        urls += [value for key, value in vote.items() if key.endswith("_url") and isinstance(value, str)
                 and value.startswith("/api/v1/")]
    return urls


def test_every_open_data_answer_is_validated_and_revalidates_to_304(demo_client):
    client, consultations, votes = demo_client
    urls = _open_data_urls(consultations, votes) + _vote_urls(client)
    assert len(urls) > 15 and any("/votes/" in u for u in urls)
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        etag = first.headers.get("etag", "")
        assert etag.startswith('"') and not etag.startswith("W/"), f"{url}: no strong ETag"
        assert first.headers.get("cache-control"), f"{url}: no Cache-Control"
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"", url
        assert again.headers["etag"] == etag
        changed = client.get(url, headers={"If-None-Match": '"something-else"'})
        assert changed.status_code == 200 and changed.content == first.content, url


def test_anonymous_answers_are_public_logged_in_ones_private(demo_client):
    client, _c, _v = demo_client
    anonymous = client.get("/api/v1/consultations")
    assert anonymous.headers["cache-control"].startswith("public")
    assert "Cookie" in anonymous.headers["vary"]
    client.cookies.set("syros_session", "whatever")
    assert client.get("/api/v1/consultations").headers["cache-control"].startswith("private")


def test_personal_and_failed_answers_get_no_validator(demo_client):
    client, _c, _v = demo_client
    assert "etag" not in client.get("/api/v1/me/export").headers
    missing = client.get("/api/v1/consultations/999999")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_etag_comparison_rules():
    tag = strong_etag(b"data")
    assert tag == strong_etag(b"data") != strong_etag(b"other")
    assert none_match(b'"x", ' + tag, tag) and none_match(b"W/" + tag, tag) and none_match(b"*", tag)
    assert not none_match(b'"x"', tag)

"""HTTP routes of notices: VAPID key, push subscriptions without login, Atom feeds."""

from xml.etree import ElementTree as ET

import feedparser
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core.db import session_scope
from syros_app.notices import actions
from syros_app.notices.models import Subscription
from syros_app.notices.vapid import b64url_decode, vapid_public_key
from tests.support import personas
from tests.unit.notices.fakes import BrowserSubscription

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def client(engine):
    return TestClient(create_api())


def test_vapid_public_key_is_a_p256_point_and_stable(client, tmp_path):
    first = client.get("/api/v1/push/vapid-public-key").json()["publicKey"]
    raw = b64url_decode(first)
    assert len(raw) == 65 and raw[0] == 4
    assert client.get("/api/v1/push/vapid-public-key").json()["publicKey"] == first == vapid_public_key()


def test_vapid_keys_from_the_environment(monkeypatch):
    from py_vapid import Vapid02

    from syros_app.notices import vapid as vapid_module

    key = Vapid02()
    key.generate_keys()
    monkeypatch.setenv("SYROS_VAPID_PRIVATE_KEY", key.private_pem().decode())
    monkeypatch.setenv("SYROS_VAPID_PUBLIC_KEY", vapid_module.public_key_b64(key))
    assert vapid_public_key() == vapid_module.public_key_b64(key)
    other = Vapid02()
    other.generate_keys()
    monkeypatch.setenv("SYROS_VAPID_PUBLIC_KEY", vapid_module.public_key_b64(other))
    with pytest.raises(RuntimeError, match="does not match"):
        vapid_public_key()


def test_push_subscription_is_stored_and_removed_without_login(client):
    sub = BrowserSubscription("https://fcm.googleapis.com/fcm/send/abc123")
    body = {"subscription": {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
            "categories": ["water", "civil_protection", "nonsense"], "areas": ["Άνω Σύρος"]}
    response = client.post("/api/v1/push/subscriptions", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["categories"] == ["water", "civil_protection"]
    status = client.post("/api/v1/push/subscription-status", json={"endpoint": sub.endpoint}).json()
    assert status == {"subscribed": True, "categories": ["water", "civil_protection"], "areas": ["Άνω Σύρος"]}
    with session_scope() as session:
        row = session.exec(select(Subscription)).one()
        assert row.person_id is None and row.channel == "push"
    assert client.request("DELETE", "/api/v1/push/subscriptions", json={"endpoint": sub.endpoint}).json() == {"removed": True}
    with session_scope() as session:
        assert session.exec(select(Subscription)).all() == []


def test_logged_in_push_subscription_is_linked_to_the_person(client):
    with session_scope() as session:
        person = personas.make_person(session, "eleni")
        cookie = personas.login_cookie(session, person)
    sub = BrowserSubscription("https://updates.push.services.mozilla.com/wpush/v2/xyz")
    response = client.post("/api/v1/push/subscriptions", headers={"cookie": cookie},
                           json={"subscription": {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
                                 "categories": ["water"]})
    assert response.status_code == 201
    with session_scope() as session:
        assert session.exec(select(Subscription)).one().person_id == person.id


@pytest.mark.parametrize("body", [{}, {"subscription": {"endpoint": "https://x.example/1"}}, [1, 2],
                                  {"subscription": {"endpoint": "javascript:1", "keys": {"p256dh": "a", "auth": "b"}},
                                   "categories": ["water"]}])
def test_bad_push_subscriptions_get_a_clear_400(client, body):
    response = client.post("/api/v1/push/subscriptions", json=body, cookies={"syros_lang": "el"})
    assert response.status_code == 400
    assert response.json()["message"] in ("Η συσκευή έστειλε μη έγκυρα στοιχεία ειδοποιήσεων.",
                                          "Επιλέξτε τουλάχιστον ένα θέμα.")


def _publish_samples():
    with session_scope() as session:
        staff = personas.administrator(session, "moderator")
        actions.publish_notice(session, actor=staff, title="Διακοπή νερού <Άνω Σύρος> & Μάνες", body="Πέμπτη 09:00–14:00",
                               category="water", area="Άνω Σύρος")
        actions.publish_notice(session, actor=staff, title="Θυελλώδεις άνεμοι", body="9 μποφόρ",
                               category="civil_protection", urgent=True)


def _check_rfc4287(feed: ET.Element):
    """The elements RFC 4287 requires (4.1.1, 4.1.2), once each where required."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.findall(f"{ATOM}author"), "a feed without author needs one per entry"
    assert [link.get("rel") for link in feed.findall(f"{ATOM}link")].count("self") == 1
    ids = set()
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.findall(f"{ATOM}link[@rel='alternate']") or entry.findall(f"{ATOM}content")
        assert entry.find(f"{ATOM}id").text not in ids
        ids.add(entry.find(f"{ATOM}id").text)
        assert entry.find(f"{ATOM}updated").text.endswith("Z")


def test_atom_feed_is_valid_atom(client):
    _publish_samples()
    response = client.get("/api/v1/notices.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    _check_rfc4287(feed)
    assert len(feed.findall(f"{ATOM}entry")) == 2
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    titles = [e.title for e in parsed.entries]
    assert "[ΕΠΕΙΓΟΝ] Θυελλώδεις άνεμοι" in titles and "Διακοπή νερού <Άνω Σύρος> & Μάνες" in titles


def test_per_category_feed(client):
    _publish_samples()
    response = client.get("/api/v1/notices/water.atom")
    _check_rfc4287(ET.fromstring(response.content))
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and [e.title for e in parsed.entries] == ["Διακοπή νερού <Άνω Σύρος> & Μάνες"]
    assert parsed.entries[0].tags[0].term == "water"
    assert client.get("/api/v1/notices/weather.atom").status_code == 404


def test_one_click_unsubscribe(client):
    with session_scope() as session:
        sub = actions.subscribe_email(session, actor=None, email="eleni@example.gr", categories=["water"])
        token = actions.unsubscribe_token(sub.id)
    assert client.post(f"/api/v1/notices/unsubscribe?token={token}").json() == {"removed": True}
    assert client.post("/api/v1/notices/unsubscribe?token=forged.x").status_code == 400


def test_an_empty_feed_is_byte_for_byte_stable(engine):
    """Its <updated> is a fixed instant, so its ETag does not change every second."""
    import time

    from starlette.testclient import TestClient

    from syros_app.api.app import create_api

    client = TestClient(create_api())
    first = client.get("/api/v1/notices/water.atom")
    time.sleep(1.1)
    second = client.get("/api/v1/notices/water.atom")
    assert first.status_code == 200 and first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert b"<entry>" not in first.content

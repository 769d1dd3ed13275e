"""The gov.gr login round trip over HTTP, against the stand-in inside the same app."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core import settings as settings_module
from syros_app.identity import govgr, stand_in
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import LoginSession, Person
from syros_app.identity.sessions import SESSION_COOKIE

BASE = "http://localhost:3000"


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.delenv("SYROS_PUBLIC_URL", raising=False)
    monkeypatch.delenv("SYROS_GOVGR_BASE_URL", raising=False)
    monkeypatch.setenv("SYROS_PORT", "3000")
    settings_module.reset_settings_cache()
    app = create_api()
    monkeypatch.setattr(govgr, "http_transport", httpx.ASGITransport(app=app))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client
    settings_module.reset_settings_cache()


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def start_login(client: TestClient, next_path: str = "/account") -> tuple[str, dict]:
    response = client.get("/auth/login", params={"next": next_path}, follow_redirects=False)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(f"{BASE}/govgr-stand-in/oauth2server/oauth/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert query["response_type"] == "code" and query["scope"] == "read"
    assert query["redirect_uri"] == f"{BASE}/auth/callback"
    assert "code_challenge" not in query  # plain OAuth 2.0 as GSIS speaks it
    return location, query


def pick(client: TestClient, location: str, query: dict, **form) -> httpx.Response:
    page = client.get(_local(location))
    assert page.status_code == 200
    fields = {k: query.get(k, "") for k in ("client_id", "redirect_uri", "response_type", "scope", "state")}
    return client.post("/govgr-stand-in/oauth2server/oauth/authorize", data={**fields, **form}, follow_redirects=False)


def full_login(client: TestClient, persona: str = "eftychia", next_path: str = "/account") -> httpx.Response:
    location, query = start_login(client, next_path)
    to_callback = pick(client, location, query, persona=persona)
    assert to_callback.status_code == 302
    return client.get(_local(to_callback.headers["location"]), follow_redirects=False)


def sessions(engine) -> list[LoginSession]:
    with Session(engine) as session:
        return list(session.exec(select(LoginSession)).all())


def test_a_resident_logs_in_through_the_stand_in(client, engine):
    response = full_login(client, "eftychia", "/account")
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    cookie = [h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "=")][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie  # http public URL
    resident = stand_in.demo_resident("eftychia")
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.taxid_hmac == taxid_hmac(resident.taxid))).one()
        assert person.display_name == "Ευτυχία Β."
        assert person.birth_year == 1950
        assert person.first_login_at is not None and person.last_login_at is not None
    assert len(sessions(engine)) == 1
    me = client.get("/api/v1/me/export")
    assert me.status_code == 200
    assert me.json()["person"]["display_name"] == "Ευτυχία Β."
    assert resident.taxid not in me.text


def test_every_login_makes_a_new_session_and_ends_the_old(client, engine):
    full_login(client)
    first = client.cookies.get(SESSION_COOKIE)
    full_login(client)
    second = client.cookies.get(SESSION_COOKIE)
    assert first and second and first != second
    assert len(sessions(engine)) == 1


def test_a_typed_person_with_a_valid_taxid(client, engine):
    location, query = start_login(client, "/")
    taxid = with_check_digit("12345678")
    redirect = pick(client, location, query, persona="", taxid=taxid, firstname="ΓΙΑΝΝΗΣ",
                    lastname="ΠΑΠΑΔΟΠΟΥΛΟΣ", fathername="ΚΩΣΤΑΣ", birthyear="1979")
    response = client.get(_local(redirect.headers["location"]), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.taxid_hmac == taxid_hmac(taxid))).one()
        assert person.display_name == "Γιάννης Π."


def test_the_stand_in_refuses_a_bad_check_digit(client, engine):
    location, query = start_login(client)
    taxid = with_check_digit("12345678")
    bad = taxid[:8] + str((int(taxid[8]) + 1) % 10)
    response = pick(client, location, query, persona="", taxid=bad, firstname="Α", lastname="Β", birthyear="1980")
    assert response.status_code == 400
    assert "ψηφίο ελέγχου" in response.text and 'role="alert"' in response.text
    assert sessions(engine) == []


def test_forged_state_is_refused_without_a_session(client, engine):
    location, query = start_login(client)
    redirect = pick(client, location, query, persona="eftychia")
    target = _local(redirect.headers["location"]).replace(f"state={query['state']}", "state=forged")
    response = client.get(target, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login-error?reason=state"
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert sessions(engine) == []


def test_missing_state_cookie_is_refused(client, engine):
    location, query = start_login(client)
    redirect = pick(client, location, query, persona="eftychia")
    client.cookies.delete(govgr.STATE_COOKIE, domain="localhost.local", path="/auth")
    client.cookies.clear()
    response = client.get(_local(redirect.headers["location"]), follow_redirects=False)
    assert response.headers["location"] == "/login-error?reason=state"
    assert sessions(engine) == []


def test_missing_state_parameter_is_refused(client, engine):
    location, query = start_login(client)
    redirect = pick(client, location, query, persona="eftychia")
    target = re.sub(r"&?state=[^&]*", "", _local(redirect.headers["location"]))
    response = client.get(target, follow_redirects=False)
    assert response.headers["location"] == "/login-error?reason=state"
    assert sessions(engine) == []


def test_a_replayed_code_is_refused(client, engine):
    location, query = start_login(client)
    redirect = pick(client, location, query, persona="eftychia")
    callback = _local(redirect.headers["location"])
    assert client.get(callback, follow_redirects=False).headers["location"] == "/account"
    # replay the same code with a fresh, valid state cookie for the same state value
    client.cookies.set(govgr.STATE_COOKIE, govgr.sign_state(query["state"], "/"), path="/auth")
    replay = client.get(callback, follow_redirects=False)
    assert replay.headers["location"] == "/login-error?reason=code"
    assert SESSION_COOKIE not in replay.headers.get("set-cookie", "")
    assert len(sessions(engine)) == 1


def test_the_token_endpoint_checks_client_secret_and_redirect_uri(client):
    location, query = start_login(client)
    code = parse_qs(urlsplit(pick(client, location, query, persona="nikos").headers["location"]).query)["code"][0]
    settings = settings_module.get_settings()
    token_url = "/govgr-stand-in/oauth2server/oauth/token"
    base = {"grant_type": "authorization_code", "code": code, "client_id": settings.govgr_client_id,
            "redirect_uri": f"{BASE}/auth/callback"}
    assert client.post(token_url, data={**base, "client_secret": "wrong"}).status_code == 401
    assert client.post(token_url, data={**base, "client_secret": settings.govgr_client_secret,
                                        "redirect_uri": "https://evil.example/cb"}).json()["error"] == "invalid_grant"
    ok = client.post(token_url, data={**base, "client_secret": settings.govgr_client_secret})
    assert ok.status_code == 200 and ok.json()["access_token"]
    again = client.post(token_url, data={**base, "client_secret": settings.govgr_client_secret})
    assert again.json()["error"] == "invalid_grant"


def test_a_foreign_redirect_uri_is_refused_by_the_stand_in(client):
    location, query = start_login(client)
    foreign = location.replace("redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fauth%2Fcallback",
                               "redirect_uri=https%3A%2F%2Fevil.example%2Fcallback")
    assert foreign != location
    page = client.get(_local(foreign))
    assert page.status_code == 400
    assert "redirect_uri" in page.text and "evil.example" not in page.text.split("<main>")[1].split("</main>")[0].replace("redirect_uri", "")
    post = client.post("/govgr-stand-in/oauth2server/oauth/authorize", follow_redirects=False, data={
        "client_id": query["client_id"], "redirect_uri": "https://evil.example/callback", "response_type": "code",
        "state": query["state"], "persona": "eftychia"})
    assert post.status_code == 400 and "location" not in post.headers


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                       "javascript:alert(1)", "/auth/logout"])
def test_off_site_next_is_replaced_by_home(client, next_path):
    response = full_login(client, "eftychia", next_path)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_a_same_site_next_is_kept(client):
    assert full_login(client, "eftychia", "/consultations/3?tab=comments").headers["location"] == \
        "/consultations/3?tab=comments"


def test_json_error_from_userinfo_is_a_clear_login_error(client, engine, monkeypatch):
    monkeypatch.setenv(stand_in.FAIL_ENV, "1")
    response = full_login(client)
    assert response.headers["location"] == "/login-error?reason=userinfo"
    assert sessions(engine) == []


def test_the_fail_flag_on_the_authorize_page(client, engine):
    location, query = start_login(client)
    redirect = pick(client, location, query, persona="eftychia", simulate_error="1")
    response = client.get(_local(redirect.headers["location"]), follow_redirects=False)
    assert response.headers["location"] == "/login-error?reason=userinfo"
    assert sessions(engine) == []


def test_provider_denial(client, engine):
    _location, query = start_login(client)
    response = client.get("/auth/callback", params={"error": "access_denied", "state": query["state"]},
                          follow_redirects=False)
    assert response.headers["location"] == "/login-error?reason=denied"
    assert sessions(engine) == []


def test_logout_ends_the_session_and_goes_through_gsis_logout(client, engine):
    full_login(client)
    assert len(sessions(engine)) == 1
    response = client.get("/auth/logout", follow_redirects=False)
    settings = settings_module.get_settings()
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"{BASE}/govgr-stand-in/oauth2server/logout/{settings.govgr_client_id}/?url=http%3A%2F%2Flocalhost%3A3000%2F")
    assert sessions(engine) == []
    cleared = [h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "=")]
    assert cleared and ("Max-Age=0" in cleared[0] or "expires=" in cleared[0].lower())
    back = client.get(_local(response.headers["location"]), follow_redirects=False)
    assert back.status_code == 302 and back.headers["location"] == f"{BASE}/"
    assert client.get("/api/v1/me/export").status_code == 401


def test_stand_in_logout_refuses_foreign_return_urls(client):
    settings = settings_module.get_settings()
    response = client.get(f"/govgr-stand-in/oauth2server/logout/{settings.govgr_client_id}/",
                          params={"url": "https://evil.example/"}, follow_redirects=False)
    assert response.status_code == 400


def test_cookies_are_secure_when_the_public_url_is_https(engine, monkeypatch):
    monkeypatch.setenv("SYROS_PUBLIC_URL", "https://agora.example.gr")
    settings_module.reset_settings_cache()
    try:
        app = create_api()
        monkeypatch.setattr(govgr, "http_transport", httpx.ASGITransport(app=app))
        with TestClient(app, base_url="https://agora.example.gr") as client:
            response = client.get("/auth/login", follow_redirects=False)
            state_cookie = response.headers["set-cookie"]
            assert "Secure" in state_cookie and "HttpOnly" in state_cookie and "Path=/auth" in state_cookie
            query = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}
            redirect = pick(client, response.headers["location"], query, persona="eftychia")
            done = client.get(_local(redirect.headers["location"]), follow_redirects=False)
            cookie = [h for h in done.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "=")][0]
            assert "Secure" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    finally:
        settings_module.reset_settings_cache()


def test_the_stand_in_is_off_when_not_configured(engine, monkeypatch):
    monkeypatch.setenv("SYROS_GOVGR_STAND_IN", "0")
    settings_module.reset_settings_cache()
    try:
        with TestClient(create_api(), base_url=BASE) as client:
            assert client.get("/govgr-stand-in/oauth2server/oauth/authorize").status_code == 404
            assert client.post("/govgr-stand-in/oauth2server/oauth/token").status_code == 404
            assert client.get("/auth/login", follow_redirects=False).headers["location"].startswith(
                "https://www1.gsis.gr/oauth2server/oauth/authorize?")
    finally:
        settings_module.reset_settings_cache()


def test_export_needs_a_session(client):
    response = client.get("/api/v1/me/export", cookies={"syros_lang": "en"})
    assert response.status_code == 401 and response.json()["error"] == "You need to log in."


def test_an_expired_code_is_refused(client, engine):
    import json
    import time

    settings = settings_module.get_settings()
    person = {"taxid": stand_in.demo_resident("nikos").taxid, "firstname": "Νίκος", "lastname": "Δ",
              "fathername": "", "mothername": "", "birthyear": "1990"}
    payload = {"k": "code", "cid": settings.govgr_client_id, "ru": f"{BASE}/auth/callback", "p": person,
               "fail": False, "n": "x"}
    stale = stand_in._fernet(settings).encrypt_at_time(json.dumps(payload).encode(),
                                                       int(time.time()) - stand_in.CODE_TTL_SECONDS - 1).decode()
    _location, query = start_login(client)
    response = client.get("/auth/callback", params={"code": stale, "state": query["state"]}, follow_redirects=False)
    assert response.headers["location"] == "/login-error?reason=code"
    assert sessions(engine) == []


def test_an_unknown_client_id_is_refused_by_the_stand_in(client):
    location, _query = start_login(client)
    page = client.get(_local(location).replace("client_id=syros-agora-dev", "client_id=someone-else"))
    assert page.status_code == 400 and "client_id" in page.text

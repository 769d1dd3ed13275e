"""The gov.gr (GSIS OAuth 2.0, "κωδικοί TAXISnet") client.

Plain OAuth 2.0 authorization-code flow (not OpenID Connect): Authlib builds
the authorize URL and exchanges the code with ``client_secret_post``; the
userinfo answer is XML, fetched with the bearer token and parsed here with
defusedxml. The base URL is configuration (production, test, or the local
stand-in). All network calls are async: under ``make run`` the stand-in is
served by the same process, and a blocking call to it would deadlock.

``state`` is kept in a short-lived, signed, HttpOnly cookie scoped to
``/auth`` and compared with the value gov.gr sends back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import warnings

import httpx

with warnings.catch_warnings():  # Authlib 1.9 nags about httpx vs httpx2; both work
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client
from defusedxml import ElementTree as SafeET

from syros_app.core.settings import Settings, get_settings

from .greek_names import with_accent
from .hashing import is_valid_taxid, normalise_taxid

STATE_COOKIE = "syros_oauth"
STATE_COOKIE_PATH = "/auth"
STATE_TTL_SECONDS = 600
HTTP_TIMEOUT = 15.0

# Tests (and only tests) may route the client's HTTP calls elsewhere, e.g.
# ``httpx.ASGITransport(app)`` to reach the stand-in inside the same app.
http_transport: httpx.AsyncBaseTransport | None = None


class GovgrError(Exception):
    """The login could not be completed; ``reason`` names the catalogue message."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# Reasons shown on /login-error (identity.login_error.<reason> in the catalogues).
LOGIN_ERROR_REASONS = ("state", "denied", "code", "provider", "userinfo", "invalid_person")


@dataclass(frozen=True)
class GovgrProfile:
    """What gov.gr tells us about a person. Held in memory only: never stored or logged."""

    taxid: str
    first_name: str
    last_name: str
    father_name: str = ""
    mother_name: str = ""
    birth_year: int | None = None

    def __repr__(self) -> str:  # keep the ΑΦΜ out of any accidental log line
        return "GovgrProfile(<redacted>)"


# --- URLs -------------------------------------------------------------------------------------

def endpoints(settings: Settings | None = None) -> dict[str, str]:
    settings = settings or get_settings()
    base = settings.govgr_base_url.rstrip("/") + "/oauth2server"
    return {
        "authorize": f"{base}/oauth/authorize",
        "token": f"{base}/oauth/token",
        "userinfo": f"{base}/userinfo?format=xml",
    }


def redirect_uri(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return f"{settings.public_url}/auth/callback"


def logout_url(settings: Settings | None = None) -> str:
    """The GSIS logout URL, which ends the gov.gr session and comes back to us."""
    settings = settings or get_settings()
    back = quote(f"{settings.public_url}/", safe="")
    return f"{settings.govgr_base_url.rstrip('/')}/oauth2server/logout/{quote(settings.govgr_client_id, safe='')}/?url={back}"


def safe_next(value: str | None) -> str:
    """A same-site relative path to return to after login; anything else becomes ``/``."""
    if not value or not isinstance(value, str) or len(value) > 500:
        return "/"
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    if parts.path.startswith("/auth/") or parts.path.startswith("/govgr-stand-in"):
        return "/"
    return value


# --- state cookie -----------------------------------------------------------------------------

def _state_key(settings: Settings) -> bytes:
    return hashlib.sha256(b"oauth-state:" + settings.secret_key.encode()).digest()


def sign_state(state: str, next_path: str, *, now: float | None = None, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    payload = json.dumps({"s": state, "n": next_path, "e": int((now or time.time()) + STATE_TTL_SECONDS)},
                         separators=(",", ":")).encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    mac = hmac.new(_state_key(settings), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def read_state(cookie_value: str | None, *, now: float | None = None, settings: Settings | None = None) -> tuple[str, str]:
    """(state, next) from a state cookie; raises ``GovgrError('state')`` if forged or stale."""
    settings = settings or get_settings()
    if not cookie_value or "." not in cookie_value:
        raise GovgrError("state", "no state cookie")
    body, mac = cookie_value.rsplit(".", 1)
    expected = hmac.new(_state_key(settings), body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected):
        raise GovgrError("state", "state cookie signature")
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        state, next_path, expires = str(data["s"]), str(data["n"]), int(data["e"])
    except (ValueError, KeyError, TypeError) as exc:
        raise GovgrError("state", "state cookie content") from exc
    if expires < (now or time.time()):
        raise GovgrError("state", "state expired")
    return state, safe_next(next_path)


def check_state(cookie_value: str | None, returned_state: str | None) -> str:
    """Compare gov.gr's ``state`` with ours; returns the ``next`` path on success."""
    state, next_path = read_state(cookie_value)
    if not returned_state or not hmac.compare_digest(state.encode(), str(returned_state).encode()):
        raise GovgrError("state", "state mismatch")
    return next_path


# --- the OAuth client ---------------------------------------------------------------------------

def _client(settings: Settings) -> AsyncOAuth2Client:
    kwargs = {"transport": http_transport} if http_transport is not None else {}
    return AsyncOAuth2Client(
        client_id=settings.govgr_client_id,
        client_secret=settings.govgr_client_secret,
        scope="read",
        redirect_uri=redirect_uri(settings),
        token_endpoint_auth_method="client_secret_post",
        timeout=HTTP_TIMEOUT,
        **kwargs,
    )


def authorization_url(settings: Settings | None = None) -> tuple[str, str]:
    """(URL to send the browser to, the fresh ``state``)."""
    settings = settings or get_settings()
    state = secrets.token_urlsafe(24)
    client = _client(settings)
    url, _ = client.create_authorization_url(endpoints(settings)["authorize"], state=state)
    return url, state


async def fetch_profile(code: str, settings: Settings | None = None) -> GovgrProfile:
    """Exchange the code for a token, then read and parse the XML userinfo."""
    settings = settings or get_settings()
    urls = endpoints(settings)
    async with _client(settings) as client:
        try:
            token = await client.fetch_token(urls["token"], code=code, grant_type="authorization_code",
                                             redirect_uri=redirect_uri(settings))
        except httpx.HTTPError as exc:
            raise GovgrError("provider", f"token endpoint unreachable: {exc.__class__.__name__}") from exc
        except Exception as exc:  # noqa: BLE001 - Authlib raises OAuthError / ValueError on a refusal
            error = getattr(exc, "error", "") or exc.__class__.__name__
            reason = "code" if error in {"invalid_grant", "invalid_request"} else "provider"
            raise GovgrError(reason, f"token refused: {error}") from exc
        access_token = token.get("access_token") if isinstance(token, dict) else None
        if not access_token:
            raise GovgrError("provider", "no access token")
        try:
            response = await client.request("GET", urls["userinfo"], headers={"Authorization": f"Bearer {access_token}",
                                                                   "Accept": "application/xml"},
                                        withhold_token=True)
        except httpx.HTTPError as exc:
            raise GovgrError("provider", f"userinfo unreachable: {exc.__class__.__name__}") from exc
    return parse_userinfo(response.content, status=response.status_code)


# --- userinfo XML -----------------------------------------------------------------------------

def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def parse_userinfo(body: bytes | str, *, status: int = 200) -> GovgrProfile:
    """Parse the userinfo reply (XML of attributes; JSON on error) into a profile."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    text = text.strip().lstrip("\ufeff")
    if not text or text.startswith("{") or text.startswith("["):
        detail = ""
        try:
            data = json.loads(text) if text else {}
            if isinstance(data, dict):
                detail = str(data.get("error") or data.get("message") or "")[:80]
        except ValueError:
            pass
        raise GovgrError("userinfo", f"error reply ({status}) {detail}".strip())
    try:
        root = SafeET.fromstring(text.encode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - ParseError, DefusedXmlException, …
        raise GovgrError("userinfo", f"unreadable XML: {exc.__class__.__name__}") from exc
    element = root if root.tag == "userinfo" else root.find(".//userinfo")
    if element is None:
        raise GovgrError("userinfo", "no userinfo element")
    attrs = {key.lower(): _clean(value) for key, value in element.attrib.items()}
    taxid = normalise_taxid(attrs.get("taxid", ""))
    if not is_valid_taxid(taxid):
        raise GovgrError("invalid_person", "taxid missing or invalid")
    birth_year: int | None = None
    raw_year = attrs.get("birthyear", "")
    if raw_year.isdigit() and 1880 <= int(raw_year) <= 2100:
        birth_year = int(raw_year)
    return GovgrProfile(
        taxid=taxid,
        first_name=attrs.get("firstname", ""),
        last_name=attrs.get("lastname", ""),
        father_name=attrs.get("fathername", ""),
        mother_name=attrs.get("mothername", ""),
        birth_year=birth_year,
    )


def _title_word(word: str, *, given: bool = False) -> str:
    return "-".join((given and with_accent(part)) or part[:1].upper() + part[1:].lower() for part in word.split("-"))


def title_case(name: str, *, given: bool = False) -> str:
    """``ΝΙΚΟΣ`` → ``Νικος`` with the final sigma right; with ``given``, a common given
    name also gets its accent back (``ΕΥΤΥΧΙΑ`` → ``Ευτυχία``, see ``greek_names``)."""
    return " ".join(_title_word(w, given=given) for w in _clean(name).split(" ") if w)


def display_name_for(first_name: str, last_name: str) -> str:
    """First name and the initial of the last name: «Ευτυχία Β.»."""
    first = title_case(first_name, given=True)
    last = _clean(last_name)
    initial = (last[:1].upper() + ".") if last else ""
    return (" ".join(p for p in (first, initial) if p) or initial or "—")[:80]

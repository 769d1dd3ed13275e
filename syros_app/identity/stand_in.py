"""A local stand-in for the gov.gr (GSIS) OAuth 2.0 service, for development, demos and tests.

It answers at the real paths under its own base URL
(``{public_url}/govgr-stand-in/oauth2server/…``) and behaves like the real one:
an authorize page (here: pick a demo resident or type a person), single-use
codes that expire within a minute, a token endpoint that checks client id,
secret and redirect URI, XML userinfo with padded values and numeric character
references, a JSON error body on demand, and the logout redirect.

Nothing about the person is stored: codes and access tokens are
self-contained, encrypted and authenticated (Fernet, with a key derived from
the server secret); only a hash of each used code is kept to refuse a replay.
It is active only when ``SYROS_GOVGR_STAND_IN`` is on (never in production:
the settings refuse it) and every route answers 404 otherwise.
``SYROS_GOVGR_STAND_IN_FAIL=1`` (or ``fail=1`` on the authorize URL) makes
userinfo answer the JSON error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from urllib.parse import urlencode

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.exc import IntegrityError
from sqlmodel import delete
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from syros_app.core.db import session_scope
from syros_app.core import settings as core_settings
from syros_app.core.settings import Settings, get_settings
from syros_app.core.timefmt import utcnow

from .hashing import is_valid_taxid, with_check_digit
from .models import GovgrUsedCode
from .roles import Role

PREFIX = "/govgr-stand-in/oauth2server"
CODE_TTL_SECONDS = 60
TOKEN_TTL_SECONDS = 600
FAIL_ENV = core_settings.GOVGR_STAND_IN_FAIL_ENV


@dataclass(frozen=True)
class DemoResident:
    key: str
    taxid: str
    first_name: str
    last_name: str
    father_name: str
    mother_name: str
    birth_year: int
    municipal_unit: str | None = None
    role: Role | None = None
    department: str | None = None  # a department officer's department


# Invented people with valid check digits; never real tax numbers.
DEMO_RESIDENTS: tuple[DemoResident, ...] = (
    DemoResident("eftychia", with_check_digit("70000001"), "ΕΥΤΥΧΙΑ", "ΒΑΒΟΥΛΑ", "ΕΜΜΑΝΟΥΗΛ", "ΑΝΝΑ", 1950, "Ερμούπολη"),
    DemoResident("giorgos", with_check_digit("70000002"), "Γιώργος", "Ρούσσος", "Νικόλαος", "Ειρήνη", 1971,
                 "Ερμούπολη", Role.ADMINISTRATOR),
    DemoResident("maria", with_check_digit("70000003"), "Μαρία", "Βαφειάδου", "Ιωάννης", "Σοφία", 1983,
                 "Ποσειδωνία", Role.MODERATOR),
    DemoResident("nikos", with_check_digit("70000004"), "Νίκος", "Δελαγραμμάτικας", "Αντώνιος", "Μαρκέλλα", 1990,
                 "Άνω Σύρος"),
    DemoResident("stella", with_check_digit("70000005"), "Στέλλα", "Μαραγκού", "Φραγκίσκος", "Αικατερίνη", 1962,
                 "Ποσειδωνία"),
    DemoResident("irini", with_check_digit("70000006"), "Ειρήνη", "Καλαμαρά", "Δημήτριος", "Ελένη", 2011,
                 "Ερμούπολη"),
    DemoResident("katerina", with_check_digit("70000007"), "Κατερίνα", "Πρίντεζη", "Μάρκος", "Ευαγγελία", 1979,
                 "Ερμούπολη", Role.DEPARTMENT_OFFICER, "lighting"),
)


def demo_resident(key: str) -> DemoResident | None:
    return next((r for r in DEMO_RESIDENTS if r.key == key), None)


# --- sealed codes and tokens --------------------------------------------------------------------

def _fernet(settings: Settings) -> Fernet:
    key = hashlib.sha256(b"govgr-stand-in:" + settings.secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _seal(settings: Settings, payload: dict) -> str:
    return _fernet(settings).encrypt(json.dumps(payload, ensure_ascii=False).encode()).decode()


def _open(settings: Settings, token: str, ttl: int) -> dict | None:
    try:
        return json.loads(_fernet(settings).decrypt(token.encode(), ttl=ttl))
    except (InvalidToken, ValueError, TypeError):
        return None


def _enabled() -> Settings | None:
    settings = get_settings()
    return settings if settings.govgr_stand_in else None


def _not_found() -> Response:
    return PlainTextResponse("Not Found", status_code=404)


def _expected_redirect(settings: Settings) -> str:
    return f"{settings.public_url}/auth/callback"


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(str(a).encode(), str(b).encode())


# --- the authorize page -------------------------------------------------------------------------

_STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:#1a1a1a;background:#fff;line-height:1.5}
.test{background:#fff4ce;color:#3d2e00;border-bottom:3px solid #8a6d00;padding:.6rem 1rem;font-weight:700;text-align:center}
header{background:#003476;color:#fff}.brand{margin:0;padding:.75rem 1rem;font-size:1.2rem;font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
ul{list-style:none;padding:0;margin:0;display:grid;gap:.5rem}
button{font:inherit;min-height:44px;padding:.55rem 1rem;border-radius:.5rem;cursor:pointer}
.person{width:100%;text-align:left;background:#f3f6f9;color:#003476;border:2px solid #003476}
.person:hover{background:#e3ecf5}
.primary{background:#003476;color:#fff;border:2px solid #003476}
.field{display:grid;gap:.25rem;margin:.75rem 0}label{font-weight:600}
input[type=text],input[type=number]{font:inherit;min-height:44px;padding:.5rem .7rem;border:1px solid #5c6773;border-radius:.5rem;width:100%}
.check{display:flex;gap:.5rem;align-items:center;margin:.75rem 0}.check input{width:24px;height:24px}
.error{background:#fdecea;border:1px solid #a4161a;color:#7a1014;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
.muted{color:#4a5560}a{color:#003476}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
"""

_ROLE_NOTE = {Role.ADMINISTRATOR: "διαχειριστής", Role.MODERATOR: "συντονίστρια"}


def _hidden(params: dict[str, str]) -> str:
    return "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items())


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        '<!DOCTYPE html><html lang="el"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        '<header><div class="test" role="note">ΔΟΚΙΜΑΣΤΙΚΗ ΥΠΗΡΕΣΙΑ — δεν είναι το πραγματικό gov.gr. '
        "Μην πληκτρολογείτε πραγματικούς κωδικούς.</div>"
        '<p class="brand">gov.gr · Κωδικοί TAXISnet (δοκιμή)</p></header>'
        f"<main>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                                          "Referrer-Policy": "no-referrer"})


def _error_page(message: str, status: int = 400) -> HTMLResponse:
    return _page("Σφάλμα — δοκιμαστική σύνδεση gov.gr",
                 f'<h1>Η αίτηση σύνδεσης απορρίφθηκε</h1><div class="error" role="alert">{escape(message)}</div>', status)


def _authorize_params(source) -> dict[str, str]:
    return {key: str(source.get(key, "") or "") for key in ("client_id", "redirect_uri", "response_type", "scope", "state")}


def _check_client(settings: Settings, params: dict[str, str]) -> str | None:
    """A reason to refuse the authorize request, or None."""
    if not _same(params["client_id"], settings.govgr_client_id):
        return "Άγνωστος κωδικός εφαρμογής (client_id)."
    if not _same(params["redirect_uri"], _expected_redirect(settings)):
        return "Η διεύθυνση επιστροφής (redirect_uri) δεν είναι καταχωρισμένη για αυτή την εφαρμογή."
    if params["response_type"] != "code":
        return "Μη υποστηριζόμενο response_type (αναμένεται code)."
    return None


def _authorize_form(params: dict[str, str], fail: bool, *, error: str = "", values: dict[str, str] | None = None,
                    status: int = 200) -> HTMLResponse:
    values = values or {}
    hidden = _hidden({**params, "fail": "1" if fail else ""})
    people = "".join(
        f'<li><button type="submit" class="person" name="persona" value="{escape(r.key)}">'
        f"{escape(r.first_name.title() if r.first_name.isupper() else r.first_name)} "
        f"{escape(r.last_name.title() if r.last_name.isupper() else r.last_name)}"
        f' <span class="muted">· {r.birth_year}'
        f"{' · ' + _ROLE_NOTE[r.role] if r.role in _ROLE_NOTE else ''}</span></button></li>"
        for r in DEMO_RESIDENTS
    )
    invalid = ' aria-invalid="true" aria-describedby="form-error"' if error else ""
    error_html = f'<div class="error" role="alert" id="form-error">{escape(error)}</div>' if error else ""

    def field(name: str, label: str, extra: str = "", described: bool = False) -> str:
        aria = invalid if described else ""
        return (f'<div class="field"><label for="{name}">{label}</label>'
                f'<input type="text" id="{name}" name="{name}" value="{escape(values.get(name, ""))}"{extra}{aria}></div>')

    body = (
        "<h1>Σύνδεση με κωδικούς TAXISnet</h1>"
        '<p>Η εφαρμογή <strong>Αγορά Σύρου</strong> ζητά να επιβεβαιώσει την ταυτότητά σας. '
        "Σε αυτή τη δοκιμαστική υπηρεσία δεν χρειάζεται κωδικός: επιλέξτε ένα πρόσωπο.</p>"
        '<section aria-labelledby="demo-heading"><h2 id="demo-heading">Δοκιμαστικοί κάτοικοι</h2>'
        f'<form method="post">{hidden}<ul>{people}</ul></form></section>'
        '<section aria-labelledby="other-heading"><h2 id="other-heading">Άλλο πρόσωπο</h2>'
        f'<form method="post" novalidate>{hidden}{error_html}'
        + field("taxid", "ΑΦΜ", ' inputmode="numeric" maxlength="9" autocomplete="off"', described=True)
        + field("firstname", "Όνομα", ' autocomplete="off"')
        + field("lastname", "Επώνυμο", ' autocomplete="off"')
        + field("fathername", "Πατρώνυμο", ' autocomplete="off"')
        + field("birthyear", "Έτος γέννησης", ' inputmode="numeric" maxlength="4" autocomplete="off"')
        + '<div class="check"><input type="checkbox" id="simulate-error" name="simulate_error" value="1">'
        '<label for="simulate-error">Προσομοίωση σφάλματος της υπηρεσίας (απάντηση JSON)</label></div>'
        '<button type="submit" class="primary" name="persona" value="">Σύνδεση</button></form></section>'
        f'<p><a href="{escape(_denied_url(params))}">Ακύρωση και επιστροφή στην εφαρμογή</a></p>'
    )
    return _page("Σύνδεση — δοκιμαστική υπηρεσία gov.gr", body, status)


def _denied_url(params: dict[str, str]) -> str:
    return params["redirect_uri"] + "?" + urlencode({"error": "access_denied", "state": params["state"]})


async def authorize(request: Request) -> Response:
    settings = _enabled()
    if settings is None:
        return _not_found()
    if request.method == "GET":
        params = _authorize_params(request.query_params)
        fail = request.query_params.get("fail") == "1"
        form_values: dict[str, str] = {}
    else:
        form = await request.form()
        params = _authorize_params(form)
        fail = form.get("fail") == "1" or form.get("simulate_error") == "1"
        form_values = {k: str(form.get(k, "") or "").strip() for k in ("taxid", "firstname", "lastname", "fathername", "birthyear")}
    refusal = _check_client(settings, params)
    if refusal:
        return _error_page(refusal)
    if request.method == "GET":
        return _authorize_form(params, fail)

    persona_key = str(form.get("persona", "") or "")
    if persona_key:
        resident = demo_resident(persona_key)
        if resident is None:
            return _authorize_form(params, fail, error="Άγνωστο δοκιμαστικό πρόσωπο.", status=400)
        person = {"taxid": resident.taxid, "firstname": resident.first_name, "lastname": resident.last_name,
                  "fathername": resident.father_name, "mothername": resident.mother_name,
                  "birthyear": str(resident.birth_year)}
    else:
        error = _person_error(form_values)
        if error:
            return _authorize_form(params, fail, error=error, values=form_values, status=400)
        person = {**form_values, "mothername": ""}
    code = _seal(settings, {"k": "code", "cid": params["client_id"], "ru": params["redirect_uri"],
                            "p": person, "fail": fail, "n": secrets.token_hex(8)})
    query = urlencode({"code": code, "state": params["state"]})
    return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=302)


def _person_error(values: dict[str, str]) -> str:
    taxid = values.get("taxid", "")
    if not (len(taxid) == 9 and taxid.isdigit()):
        return "Ο ΑΦΜ πρέπει να έχει ακριβώς 9 ψηφία."
    if not is_valid_taxid(taxid):
        return "Ο ΑΦΜ δεν είναι έγκυρος: το ψηφίο ελέγχου δεν ταιριάζει."
    if not values.get("firstname") or not values.get("lastname"):
        return "Συμπληρώστε όνομα και επώνυμο."
    year = values.get("birthyear", "")
    if not (year.isdigit() and 1900 <= int(year) <= utcnow().year):
        return "Το έτος γέννησης πρέπει να είναι τετραψήφιο (π.χ. 1975)."
    return ""


# --- token, userinfo, logout --------------------------------------------------------------------

def _token_error(error: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status, headers={"Cache-Control": "no-store"})


async def token(request: Request) -> Response:
    settings = _enabled()
    if settings is None:
        return _not_found()
    form = await request.form()
    if form.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    if not (_same(form.get("client_id", ""), settings.govgr_client_id)
            and _same(form.get("client_secret", ""), settings.govgr_client_secret)):
        return _token_error("invalid_client", 401)
    code = str(form.get("code", "") or "")
    payload = _open(settings, code, CODE_TTL_SECONDS) if code else None
    if not payload or payload.get("k") != "code" or not _same(payload.get("cid", ""), settings.govgr_client_id):
        return _token_error("invalid_grant")
    if not _same(payload.get("ru", ""), str(form.get("redirect_uri", "") or "")):
        return _token_error("invalid_grant")
    now = utcnow()
    try:
        with session_scope() as session:
            session.exec(delete(GovgrUsedCode).where(GovgrUsedCode.used_at < now - timedelta(seconds=CODE_TTL_SECONDS * 5)))
            session.add(GovgrUsedCode(code_hash=hashlib.sha256(code.encode()).hexdigest(), used_at=now))
    except IntegrityError:
        return _token_error("invalid_grant")
    access = _seal(settings, {"k": "access", "p": payload["p"], "fail": bool(payload.get("fail"))})
    return JSONResponse({"access_token": access, "token_type": "bearer", "expires_in": TOKEN_TTL_SECONDS,
                         "scope": "read"}, headers={"Cache-Control": "no-store"})


def _char_refs(value: str) -> str:
    return "".join(f"&#{ord(ch)};" if ord(ch) > 127 else escape(ch, quote=True) for ch in value)


def userinfo_xml(person: dict[str, str]) -> str:
    """The reply the real service gives: padded values, some as numeric character references."""
    pad = "   "
    taxid = person["taxid"]
    return (
        f'<root><userinfo userid="User{taxid}{pad}" taxid="{taxid}{pad}" '
        f'lastname="{_char_refs(person["lastname"])}{pad}" firstname="{escape(person["firstname"], quote=True)}{pad}" '
        f'fathername="{_char_refs(person.get("fathername", ""))}{pad}" '
        f'mothername="{escape(person.get("mothername", ""), quote=True)}{pad}" '
        f'birthyear="{escape(person.get("birthyear", ""))}"/></root>'
    )


async def userinfo(request: Request) -> Response:
    settings = _enabled()
    if settings is None:
        return _not_found()
    header = request.headers.get("authorization", "")
    access = header[7:].strip() if header.lower().startswith("bearer ") else request.query_params.get("access_token", "")
    payload = _open(settings, access, TOKEN_TTL_SECONDS) if access else None
    if not payload or payload.get("k") != "access":
        return JSONResponse({"error": "invalid_token", "error_description": "Invalid access token"}, status_code=401)
    if payload.get("fail") or core_settings.govgr_stand_in_fail():
        return JSONResponse({"error": "server_error", "error_description": "Η υπηρεσία δεν είναι διαθέσιμη"})
    return Response(userinfo_xml(payload["p"]), media_type="application/xml; charset=UTF-8",
                     headers={"Cache-Control": "no-store"})


async def logout(request: Request) -> Response:
    settings = _enabled()
    if settings is None:
        return _not_found()
    if not _same(request.path_params.get("client_id", ""), settings.govgr_client_id):
        return _error_page("Άγνωστος κωδικός εφαρμογής (client_id).")
    target = request.query_params.get("url", "")
    if not (target == settings.public_url or target.startswith(settings.public_url + "/")):
        return _error_page("Η διεύθυνση επιστροφής δεν ανήκει στην εφαρμογή.")
    return RedirectResponse(target, status_code=302)


routes = [
    Route(f"{PREFIX}/oauth/authorize", authorize, methods=["GET", "POST"]),
    Route(f"{PREFIX}/oauth/token", token, methods=["POST"]),
    Route(f"{PREFIX}/userinfo", userinfo, methods=["GET"]),
    Route(PREFIX + "/logout/{client_id}/", logout, methods=["GET"]),
    Route(PREFIX + "/logout/{client_id}", logout, methods=["GET"]),
]

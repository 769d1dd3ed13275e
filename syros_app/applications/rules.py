"""Pure rules of e-applications: statuses and timeline steps, reference numbers, and
the validation of answers against a form version's fields (no database, no Reflex).

A form is a list of field objects (see ``models.FormVersion``). Answers are a JSON
object keyed by field key: text for text/textarea/date/choice, a number for number,
``{"text", "lat", "lon"}`` for address, a list of file ids for attachment, and, for a
service with pickup slots, the chosen slot's id under :data:`SLOT_KEY`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Statuses of an application, and the steps of its public timeline.
RECEIVED, IN_PROGRESS, INFO_REQUESTED, ANSWERED, CLOSED = (
    "received", "in_progress", "info_requested", "answered", "closed")
STATUSES = (RECEIVED, IN_PROGRESS, INFO_REQUESTED, ANSWERED, CLOSED)
OPEN_STATUSES = (RECEIVED, IN_PROGRESS, INFO_REQUESTED)
STEPS = ("received", "protocolled", "in_progress", "info_requested", "info_provided", "answered", "closed")
CHANNELS = ("online", "counter")

FIELD_TYPES = ("text", "textarea", "number", "date", "choice", "address", "attachment")
PREFILL_SOURCES = ("name", "father_name", "birth_year")  # from gov.gr (kept on the person at login)
SLOT_KEY = "pickup_slot"  # the answer holding the chosen pickup slot's id
AREA_KEY = "area"  # the answer holding the municipal unit of a pickup

MAX_TEXT = 200
MAX_TEXTAREA = 4000
MAX_FILE_BYTES = 10 * 1024 * 1024  # the ceiling of any attachment field's own limit
INFO_MIN, INFO_MAX = 2, 4000  # the resident's answer to a request for information
RATING_MIN, RATING_MAX = 1, 5
REFERENCE_PREFIX = "ΑΙΤ"
_REFERENCE = re.compile(r"^ΑΙΤ-(\d{4})-(\d{6,})$")
# Latin letters that look like the Greek ones of the prefix (a reference typed on a Latin keyboard).
_LOOKALIKES = str.maketrans({"A": "Α", "I": "Ι", "T": "Τ", "a": "Α", "i": "Ι", "t": "Τ", "α": "Α", "ι": "Ι", "τ": "Τ"})
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")


def reference_for(year: int, number: int) -> str:
    """``ΑΙΤ-2026-000123``: the year and that year's sequence (``ref`` counter)."""
    return f"{REFERENCE_PREFIX}-{year:04d}-{number:06d}"


def normalise_reference(text: str) -> str | None:
    """A reference as typed (Latin lookalikes, lower case, spaces) → its stored form, or None."""
    cleaned = re.sub(r"\s+", "", str(text or "")).upper()
    prefix, _, rest = cleaned.partition("-")
    candidate = f"{prefix.translate(_LOOKALIKES)}-{rest}"
    return candidate if _REFERENCE.match(candidate) else None


def valid_slug(slug: str) -> bool:
    return bool(_SLUG.match(slug or ""))


@dataclass(frozen=True)
class FieldError:
    key: str  # the field
    message_key: str  # catalogue key of the reason
    params: tuple[tuple[str, object], ...] = ()


def _text(value: object, limit: int) -> tuple[str | None, str | None]:
    if value is None:
        return "", None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None, "applications.field_error.type"
    text = str(value).strip()
    if len(text) > limit:
        return None, "applications.field_error.too_long"
    return text, None


def _number(field: dict, value: object) -> tuple[object, str | None]:
    if value in (None, ""):
        return None, None
    if isinstance(value, bool):
        return None, "applications.field_error.number"
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None, "applications.field_error.number"
    if number != number or abs(number) > 1e12:  # NaN, absurd
        return None, "applications.field_error.number"
    if (field.get("min") is not None and number < field["min"]) or (
            field.get("max") is not None and number > field["max"]):
        return None, "applications.field_error.range"
    return int(number) if number.is_integer() else number, None


def _date(value: object) -> tuple[object, str | None]:
    if value in (None, ""):
        return "", None
    try:
        return date.fromisoformat(str(value)).isoformat(), None
    except ValueError:
        return None, "applications.field_error.date"


def _choice(field: dict, value: object) -> tuple[object, str | None]:
    if value in (None, ""):
        return "", None
    allowed = {str(c["value"]) for c in field.get("choices") or ()}
    return (str(value), None) if str(value) in allowed else (None, "applications.field_error.choice")


def _address(value: object) -> tuple[object, str | None]:
    if value in (None, ""):
        return {"text": "", "lat": None, "lon": None}, None
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, dict):
        return None, "applications.field_error.type"
    text, error = _text(value.get("text"), MAX_TEXT)
    if error:
        return None, error
    lat, lon = value.get("lat"), value.get("lon")
    if lat is None or lon is None or lat == "" or lon == "":
        return {"text": text, "lat": None, "lon": None}, None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None, "applications.field_error.coordinates"
    if not (36.3 <= lat <= 37.6 and 24.8 <= lon <= 25.0):  # around Syros
        return None, "applications.field_error.coordinates"
    return {"text": text, "lat": round(lat, 6), "lon": round(lon, 6)}, None


def _files(value: object) -> tuple[object, str | None]:
    if value in (None, ""):
        return [], None
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return None, "applications.field_error.type"
    return sorted(set(value))[:10], None


def _is_empty(value: object) -> bool:
    if isinstance(value, dict):
        return not value.get("text")
    return value in (None, "", [])


def clean_answers(fields: list[dict], answers: dict, *, final: bool,
                  uses_slots: bool = False) -> tuple[dict, list[FieldError]]:
    """The answers keyed by the form's own fields (unknown keys dropped), typed, and the
    problems found. ``final`` (submission) also asks for every required field; a draft
    keeps whatever is well-formed."""
    if not isinstance(answers, dict):
        answers = {}
    clean: dict = {}
    errors: list[FieldError] = []
    for field in fields:
        key, kind = field["key"], field["type"]
        raw = answers.get(key)
        if kind in ("text", "textarea"):
            value, error = _text(raw, MAX_TEXTAREA if kind == "textarea" else MAX_TEXT)
        elif kind == "number":
            value, error = _number(field, raw)
        elif kind == "date":
            value, error = _date(raw)
        elif kind == "choice":
            value, error = _choice(field, raw)
        elif kind == "address":
            value, error = _address(raw)
        else:
            value, error = _files(raw)
        if error:
            errors.append(FieldError(key, error))
            continue
        if final and field.get("required") and _is_empty(value):
            errors.append(FieldError(key, "applications.field_error.required"))
            continue
        clean[key] = value
    if uses_slots:
        slot = answers.get(SLOT_KEY)
        if isinstance(slot, str) and slot.isdigit():
            slot = int(slot)
        if isinstance(slot, int) and not isinstance(slot, bool) and 0 < slot < 2**62:
            clean[SLOT_KEY] = slot
        elif final:
            errors.append(FieldError(SLOT_KEY, "applications.field_error.slot"))
    return clean, errors


def check_fields(fields: object) -> list[dict]:
    """A form definition as staff wrote it, checked (raises ValueError naming the problem)."""
    if not isinstance(fields, list) or not fields:
        raise ValueError("a form needs at least one field")
    seen: set[str] = set()
    for field in fields:
        if not isinstance(field, dict) or field.get("type") not in FIELD_TYPES:
            raise ValueError(f"bad field {field!r}")
        key = field.get("key")
        if not isinstance(key, str) or not re.match(r"^[a-z][a-z0-9_]{0,39}$", key) or key in seen or key == SLOT_KEY:
            raise ValueError(f"bad or repeated key {key!r}")
        seen.add(key)
        if not field.get("label_el") or not field.get("label_en"):
            raise ValueError(f"{key}: labels in Greek and English are needed")
        if field["type"] == "choice" and not field.get("choices"):
            raise ValueError(f"{key}: a choice needs choices")
        if field["type"] == "attachment":
            if not 0 < int(field.get("max_bytes") or 0) <= MAX_FILE_BYTES or not field.get("types"):
                raise ValueError(f"{key}: an attachment states its size limit and its types")
        if field.get("prefill") not in (None, *PREFILL_SOURCES):
            raise ValueError(f"{key}: unknown prefill {field.get('prefill')!r}")
    return fields


def file_problem(field: dict, *, content_type: str, size: int) -> str | None:
    """Why an upload does not fit its attachment field (a catalogue key), or None."""
    if size <= 0:
        return "applications.field_error.file_empty"
    if size > int(field.get("max_bytes") or 0):
        return "applications.field_error.file_too_big"
    if content_type not in (field.get("types") or ()):
        return "applications.field_error.file_type"
    return None


def prefill(fields: list[dict], identity: dict, last_answers: dict) -> dict:
    """Starting answers: a field with a gov.gr source (``prefill``: name, father_name,
    birth_year) from what gov.gr told us at login (``identity``) — never from an older
    application, which may carry a mistyped or someone else's value; any other field
    from the same field of the person's last application."""
    answers: dict = {}
    for field in fields:
        key, source = field["key"], field.get("prefill")
        value = identity.get(source) if source else None
        if not source and key in last_answers and field["type"] in ("text", "address", "choice", "number"):
            value = last_answers[key]
        if value not in (None, ""):
            answers[key] = value
    return answers


def valid_rating(score: object) -> bool:
    return isinstance(score, int) and not isinstance(score, bool) and RATING_MIN <= score <= RATING_MAX


def answer_rows(fields: list[dict], answers: dict, lang: str, *, files: dict[int, str] | None = None,
                slot_text: str = "", slot_label: str = "") -> list[tuple[str, str]]:
    """(label, value as the applicant gave it) for every field, in the reader's language:
    a choice by its label, an address by its text (and point), uploads by file name."""
    files = files or {}
    rows = []
    for field in fields:
        value = answers.get(field["key"])
        if field["type"] == "choice":
            choice = next((c for c in field.get("choices") or () if str(c["value"]) == str(value)), None)
            text = choice.get(f"label_{lang}") or choice["label_el"] if choice else ""
        elif field["type"] == "address":
            value = value if isinstance(value, dict) else {"text": value or ""}
            text = str(value.get("text") or "")
            if value.get("lat") is not None:
                text = f"{text} ({value['lat']:.5f}, {value['lon']:.5f})".strip()
        elif field["type"] == "attachment":
            text = ", ".join(files.get(i, "") for i in value or [] if i in files)
        else:
            text = "" if value is None else str(value)
        rows.append((field.get(f"label_{lang}") or field["label_el"], text))
    if slot_label:
        rows.append((slot_label, slot_text))
    return rows


def fold(text: str) -> str:
    """Lower case without accents (``Άδεια`` matches ``αδεια``), for searching."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", str(text or "").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ς", "σ")


def lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


_MAGIC = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def sniff_type(data: bytes) -> str:
    """A file's type from its first bytes (what the browser says is not trusted)."""
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), "application/octet-stream")

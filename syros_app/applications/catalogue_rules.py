"""Pure rules of the catalogue editor: a form field and a service as staff typed them,
checked and shaped as stored (no database, no Reflex). A problem raises
``InvalidInput`` with a catalogue key and the input it is about (``field``), so the
page can say it beside that input."""

from __future__ import annotations

import re
from datetime import date

from syros_app.core.errors import InvalidInput

from . import rules

NS = "applications_catalogue"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_CHOICE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_LABEL, MAX_HELP, MAX_CHOICES, MAX_FIELDS = 160, 500, 40, 40
# What the field editor sets; anything else a stored field carries (a number's min/max) is kept.
EDITED = ("key", "type", "required", "label_el", "label_en", "help_el", "help_en", "choices", "max_bytes", "types",
          "prefill")
MAX_SLOT_CAPACITY, MAX_SLOT_RANGE_DAYS = 500, 120


def problem(key: str, field: str, **params: object) -> InvalidInput:
    return InvalidInput(f"{NS}.errors.{key}", field=field, **params)


def _text(data: dict, name: str, limit: int, *, required: bool = False) -> str:
    value = " ".join(str(data.get(name) or "").split()) if limit <= MAX_LABEL else str(data.get(name) or "").strip()
    if required and not value:
        raise problem("text_missing", name)
    if len(value) > limit:
        raise problem("too_long", name, n=limit)
    return value


def choices_text(choices: list[dict]) -> str:
    """Stored choices as the editor shows them: one per line, ``value | Ελληνικά | English``."""
    return "\n".join(f"{c.get('value', '')} | {c.get('label_el', '')} | {c.get('label_en', '')}" for c in choices)


def parse_choices(text: str) -> list[dict]:
    choices, seen = [], set()
    for line in rules.lines(text):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not _CHOICE_VALUE.match(parts[0]) or not parts[1] or not parts[2] \
                or parts[0] in seen or max(len(p) for p in parts) > MAX_LABEL:
            raise problem("choice_line", "choices", line=line[:60])
        seen.add(parts[0])
        choices.append({"value": parts[0], "label_el": parts[1], "label_en": parts[2]})
    if not choices or len(choices) > MAX_CHOICES:
        raise problem("choices_missing", "choices", n=MAX_CHOICES)
    return choices


def field_from_input(data: dict, previous: dict | None = None) -> dict:
    """One field from the editor's inputs (``choices`` as text, ``max_mb``, ``types``);
    what ``previous`` (the field it replaces) carries beyond the editor is kept."""
    key = str(data.get("key") or "").strip()
    if not _KEY.match(key) or key in (rules.SLOT_KEY,):
        raise problem("bad_key", "key")
    kind = data.get("type")
    if kind not in rules.FIELD_TYPES:
        raise problem("bad_type", "type")
    prefill = data.get("prefill") or None
    if prefill not in (None, *rules.PREFILL_SOURCES):
        raise problem("bad_prefill", "prefill")
    field = {k: v for k, v in (previous or {}).items() if k not in EDITED}
    field.update(key=key, type=kind, required=data.get("required") in (True, "on", "true"),
                 label_el=_text(data, "label_el", MAX_LABEL, required=True),
                 label_en=_text(data, "label_en", MAX_LABEL, required=True),
                 help_el=_text(data, "help_el", MAX_HELP), help_en=_text(data, "help_en", MAX_HELP))
    if prefill:
        field["prefill"] = prefill
    if kind == "choice":
        field["choices"] = parse_choices(str(data.get("choices") or ""))
    if kind == "attachment":
        try:
            megabytes = float(str(data.get("max_mb") or "").replace(",", "."))
        except ValueError:
            megabytes = 0
        if not 0 < megabytes * 1024 * 1024 <= rules.MAX_FILE_BYTES:
            raise problem("max_mb", "max_mb", n=rules.MAX_FILE_BYTES // (1024 * 1024))
        types = [t for t in ATTACHMENT_TYPES if t in (data.get("types") or ())]
        if not types:
            raise problem("types_missing", "types")
        field.update(max_bytes=int(megabytes * 1024 * 1024), types=types)
    return field


def with_field(fields: list[dict], field: dict, replace_key: str = "") -> list[dict]:
    """The form's fields with ``field`` added at the end, or put in place of ``replace_key``;
    keys stay unique."""
    if any(f["key"] == field["key"] and f["key"] != replace_key for f in fields):
        raise problem("key_taken", "key")
    if replace_key:
        if not any(f["key"] == replace_key for f in fields):
            raise problem("no_such_field", "key")
        return [field if f["key"] == replace_key else f for f in fields]
    if len(fields) >= MAX_FIELDS:
        raise problem("too_many_fields", "key", n=MAX_FIELDS)
    return [*fields, field]


def moved(fields: list[dict], key: str, step: int) -> list[dict]:
    """The fields with ``key`` one place up (step -1) or down (+1); unchanged at an end."""
    index = next((i for i, f in enumerate(fields) if f["key"] == key), None)
    if index is None:
        raise problem("no_such_field", "key")
    other = index + (1 if step > 0 else -1)
    if not 0 <= other < len(fields):
        return fields
    result = list(fields)
    result[index], result[other] = result[other], result[index]
    return result


_GOVGR = re.compile(r"^https://([a-z0-9-]+\.)*gov\.gr(/\S*)?$")


def service_values(data: dict, departments: set[str]) -> dict:
    """A service's editable values as stored (the slug only when it is new)."""
    values = {name: _text(data, name, MAX_LABEL, required=True) for name in ("title_el", "title_en")}
    for name in ("purpose_el", "purpose_en", "eligibility_el", "eligibility_en", "documents_el", "documents_en"):
        values[name] = _text(data, name, 4000)
    for name in ("fee_el", "fee_en"):
        values[name] = _text(data, name, 200)
    if data.get("department") not in departments:
        raise problem("bad_department", "department")
    values["department"] = data["department"]
    values["target_days"] = _count(data, "target_days", 1, 365)
    values["paper_pages"] = _count(data, "paper_pages", 0, 500)
    url = str(data.get("govgr_url") or "").strip()
    if url and (len(url) > 300 or not _GOVGR.match(url)):
        raise problem("bad_govgr_url", "govgr_url")
    values["govgr_url"] = url or None
    values["active"] = data.get("active") in (True, "on", "true")
    values["uses_pickup_slots"] = data.get("uses_pickup_slots") in (True, "on", "true")
    return values


def _count(data: dict, name: str, low: int, high: int) -> int:
    text = str(data.get(name) if data.get(name) is not None else "").strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise problem("bad_number", name, low=low, high=high)
    return int(text)


def pickup_days(first: str, last: str, weekdays: list[int], *, after: date) -> list[date]:
    """The days from ``first`` to ``last`` (ISO dates) that fall on ``weekdays`` (Monday 0),
    all later than ``after`` (today) and within :data:`MAX_SLOT_RANGE_DAYS`."""
    try:
        start, end = date.fromisoformat(str(first)), date.fromisoformat(str(last or first))
    except ValueError:
        raise problem("bad_date", "first_day") from None
    if start <= after:
        raise problem("past_day", "first_day")
    if end < start or (end - start).days > MAX_SLOT_RANGE_DAYS:
        raise problem("bad_range", "last_day", n=MAX_SLOT_RANGE_DAYS)
    wanted = {d for d in weekdays if isinstance(d, int) and 0 <= d <= 6}
    if not wanted:
        raise problem("weekdays_missing", "weekdays")
    days = [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]
    return [d for d in days if d.weekday() in wanted]


def slot_capacity(value: object, booked: int = 0) -> int:
    """A day's capacity as typed: a whole number, never below the places already booked."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_SLOT_CAPACITY:
        raise problem("bad_capacity", "capacity", n=MAX_SLOT_CAPACITY)
    if int(text) < booked:
        raise problem("below_booked", "capacity", n=booked)
    return int(text)

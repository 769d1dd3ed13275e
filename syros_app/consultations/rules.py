"""Pure rules of consultations: no database, no Reflex (tests call them directly)."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from syros_app.core import settings

STATUSES = ("draft", "open", "closed", "report_published")
MODERATION_MODES = ("post", "pre")
CATEGORIES = ("environment", "transport", "tourism", "culture", "urban_planning", "social", "finance", "other")
OUTCOMES = ("accepted", "partly", "not_accepted", "out_of_scope")
SUPPORT_VALUES = ("agree", "disagree")

TITLE_MAX = 200
SUMMARY_MAX = 4000
SECTION_BODY_MAX = 20000
COMMENT_MIN = 2
COMMENT_MAX = 2000
REASON_MAX = 300
RESPONSE_MAX = 2000
REPORT_SUMMARY_MAX = 8000
MAX_DEPTH = 2  # a comment (0), a reply (1), a reply to a reply (2)
EDIT_WINDOW = timedelta(minutes=15)
RATE_WINDOW = timedelta(minutes=10)
BLOCK_MAX_DAYS = 365
PAGE_SIZE = 20
NEW_LENGTH = timedelta(days=21)  # a new consultation's proposed length (staff may change it)

ATTACHMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


comments_per_window = settings.comments_per_window
attachment_max_bytes = settings.attachment_max_bytes


def consultation_url(consultation_id: int) -> str:
    return f"/consultations/{consultation_id}"


def phase(status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """What a reader sees: draft, upcoming, open, closed or report_published.

    Staff move a consultation draft → open → closed → report_published; the dates
    decide within "open" whether it has started or already ended.
    """
    if status == "open":
        if now < opens_at:
            return "upcoming"
        if now >= closes_at:
            return "closed"
        return "open"
    return status


def accepts_comments(status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    return phase(status, opens_at, closes_at, now) == "open"


def within_edit_window(created_at: datetime, now: datetime) -> bool:
    return now - created_at <= EDIT_WINDOW


def clean_text(value: object) -> str:
    """Plain text: strip, normalise line ends, drop control characters except newlines."""
    text = str(value if value is not None else "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or ch == "\t" or ch >= " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- links: shown as text unless a moderator approved them -------------------------------

_URL = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    text: str
    href: str = ""  # non-empty only for an approved http(s) link


def contains_link(text: str) -> bool:
    return bool(_URL.search(text))


def segments(text: str, *, links_approved: bool) -> list[Segment]:
    """Split text into plain pieces and links; a link is clickable only once approved."""
    out: list[Segment] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)]»")
        end = match.start() + len(url)
        if match.start() > position:
            out.append(Segment(text[position : match.start()]))
        out.append(Segment(url, url if links_approved and _safe_url(url) else ""))
        position = end
    if position < len(text):
        out.append(Segment(text[position:]))
    return _merge(out)


def _safe_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and not any(ch in url for ch in "<>\"'` ")


def _merge(parts: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for part in parts:
        if merged and not part.href and not merged[-1].href:
            merged[-1] = Segment(merged[-1].text + part.text)
        else:
            merged.append(part)
    return merged


# --- versions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DiffLine:
    kind: str  # same | added | removed
    text: str


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """A simple line diff (difflib), word-wrapped paragraphs compared as lines."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    out: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(DiffLine("same", line) for line in old_lines[i1:i2])
        else:
            out.extend(DiffLine("removed", line) for line in old_lines[i1:i2])
            out.extend(DiffLine("added", line) for line in new_lines[j1:j2])
    return out


# --- attachments ---------------------------------------------------------------------------

def sniff_type(data: bytes) -> str | None:
    """The attachment's real type from its first bytes (never the name or the browser's word)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def safe_filename(name: str) -> str:
    base = os.path.basename(str(name or "").replace("\\", "/")).strip()
    base = re.sub(r"[^\w.\- ()\u0370-\u03ff\u1f00-\u1fff]", "_", base)[:120].strip(" .")
    return base or "attachment"

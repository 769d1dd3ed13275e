"""Photos of reports: checked by their bytes, resized, and stripped of all metadata.

A phone photo carries EXIF tags — often the exact GPS position of the person
who took it, the device and the time. We never keep the uploaded file: we
decode the pixels, apply the EXIF orientation, and write a new JPEG from the
pixels alone, so no EXIF, XMP, IPTC or ICC block survives.
"""

from __future__ import annotations

import asyncio
import io
from typing import NamedTuple

from PIL import Image, ImageOps, UnidentifiedImageError

from sqlmodel import Session

from syros_app.core import stored_files
from syros_app.core.errors import AgoraError, InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 82

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ProcessedPhoto(NamedTuple):
    """A cleaned photo (re-encoded, metadata stripped) and its size in pixels."""

    data: bytes
    width: int
    height: int


def sniff_type(data: bytes) -> str | None:
    """The image type from its first bytes (never from the name or the browser's claim)."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "heic"
    return None


def process_photo(data: bytes) -> ProcessedPhoto:
    if not data:
        raise InvalidInput("reports.errors.photo_empty")
    if len(data) > MAX_BYTES:
        raise InvalidInput("reports.errors.photo_too_large", mb=MAX_BYTES // (1024 * 1024))
    kind = sniff_type(data)
    if kind not in {"jpeg", "png", "webp"}:
        raise InvalidInput("reports.errors.photo_type")
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_PIXELS:
                raise InvalidInput("reports.errors.photo_too_large", mb=MAX_BYTES // (1024 * 1024))
            img = ImageOps.exif_transpose(img)
            img = img.convert("RGB")
            img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            # A fresh image from the pixels alone: nothing of the original's metadata.
            clean = Image.new("RGB", img.size)
            clean.paste(img)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InvalidInput("reports.errors.photo_unreadable") from exc
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return ProcessedPhoto(out.getvalue(), clean.width, clean.height)


PENDING_HOURS = 24  # an upload never followed by a report is dropped after this
PENDING, STORED = "report_photo_pending", "report_photo"  # kinds of ``core.stored_files``


def _plain_name(name: str) -> bool:
    return name.endswith(".jpg") and "/" not in name and "\\" not in name and not name.startswith(".")


def stash_photo(photo: ProcessedPhoto) -> str:
    """Keep a cleaned upload (in the shared file store) until its report is sent, so the bytes
    never travel inside the Reflex state; returns its unguessable name. Old unclaimed uploads go."""
    from syros_app.core.db import session_scope
    from syros_app.core.timefmt import utcnow

    now = utcnow()
    with session_scope() as session:
        stored_files.purge(session, kind=PENDING, older_than=stored_files.pending_cutoff(now, PENDING_HOURS))
        return stored_files.put(session, kind=PENDING, data=photo.data, content_type="image/jpeg", now=now,
                                name=stored_files.new_name(".jpg"))


async def stash_uploads(files, *, have: int, limit: int) -> tuple[list[tuple[str, str]], AgoraError | None]:
    """Clean and stash uploaded files (up to ``limit`` in all), off the event loop: the
    (stashed name, file name shown) of each, and the last refusal if any."""
    stashed: list[tuple[str, str]] = []
    refusal = None
    for upload in files or []:
        if have + len(stashed) >= limit:
            return stashed, InvalidInput("reports.errors.too_many_photos", n=limit)
        data = await upload.read(MAX_BYTES + 1)  # never more than the cap into memory
        try:
            name = await asyncio.to_thread(lambda data=data: stash_photo(process_photo(data)))
            stashed.append((name, (upload.name or "photo")[:60]))
        except AgoraError as exc:
            refusal = exc
    return stashed, refusal


def claim_photo(session: Session, name: str) -> tuple[str, int, int]:
    """Make a stashed upload one of the stored photos (in the caller's transaction); its name and size."""
    if not _plain_name(name) or not stored_files.claim(session, name, pending=PENDING, kind=STORED):
        raise InvalidInput("reports.errors.photo_unreadable")
    with Image.open(io.BytesIO(stored_files.content_of(session, name, STORED))) as img:
        width, height = img.size
    return name, width, height


def photo_bytes(session: Session, name: str) -> bytes | None:
    """A stored photo's bytes, refusing anything that is not a plain stored name."""
    return stored_files.content_of(session, name, STORED) if _plain_name(name) else None

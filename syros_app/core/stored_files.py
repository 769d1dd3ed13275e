"""Uploaded and generated files, kept in the database.

Several app machines serve the same municipality: a photo uploaded through one must
be downloadable through another, and a backup of the database is then a backup of
the files too. Files are small here (photos are re-encoded to ≤ 1600 px, attachments
are capped), so the database is the simplest store every instance shares.

A file has an unguessable ``name`` and a ``kind`` saying what it belongs to; an upload
waiting for its form to be sent is kept under a ``…_pending`` kind and claimed (its
kind changed) in the same transaction as the thing it belongs to.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Column, LargeBinary, delete, update
from sqlmodel import Field, Session, SQLModel, select


class StoredFile(SQLModel, table=True):
    __tablename__ = "stored_file"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    kind: str = Field(max_length=40, index=True)
    content_type: str = Field(max_length=80)
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


def new_name(suffix: str = "") -> str:
    return secrets.token_urlsafe(18) + suffix


def put(session: Session, *, kind: str, data: bytes, content_type: str, now: datetime, name: str | None = None) -> str:
    """Store ``data``; returns its name (a new unguessable one unless given)."""
    name = name or new_name()
    session.add(StoredFile(name=name, kind=kind, content_type=content_type, size=len(data),
                           sha256=hashlib.sha256(data).hexdigest(), created_at=now, content=data))
    return name


def content_of(session: Session, name: str, kind: str) -> bytes | None:
    return session.exec(select(StoredFile.content).where(StoredFile.name == name, StoredFile.kind == kind)).first()


def claim(session: Session, name: str, *, pending: str, kind: str) -> bool:
    """Move a pending upload to ``kind``; False when there is no such pending upload."""
    result = session.execute(update(StoredFile).where(StoredFile.name == name, StoredFile.kind == pending)
                             .values(kind=kind))
    return result.rowcount == 1


def purge(session: Session, *, kind: str, older_than: datetime) -> int:
    """Drop files of ``kind`` made before ``older_than`` (unclaimed uploads)."""
    result = session.execute(delete(StoredFile).where(StoredFile.kind == kind, StoredFile.created_at < older_than))
    return result.rowcount or 0


def pending_cutoff(now: datetime, hours: int) -> datetime:
    return now - timedelta(hours=hours)

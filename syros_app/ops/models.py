"""The one table ops owns: each background process's last sign of life."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class WorkerHeartbeat(SQLModel, table=True):
    """Written by the notices worker and the voting ticker while they work; read by ``/readyz``.

    In the database (not one machine's memory) so every app instance reports the
    same truth, wherever the workers run.
    """

    __tablename__ = "ops_worker_heartbeat"

    name: str = Field(primary_key=True, max_length=40)
    beat_at: datetime
    host: str = Field(default="", max_length=120)
    pid: int = 0

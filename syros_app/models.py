"""Imports every table so ``SQLModel.metadata`` is complete (Alembic, tests)."""

from syros_app.capabilities import load_all
from syros_app.core.audit import AuditEntry  # noqa: F401
from syros_app.core.stored_files import StoredFile  # noqa: F401
from syros_app.ops.models import WorkerHeartbeat  # noqa: F401

load_all("models")

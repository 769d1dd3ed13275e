"""Imports every table so ``SQLModel.metadata`` is complete (Alembic, tests)."""

from syros_app.capabilities import CAPABILITY_PACKAGES, _optional
from syros_app.core.audit import AuditEntry  # noqa: F401

for _package in CAPABILITY_PACKAGES:
    _optional(_package, "models")

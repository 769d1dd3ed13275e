"""Imports every table so ``SQLModel.metadata`` is complete (Alembic, tests)."""

from syros_app.core.audit import AuditEntry  # noqa: F401
from syros_app.capabilities import CAPABILITY_PACKAGES  # noqa: F401
import importlib as _importlib

for _package in CAPABILITY_PACKAGES:
    try:
        _importlib.import_module(_package + ".models")
    except ModuleNotFoundError as exc:  # a capability without tables
        if exc.name != _package + ".models":
            raise

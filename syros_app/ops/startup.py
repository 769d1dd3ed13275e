"""The start-up refusal of ``serve app``: a database behind the code is never served."""

from __future__ import annotations

EXIT_MIGRATIONS_BEHIND = 3
EXIT_DATABASE_UNREACHABLE = 4


def check_database() -> tuple[int, str]:
    """``(0, "")`` when the database answers and is at the Alembic head, else an exit code and why."""
    from syros_app.core.db import get_engine

    from .checks import migration_state

    try:
        state = migration_state(get_engine())
    except Exception as exc:  # noqa: BLE001
        return EXIT_DATABASE_UNREACHABLE, f"the database does not answer ({exc.__class__.__name__}: {exc})"
    if not state.up_to_date:
        current = ", ".join(state.current) or "none (empty database)"
        return EXIT_MIGRATIONS_BEHIND, (
            f"the database's migrations are behind: it is at {current}, the code needs {', '.join(state.heads)}. "
            "Run `python -m syros_app db upgrade` (after a backup: `python -m syros_app backup create FILE`).")
    return 0, ""

"""Demo data for ``make run``: idempotent, realistic, in Greek.

Each capability registers a loader with :func:`demo_loader`; a loader checks
what already exists (by a stable natural key) and only adds what is missing,
returning how many rows it added.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from syros_app.core.db import session_scope

DemoLoader = Callable[[Session], int]
_LOADERS: list[tuple[str, DemoLoader]] = []


def demo_loader(name: str):
    def decorate(func: DemoLoader) -> DemoLoader:
        _LOADERS.append((name, func))
        return func

    return decorate


def load_demo_data() -> dict[str, int]:
    from syros_app.capabilities import load_all

    load_all("demo")
    summary: dict[str, int] = {}
    for name, loader in _LOADERS:
        with session_scope() as session:
            added = loader(session)
        if added:
            summary[name] = added
    return summary

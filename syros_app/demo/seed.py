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
    import importlib

    from syros_app.capabilities import CAPABILITY_PACKAGES

    for package in CAPABILITY_PACKAGES:
        try:
            importlib.import_module(package + ".demo")
        except ModuleNotFoundError as exc:
            if exc.name != package + ".demo":
                raise
    summary: dict[str, int] = {}
    for name, loader in _LOADERS:
        with session_scope() as session:
            added = loader(session)
        if added:
            summary[name] = added
    return summary

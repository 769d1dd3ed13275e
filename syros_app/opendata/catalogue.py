"""Every capability's datasets (their ``datasets`` modules), found once."""

from __future__ import annotations

from functools import cache

from syros_app.core.datasets import Dataset


@cache
def all_datasets() -> tuple[Dataset, ...]:
    from syros_app.capabilities import load_all

    found = [d for module in load_all("datasets") for d in module.DATASETS]
    names = [d.name for d in found]
    assert len(names) == len(set(names)), f"two datasets share a name: {names}"
    return tuple(found)


def dataset(name: str) -> Dataset | None:
    return next((d for d in all_datasets() if d.name == name), None)

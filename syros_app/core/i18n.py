"""Translation catalogues: Greek first, English second.

Each capability keeps its messages in ``syros_app/locales/<lang>/<capability>.json``
(flat ``"dotted.key": "text"`` objects) so capabilities do not edit one shared
file. All files of a language are merged into that language's catalogue; a key
defined twice is an error. Placeholders use ``{name}`` syntax.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .settings import LANGUAGES, get_settings

LANGUAGE_COOKIE = "syros_lang"  # the reader's language choice (not personal data)

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DEFAULT_LANGUAGE = "el"


class CatalogueError(RuntimeError):
    pass


def _load_language(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for key, text in entries.items():
            if key in merged:
                raise CatalogueError(f"{lang}: key {key!r} defined twice ({path.name})")
            if not isinstance(text, str):
                raise CatalogueError(f"{lang}: key {key!r} in {path.name} is not a string")
            merged[key] = text
    return merged


@lru_cache(maxsize=1)
def catalogues() -> dict[str, dict[str, str]]:
    return {lang: _load_language(lang) for lang in LANGUAGES}


def normalise_language(lang: str | None) -> str:
    """``lang`` if it is one of ours, else the site's default (``SYROS_DEFAULT_LANGUAGE``)."""
    return lang if lang in LANGUAGES else get_settings().default_language


def translate(key: str, lang: str | None = None, **params: object) -> str:
    """The message for ``key`` in ``lang``; falls back to Greek, then the key."""
    cats = catalogues()
    lang = normalise_language(lang)
    text = cats[lang].get(key) or cats[DEFAULT_LANGUAGE].get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def missing_keys() -> dict[str, set[str]]:
    """Keys present in one catalogue but not the other, per language lacking them."""
    cats = catalogues()
    all_keys = set().union(*(set(c) for c in cats.values()))
    return {lang: all_keys - set(cat) for lang, cat in cats.items() if all_keys - set(cat)}

"""Typed, translatable errors raised by services on refusal."""

from __future__ import annotations


class AgoraError(Exception):
    """A refusal a person should read: ``key`` names a catalogue message.

    Services raise it (or a subclass); states and API routes translate it with
    :func:`syros_app.core.i18n.translate` in the person's language.
    """

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str) -> str:
        from .i18n import translate

        return translate(self.key, lang, **self.params)


class PermissionDenied(AgoraError):
    def __init__(self, key: str = "errors.permission_denied", **params: object) -> None:
        super().__init__(key, **params)


class NotFound(AgoraError):
    def __init__(self, key: str = "errors.not_found", **params: object) -> None:
        super().__init__(key, **params)


class InvalidInput(AgoraError):
    """Input failed validation; nothing was changed."""

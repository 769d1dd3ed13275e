"""Small pieces every capability's Reflex states use: the reader's language, the
acting staff member, and running one service call with its outcome shown.

They keep the states thin and alike; the services still check permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import reflex as rx
from sqlmodel import Session

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from .i18n import LanguageState

if TYPE_CHECKING:
    from syros_app.identity.roles import Actor


async def reader_language(state: rx.State) -> str:
    """The language the reader chose ("el" or "en")."""
    return (await state.get_state(LanguageState)).lang


def staff_actor(state: rx.State) -> Actor | None:
    """The acting person when they are staff, else None (resolved on the server)."""
    # Imported here: identity.state itself uses this module (no import cycle at load time).
    from syros_app.identity.state import current_actor

    actor = current_actor(state)
    return actor if actor is not None and actor.is_staff else None


async def run_service(state: rx.State, work: Callable[[Session], Any], done_key: str = "", *,
                      done_attr: str = "notice", **params: Any) -> bool:
    """Run ``work(session)`` in one transaction and show the outcome on ``state``.

    Clears ``state.error`` and ``state.<done_attr>`` first; on success puts the
    ``done_key`` text (with ``params``; nothing without a key) in ``done_attr``, on a
    refusal (``AgoraError``) its message in ``error``, both in the reader's language.
    True on success.
    """
    lang = await reader_language(state)
    state.error = ""
    setattr(state, done_attr, "")
    try:
        with session_scope() as session:
            work(session)
    except AgoraError as exc:
        state.error = exc.message(lang)
        return False
    if done_key:
        setattr(state, done_attr, translate(done_key, lang, **params))
    return True

"""The pieces every capability's Reflex states share: the reader's language, the
acting person, and running one action (or one read) with its outcome shown.

States stay thin with these: they read input, call :func:`run_action` (or
:func:`read`) and turn the result into view data. The actor comes from the provider
identity registers in ``core.actors`` (resolved once per event, on the server);
permissions are checked by the action itself, never by the state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import reflex as rx
from sqlmodel import Session

from syros_app.core.actors import Actor, actor_of
from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate

from .i18n import LanguageState

T = TypeVar("T")


async def reader_language(state: rx.State) -> str:
    """The language the reader chose ("el" or "en")."""
    return (await state.get_state(LanguageState)).lang


def current_actor(state: rx.State) -> Actor | None:
    """The person behind this state's websocket, or None for a visitor."""
    return actor_of(state)


def staff_actor(state: rx.State) -> Actor | None:
    """The acting person when they are staff, else None (resolved on the server)."""
    actor = actor_of(state)
    return actor if actor is not None and actor.is_staff else None


def _in_transaction(work: Callable[[Session], T]) -> T:
    with session_scope() as session:
        return work(session)


async def read(work: Callable[[Session], T]) -> T:
    """Run database reads in one transaction off the event loop (other tabs go on)."""
    return await asyncio.to_thread(_in_transaction, work)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    value: Any = None
    error: AgoraError | None = None  # the refusal, for handlers that show more than its message

    def __bool__(self) -> bool:
        return self.ok


async def run_action(state: rx.State, action: Callable[..., Any], done_key: str = "", *,
                     done_attr: str = "notice",
                     done_params: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None,
                     **inputs: Any) -> Outcome:
    """Run ``action(session, actor=<the person behind the socket>, **inputs)`` in one
    transaction, off the event loop, and show its outcome on ``state``.

    Clears ``state.error`` and ``state.<done_attr>`` first; on success puts the
    ``done_key`` text (with ``done_params``, or ``done_params(result)`` when it needs the
    action's result) in ``done_attr``; on a refusal
    (``AgoraError``) its message in ``error`` — both in the reader's language.
    """
    actor = actor_of(state)
    lang = await reader_language(state)
    state.error = ""
    if done_attr:
        setattr(state, done_attr, "")
    try:
        value = await read(lambda session: action(session, actor=actor, **inputs))
    except AgoraError as exc:
        state.error = exc.message(lang)
        return Outcome(False, error=exc)
    if done_key and done_attr:
        params = done_params(value) if callable(done_params) else (done_params or {})
        setattr(state, done_attr, translate(done_key, lang, **params))
    return Outcome(True, value)


async def run_service(state: rx.State, work: Callable[[Session], Any], done_key: str = "", *,
                      done_attr: str = "notice", **params: Any) -> bool:
    """Older form of :func:`run_action` for a prepared ``work(session)``."""
    lang = await reader_language(state)
    state.error = ""
    setattr(state, done_attr, "")
    try:
        await read(work)
    except AgoraError as exc:
        state.error = exc.message(lang)
        return False
    if done_key:
        setattr(state, done_attr, translate(done_key, lang, **params))
    return True


# --- one item's page whose steps report an outcome ----------------------------------------------

class OutcomePage(rx.State, mixin=True):
    """A page of one item (an event, a proposal, a project) whose steps report their outcome
    in ``error``/``notice``, cleared when the page loads; the page's ``_reload`` reads the item."""

    error: str = ""
    notice: str = ""
    logged_in: bool = False

    @rx.event
    async def load(self):
        self.error = self.notice = ""
        await self._reload()


# --- confirmation of irreversible or public steps ---------------------------------------------

class Confirming(rx.State, mixin=True):
    """What a page's confirmation dialog (``components.confirm_dialog``) says, and which
    step it confirms. ``_ask`` fills it in and opens the dialog; the page's own
    ``confirm(form_data)`` handler runs the step named in the form (never a step kept
    here: the form is the whole request, checked by the action like any other)."""

    confirm_step: str = ""
    confirm_target: int = 0
    confirm_payload: str = ""
    confirm_title: str = ""
    confirm_what: str = ""
    confirm_who: str = ""
    confirm_label: str = ""
    confirm_reason: bool = False
    reason_error: str = ""

    async def _ask(self, step: str, target: int, *, title: str, what: str, who: str, label: str,
                   reason: bool = False, payload: str = "", **params: Any):
        """Fill the dialog in (catalogue keys, formatted with ``params`` in the reader's
        language) and open it."""
        from .components import CONFIRM_DIALOG, open_dialog

        lang = await reader_language(self)
        self.confirm_step, self.confirm_target, self.confirm_payload = step, int(target or 0), payload
        self.confirm_title, self.confirm_what, self.confirm_who, self.confirm_label = (
            translate(key, lang, **params) for key in (title, what, who, label))
        self.confirm_reason, self.reason_error = reason, ""
        return open_dialog(CONFIRM_DIALOG)

    async def _confirmed(self, action: Callable[..., Any], done_key: str, *, done_attr: str = "notice",
                         **inputs: Any):
        """Run the confirmed step; a missing or short reason shows beside the reason field
        and keeps the dialog open, anything else closes it."""
        from .components import CONFIRM_DIALOG, close_dialog

        outcome = await run_action(self, action, done_key, done_attr=done_attr, **inputs)
        self.reason_error = ""
        error = outcome.error
        if error is not None and (error.params.get("field") == "reason" or "reason_" in error.key):
            self.reason_error, self.error = self.error, ""
            return outcome, None
        return outcome, close_dialog(CONFIRM_DIALOG)

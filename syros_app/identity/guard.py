"""Identity for every websocket event: who acts, and a clean tab when that changes.

The guard is a Reflex middleware that runs before every event handler, the first
``hydrate`` of a (re)connected page included. It

1. opens the event's actor scope and resolves the session once (every later
   ``actor_of``/``current_actor`` in the same event reuses it), and
2. compares the person behind the socket with the person the tab's server-side state
   was filled for. After a logout, a login as someone else or an expired session, it
   resets every state of the app to its defaults (language choice excepted) *before*
   the handler runs — so the hydrate that follows a logout sends defaults, never the
   previous person's name, tracker, birth year, rolls or a staff queue.
"""

from __future__ import annotations

import reflex as rx

from syros_app.core.actors import actor_of, begin_event, identity_key
from syros_app.ui.i18n import LanguageState


class IdentityGuardState(rx.State):
    """Whom this tab's state belongs to (backend only, never sent to the browser)."""

    _identity: str = ""


def kept_across_identity() -> frozenset[type[rx.State]]:
    """States that hold nothing personal and survive a change of person."""
    return frozenset({LanguageState, IdentityGuardState})


def app_states() -> list[type[rx.State]]:
    """Every state class of the app (``syros_app.*``), parents before children."""
    found: list[type[rx.State]] = []
    pending = sorted(rx.State.get_substates(), key=lambda c: c.get_full_name())
    while pending:
        cls = pending.pop(0)
        if cls.__module__.startswith("syros_app."):
            found.append(cls)
        pending.extend(sorted(cls.get_substates(), key=lambda c: c.get_full_name()))
    return found


async def reset_for_new_identity(root: rx.State, key: str) -> bool:
    """Reset every app state if ``key`` is not the tab's identity; True if it did."""
    guard = await root.get_state(IdentityGuardState)
    if guard._identity == key:
        return False
    keep = kept_across_identity()
    for cls in app_states():
        if cls not in keep:
            (await root.get_state(cls)).reset()
    guard._identity = key
    return True


class IdentityGuard(rx.Middleware):
    async def preprocess(self, app, state, event):  # noqa: D401 - Reflex's interface
        begin_event()
        root = state._get_root_state() if hasattr(state, "_get_root_state") else state
        await reset_for_new_identity(root, identity_key(actor_of(root)))
        return None


def install(app: rx.App) -> None:
    app.add_middleware(IdentityGuard())

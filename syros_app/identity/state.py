"""The Reflex side of identity: who is acting, resolved on the server.

``current_actor(state)`` reads the session cookie from the websocket handshake
headers (set by the server from the socket, never from an event's payload)
and looks the session up in the database, on every call. Handlers that write
call it and pass the result to a service, which checks permissions.
"""

from __future__ import annotations

import reflex as rx

from syros_app.core.db import session_scope

from .roles import Actor
from .sessions import resolve_cookie_header


def current_actor(state: rx.State) -> Actor | None:
    cookie_header = state.router.headers.cookie if state.router and state.router.headers else ""
    with session_scope() as session:
        return resolve_cookie_header(session, cookie_header)


class StaffState(rx.State):
    """Base of every state whose handlers only staff may use.

    It is a marker for the refusal test (tests/support/refusal.py), which fires
    every event handler of every subclass as an anonymous visitor and as a
    resident and asserts that nothing changes. Handlers still check on the
    server, through the capability's service and permissions.
    """

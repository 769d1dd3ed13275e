"""A tab's server-side state is cleared whenever the person behind it changes.

The identity guard runs before every event (the hydrate after a logout included). Here
every text var of every app state is filled with a marker, as if a person had used
every page; then the person behind the socket changes and no marker may be left in
what the state would send. The language choice survives.
"""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.istate.data import RouterData

from syros_app.core.actors import actor_of, begin_event
from syros_app.core.db import session_scope
from syros_app.identity.guard import IdentityGuard, IdentityGuardState, app_states, kept_across_identity
from syros_app.identity.sessions import end_login_session, token_from_cookie_header
from syros_app.ui.i18n import LanguageState
from tests.support import personas
from tests.support.refusal import load_all_states

load_all_states()
MARK = "PRIVATE-MARKER"


def _tree() -> rx.State:
    return rx.State(_reflex_internal_init=True)


def _walk(state: rx.State):
    yield state
    for sub in state.substates.values():
        yield from _walk(sub)


def _set_cookie(root: rx.State, cookie: str) -> None:
    router = RouterData.from_router_data({"headers": {"cookie": cookie} if cookie else {}, "pathname": "/", "query": {}})
    for state in _walk(root):
        state.router = router


def _fill_with_markers(root: rx.State) -> int:
    filled = 0
    for state in _walk(root):
        if type(state) not in set(app_states()) or type(state) in kept_across_identity():
            continue
        for name, f in type(state).__fields__.items():
            if f._owner is type(state) and not name.startswith("_") and isinstance(f.default_value(), str):
                setattr(state, name, MARK)
                filled += 1
    return filled


def _sent(root: rx.State) -> str:
    return repr(root.dict())


def _event(root: rx.State) -> None:
    asyncio.run(IdentityGuard().preprocess(None, root, None))


def _people():
    with session_scope() as session:
        eleni = personas.make_person(session, "eleni")
        nikos = personas.make_person(session, "nikos")
        return personas.login_cookie(session, eleni), personas.login_cookie(session, nikos)


def test_logout_clears_every_state_but_the_language(engine):
    eleni, _ = _people()
    root = _tree()
    _set_cookie(root, eleni)
    _event(root)
    assert _fill_with_markers(root) > 20
    language = root.get_substate(LanguageState.get_full_name().split(".")[1:])
    language.lang = "en"
    _event(root)  # the same person: nothing is cleared
    assert MARK in _sent(root)
    _set_cookie(root, "")  # after logout the page reconnects without the cookie
    _event(root)
    assert MARK not in _sent(root)
    assert language.lang == "en"


def test_login_as_someone_else_clears(engine):
    eleni, nikos = _people()
    root = _tree()
    _set_cookie(root, eleni)
    _event(root)
    _fill_with_markers(root)
    _set_cookie(root, nikos)
    _event(root)
    assert MARK not in _sent(root)
    guard = root.get_substate(IdentityGuardState.get_full_name().split(".")[1:])
    assert guard._identity.startswith("person:")


def test_an_ended_session_clears_even_with_the_same_cookie(engine):
    """Expiry or logout elsewhere: the socket still carries the old cookie, the
    session behind it is gone."""
    eleni, _ = _people()
    root = _tree()
    _set_cookie(root, eleni)
    _event(root)
    _fill_with_markers(root)
    with session_scope() as session:
        end_login_session(session, token_from_cookie_header(eleni))
    _event(root)
    assert MARK not in _sent(root)


def test_the_actor_is_resolved_once_per_event(engine, monkeypatch):
    eleni, _ = _people()
    from syros_app.identity import sessions

    calls = []
    original = sessions.resolve_cookie_header
    monkeypatch.setattr(sessions, "resolve_cookie_header", lambda *a, **k: calls.append(1) or original(*a, **k))
    root = _tree()
    _set_cookie(root, eleni)

    async def one_event():
        begin_event()
        first = actor_of(root)
        assert actor_of(root) == first and actor_of(root) == first
        begin_event()  # the next event resolves again
        actor_of(root)

    asyncio.run(one_event())
    assert len(calls) == 2

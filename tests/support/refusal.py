"""Fire every write handler of staff-only states as a visitor and as a resident.

Any websocket client can send any event with any arguments, so hidden buttons
are no protection. This helper builds the real state tree, sets the handshake
``Cookie`` header the way the server does (anonymous, or a resident's live
session), calls each handler with made-up arguments and asserts that the
database is exactly as before. A refusal may surface as a typed
``AgoraError``; any other exception fails (check who acts before anything else).

Staff states are found automatically: every subclass of
``syros_app.identity.state.StaffState`` defined in the app's modules.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import reflex as rx
from reflex.istate.data import RouterData
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from syros_app.capabilities import load_all
from syros_app.core.errors import AgoraError
from syros_app.identity.state import StaffState

_SAMPLES: dict[type, object] = {int: 1, str: "1", float: 1.0, bool: True, dict: {"id": "1"}, list: ["1"]}


def load_all_states() -> None:
    """Import every capability's state and pages modules so their classes exist."""
    load_all("state")
    load_all("pages")
    importlib.import_module("syros_app.syros_app")


def staff_states() -> list[type[rx.State]]:
    found: list[type[rx.State]] = []
    pending = list(StaffState.get_substates())
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("syros_app."):
            found.append(cls)
        pending.extend(cls.get_substates())
    return sorted(found, key=lambda c: c.get_full_name())


def own_handlers(state_cls: type[rx.State]) -> list[str]:
    inherited = set(rx.State.event_handlers)
    return sorted(name for name in state_cls.event_handlers if name not in inherited)


def _sample_for(annotation: object) -> object:
    origin = typing.get_origin(annotation) or annotation
    if origin in _SAMPLES:
        return _SAMPLES[origin]
    for arg in typing.get_args(annotation):  # Optional[int], int | None, …
        if arg in _SAMPLES:
            return _SAMPLES[arg]
    return "1"


def sample_arguments(state_cls: type[rx.State], handler: str) -> list[object]:
    fn = state_cls.event_handlers[handler].fn
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # noqa: BLE001 - unresolvable hints: fall back to strings
        hints = {}
    params = list(inspect.signature(fn).parameters.values())[1:]
    return [
        _sample_for(hints.get(p.name, str))
        for p in params
        if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


def _substate(state_cls: type[rx.State], cookie_header: str) -> rx.State:
    root = rx.State(_reflex_internal_init=True)
    headers = {"cookie": cookie_header} if cookie_header else {}
    router = RouterData.from_router_data({"headers": headers, "pathname": "/", "query": {}})
    path = state_cls.get_full_name().split(".")[1:]
    for state in [root, *_walk(root)]:
        state.router = router
    return root.get_substate(path)


def _walk(state: rx.State) -> Iterable[rx.State]:
    for sub in state.substates.values():
        yield sub
        yield from _walk(sub)


def fire(state_cls: type[rx.State], handler: str, cookie_header: str, args: list[object] | None = None) -> rx.State:
    """Call one handler the way an event would, consuming whatever it yields; the state after it."""
    state = _substate(state_cls, cookie_header)
    fn = state_cls.event_handlers[handler].fn
    try:
        result = fn(state, *(args if args is not None else sample_arguments(state_cls, handler)))
    except AgoraError:
        return state

    async def consume(value):
        if inspect.isasyncgen(value):
            async for _ in value:
                pass
        elif inspect.iscoroutine(value):
            await value

    try:
        if inspect.isgenerator(result):
            for _ in result:
                pass
        else:
            asyncio.run(consume(result))
    except AgoraError:
        pass
    return state


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    tables = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(sa_select(table)).all()
            tables[table.name] = sorted((tuple(map(repr, row)) for row in rows))
    return tables


def assert_refused(engine: Engine, state_cls: type[rx.State], handler: str, cookie_header: str, who: str) -> None:
    before = snapshot(engine)
    fire(state_cls, handler, cookie_header)
    after = snapshot(engine)
    changed = [name for name in before if before[name] != after[name]]
    # A resident's own session row may be touched (last_seen_at); nothing else.
    changed = [name for name in changed if name != "login_session"]
    assert not changed, f"{state_cls.get_full_name()}.{handler} as {who} changed {changed}"


# --- positive control: the same handlers, on seeded data, must work for staff ------------------

@dataclass(frozen=True)
class StaffCase:
    """One staff handler fired with real arguments on the demo data.

    ``args`` builds the arguments from the seeded database (ids of real rows);
    ``changes`` names tables of which at least one must change when staff fire it;
    ``persona`` is the staff member who fires it ("admin" or "moderator").
    """

    state: str  # "syros_app.<capability>.state.<Class>"
    handler: str
    args: Callable[[Session], list[Any]]
    changes: tuple[str, ...]
    persona: str = "admin"

    @property
    def id(self) -> str:
        return f"{self.state.rsplit('.', 1)[-1]}.{self.handler}"

    def state_class(self) -> type[rx.State]:
        module, _, name = self.state.rpartition(".")
        return getattr(importlib.import_module(module), name)


# Fields every staff page sets whoever asks (whether the page is allowed, a message…).
PAGE_FIELDS = frozenset({"loaded", "allowed", "error", "notice", "form_key", "is_admin", "is_staff"})


def shown_data(state: rx.State) -> dict[str, Any]:
    """The state's own fields that differ from their defaults, page bookkeeping aside."""
    cls = type(state)
    return {name: getattr(state, name) for name, f in cls.__fields__.items()
            if f._owner is cls and not name.startswith("_") and name not in PAGE_FIELDS
            and getattr(state, name) != f.default_value()}


@dataclass(frozen=True)
class ViewCase:
    """A staff page's load, on the demo data: staff see data, visitors and residents none."""

    state: str
    handler: str = "load"
    args: Callable[[Session], list[Any]] = lambda session: []
    persona: str = "admin"

    @property
    def id(self) -> str:
        return f"{self.state.rsplit('.', 1)[-1]}.{self.handler}(view)"

    def state_class(self) -> type[rx.State]:
        return StaffCase.state_class(self)  # type: ignore[arg-type]


def all_view_cases() -> list[ViewCase]:
    package = importlib.import_module("tests.support.refusal_cases")
    return [case for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
            for case in getattr(importlib.import_module(f"tests.support.refusal_cases.{info.name}"), "VIEW_CASES", [])]


def all_cases() -> tuple[list[StaffCase], dict[str, set[str]], dict[tuple[str, str], str]]:
    """Every capability's cases, read-only handlers and staff-only permissions that no state
    handler asks for (``NOT_FROM_STATES``: permission → the test that covers it), from
    tests/support/refusal_cases/<capability>.py."""
    cases: list[StaffCase] = []
    read_only: dict[str, set[str]] = {}
    elsewhere: dict[tuple[str, str], str] = {}
    package = importlib.import_module("tests.support.refusal_cases")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"tests.support.refusal_cases.{info.name}")
        cases.extend(getattr(module, "CASES", []))
        for state, handlers in getattr(module, "READ_ONLY", {}).items():
            read_only.setdefault(state, set()).update(handlers)
        for permission, where in getattr(module, "NOT_FROM_STATES", {}).items():
            elsewhere[(info.name, permission)] = where
    return cases, read_only, elsewhere


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [name for name in before if before[name] != after[name] and name != "login_session"]


class EnforceRecorder:
    """Records every (capability, permission) a role matrix is asked about."""

    def __init__(self) -> None:
        self.asked: set[tuple[str, str]] = set()

    def __enter__(self) -> EnforceRecorder:
        from syros_app.core.actions import RoleMatrix

        self._original = RoleMatrix.allows
        recorder = self

        def allows(matrix, actor, action, subject=None):
            recorder.asked.add((matrix.capability, action))
            return recorder._original(matrix, actor, action, subject)

        RoleMatrix.allows = allows
        return self

    def __exit__(self, *exc) -> None:
        from syros_app.core.actions import RoleMatrix

        RoleMatrix.allows = self._original

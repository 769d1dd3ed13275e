"""The kernel's layering rules, checked on the source so they cannot quietly erode.

- actions never commit or roll back (only ``session_scope`` does);
- every public function of an ``actions`` module that takes a session is an ``@action``
  (or says in ``NOT_ACTIONS`` why not);
- states open no database session of their own and never sleep (``read``/``run_action``
  run the work off the event loop).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import syros_app
from syros_app.capabilities import CAPABILITY_PACKAGES, optional_module

ROOT = Path(syros_app.__file__).resolve().parent
# Functions in actions modules that are deliberately not actions, and why.
NOT_ACTIONS = {
    "advance_schedules": "the voting ticker's time-driven step: no actor, run by the worker",
}


def _calls(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            found.append((node.func.attr, node.lineno))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            found.append((node.func.id, node.lineno))
    return found


def test_actions_never_commit_or_roll_back():
    bad = [f"{p.relative_to(ROOT)}:{line} {name}()" for p in ROOT.rglob("*actions.py")
           for name, line in _calls(p) if name in ("commit", "rollback")]
    assert not bad, bad


def test_states_open_no_session_and_never_sleep():
    bad = [f"{p.relative_to(ROOT)}:{line} {name}()" for p in ROOT.rglob("*state.py")
           for name, line in _calls(p) if name in ("session_scope", "sleep", "Session")]
    assert not bad, bad


def test_every_public_write_is_an_action():
    missing, actions = [], 0
    modules = [m for p in CAPABILITY_PACKAGES for n in ("actions", "desk_actions")
               if (m := optional_module(p, n)) is not None]
    for module in modules:
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            actions += hasattr(fn, "action_info")
            params = list(inspect.signature(fn).parameters)
            if params[:1] == ["session"] and "actor" in params and not hasattr(fn, "action_info") \
                    and name not in NOT_ACTIONS:
                missing.append(f"{module.__name__}.{name}")
    assert not missing, f"writes that are not @action: {missing}"
    assert actions >= 40, f"only {actions} actions found: is the scan still looking at the right modules?"

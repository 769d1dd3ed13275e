"""The one shape of every write, and of every permission.

**Permissions** are data: each capability writes one :class:`RoleMatrix`, a table of
*action name → roles allowed* (roles from :class:`~syros_app.core.actors.Role`), with
optional conditions on the subject (e.g. "only the author, within 15 minutes"). The
README renders every matrix (``python -m syros_app roles matrix``); a test keeps it in
step.

**Actions** are functions ``verb_noun(session, *, actor, now, **input)`` decorated with
:func:`action`. The decorator, in this order:

1. checks the matrix for ``actor`` — a refusal comes before any input is looked at;
2. validates the input against a typed schema built from the function's own
   annotations (pydantic, lax mode): text must be text (a dict is refused), numbers
   numbers, and an ``*_id`` beyond 64 bits is simply "not found", never a 500;
3. fills ``now`` (aware UTC) when the caller gave none;
4. runs the body in the caller's transaction and turns a database ``IntegrityError``
   into a typed :class:`Conflict`.

Actions never commit or roll back — :func:`syros_app.core.db.session_scope` does, so an
action and its audit row and outbox rows stand or fall together. Staff actions write
their audit row with :func:`audit`.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from . import audit as audit_log
from .actors import Actor, Role, roles_of
from .errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from .timefmt import as_utc, utcnow

F = TypeVar("F", bound=Callable[..., Any])

MAX_ID = 2**63 - 1  # the largest id a BIGINT holds; anything beyond names no row
ROLE_ORDER = (Role.VISITOR, Role.RESIDENT, Role.MODERATOR, Role.DEPARTMENT_OFFICER, Role.ADMINISTRATOR)
# The roles a person of each kind acts in (a moderator is also a resident and a visitor).
_HELD_BY = {role: frozenset({Role.VISITOR} if role == Role.VISITOR else {Role.VISITOR, Role.RESIDENT, role})
            for role in ROLE_ORDER}


class Conflict(AgoraError):
    """The change collides with another one (a unique row exists already); nothing changed."""

    def __init__(self, key: str = "errors.conflict", **params: object) -> None:
        super().__init__(key, **params)


# --- permissions --------------------------------------------------------------------------------

Condition = Callable[[Actor, Any], bool]


@dataclass(frozen=True)
class Permission:
    roles: frozenset[str]
    condition: Condition | None = None
    condition_note: str = ""  # said in the README beside the roles


class RoleMatrix:
    """Who may do what in one capability, written as data.

    ``rules`` maps an action name to the roles allowed (any one suffices). A visitor is
    only ``visitor``; a logged-in person is also ``resident``; staff add their grants.
    ``conditions`` adds a test on the subject for some actions (called with the actor
    and the subject row when :meth:`enforce` is given one). ``register=False`` keeps a
    matrix out of the app's list (tests).
    """

    _all: dict[str, RoleMatrix] = {}

    def __init__(self, capability: str, rules: Mapping[str, Iterable[str]], *,
                 conditions: Mapping[str, tuple[Condition, str]] | None = None,
                 login_key: str = "errors.login_required", refusal_key: str = "errors.permission_denied",
                 refusal_keys: Mapping[str, str] | None = None, login_keys: Mapping[str, str] | None = None,
                 register: bool = True) -> None:
        conditions = conditions or {}
        unknown = set(conditions) - set(rules)
        if unknown:
            raise ValueError(f"conditions for actions not in the matrix: {sorted(unknown)}")
        self.capability = capability
        self.permissions = {
            name: Permission(frozenset(Role(r) for r in roles), *conditions.get(name, (None, "")))
            for name, roles in rules.items()
        }
        self.login_key = login_key
        self.refusal_key = refusal_key
        self.refusal_keys = dict(refusal_keys or {})
        self.login_keys = dict(login_keys or {})
        if register:  # listed in the README and checked by the refusal test
            RoleMatrix._all[capability] = self

    @classmethod
    def all(cls) -> list[RoleMatrix]:
        return sorted(cls._all.values(), key=lambda m: m.capability)

    def _permission(self, action: str) -> Permission:
        try:
            return self.permissions[action]
        except KeyError:
            raise KeyError(f"{self.capability}: no permission named {action!r} in the role matrix") from None

    def allows(self, actor: Actor | None, action: str, subject: Any = None) -> bool:
        permission = self._permission(action)
        if not permission.roles & roles_of(actor):
            return False
        if subject is not None and permission.condition is not None:
            return actor is not None and bool(permission.condition(actor, subject))
        return True

    def enforce(self, actor: Actor | None, action: str, subject: Any = None) -> Actor | None:
        """The actor, if the matrix allows the action; otherwise a translatable refusal."""
        if self.allows(actor, action, subject):
            return actor
        if actor is None:
            raise PermissionDenied(self.login_keys.get(action, self.login_key))
        raise PermissionDenied(self.refusal_keys.get(action, self.refusal_key))

    def markdown(self) -> str:
        """The matrix as a Markdown table (rendered into the README)."""
        lines = [f"| {self.capability} | " + " | ".join(r.value for r in ROLE_ORDER) + " |",
                 "|---|" + "---|" * len(ROLE_ORDER)]
        for name, permission in self.permissions.items():
            cells = []
            for role in ROLE_ORDER:
                allowed = bool(permission.roles & _HELD_BY[role])
                cell = "✓" if allowed else "·"
                if allowed and permission.condition_note:
                    cell += f" ({permission.condition_note})"
                cells.append(cell)
            lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
        return "\n".join(lines)


def matrices_markdown() -> str:
    return "\n\n".join(matrix.markdown() for matrix in RoleMatrix.all())


# --- input schemas ------------------------------------------------------------------------------

_NOT_INPUT = {"session", "actor", "now"}
_ID = Annotated[int, Field(ge=-MAX_ID - 1, le=MAX_ID)]


def _is_plain_int(annotation: object) -> bool:
    if annotation is int:
        return True
    args = typing.get_args(annotation)
    return bool(args) and int in args and all(a in (int, type(None)) for a in args)


def input_schema(fn: Callable[..., Any]) -> type[BaseModel] | None:
    """A pydantic model of ``fn``'s input (every parameter but session, actor and now)."""
    hints = typing.get_type_hints(fn, include_extras=True)
    fields: dict[str, Any] = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name in _NOT_INPUT or param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        annotation = hints.get(name, Any)
        if name.endswith("_id") and _is_plain_int(annotation):
            annotation = _ID if annotation is int else _ID | None
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[name] = (annotation, default)
    if not fields:
        return None
    config = ConfigDict(arbitrary_types_allowed=True, extra="forbid", hide_input_in_errors=True)
    return create_model(f"{fn.__module__.replace('.', '_')}_{fn.__name__}_input", __config__=config, **fields)


_EXACT = {int: int, str: str, bool: bool}


def _exact_check(annotation: object, is_id: bool) -> Callable[[Any], bool] | None:
    """A check that ``value`` already is exactly of a simple annotated type (then pydantic
    would change nothing), or None when the annotation is not that simple."""
    optional = False
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            return None
        annotation, optional = rest[0], True
    if annotation in _EXACT:
        kind = _EXACT[annotation]

        def scalar(value: Any) -> bool:
            if value is None:
                return optional
            return type(value) is kind and (not is_id or -MAX_ID - 1 <= value <= MAX_ID)
        return scalar
    if typing.get_origin(annotation) is list and typing.get_args(annotation) in ((int,), (str,)):
        item = typing.get_args(annotation)[0]
        return lambda value: (value is None and optional) or (
            type(value) is list and all(type(v) is item for v in value))
    return None


def fast_path(fn: Callable[..., Any]) -> Callable[[dict[str, Any]], dict[str, Any] | None] | None:
    """For hot actions (a vote's cast): input that already has exactly the annotated simple
    types is taken as it is — what pydantic would return — without building a model; None
    means "validate with the schema". None for functions whose annotations are not simple
    (``Annotated`` constraints included: those always go through pydantic)."""
    hints = typing.get_type_hints(fn, include_extras=True)
    checks: dict[str, Callable[[Any], bool]] = {}
    defaults: dict[str, Any] = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name in _NOT_INPUT or param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        check = _exact_check(hints.get(name, Any), name.endswith("_id"))
        if check is None or (param.default is not inspect.Parameter.empty
                             and not isinstance(param.default, (int, str, bool, type(None)))):
            return None
        checks[name] = check
        if param.default is not inspect.Parameter.empty:
            defaults[name] = param.default

    def take(values: dict[str, Any]) -> dict[str, Any] | None:
        if not values.keys() <= checks.keys():
            return None
        for name, check in checks.items():
            if name in values:
                if not check(values[name]):
                    return None
            elif name not in defaults:
                return None
        return {**defaults, **values}

    return take


def validate_input(schema: type[BaseModel] | None, values: dict[str, Any]) -> dict[str, Any]:
    """The validated input, or a typed refusal naming the first bad field."""
    if schema is None:
        if values:
            raise InvalidInput("errors.invalid_input", field=next(iter(values)))
        return values
    try:
        model = schema.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else ""
        if name.endswith("_id") and first["type"] in {"greater_than_equal", "less_than_equal", "int_parsing",
                                                      "int_from_float", "int_type"}:
            raise NotFound() from None
        raise InvalidInput("errors.invalid_input", field=name) from None
    return {name: getattr(model, name) for name in schema.model_fields}


# --- actions ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActionInfo:
    matrix: RoleMatrix
    permission: str


def action(matrix: RoleMatrix, permission: str | None = None) -> Callable[[F], F]:
    """Make ``fn(session, *, actor, now, **input)`` an action (see the module docstring).

    ``permission`` names the matrix entry (default: the function's name).
    """

    def decorate(fn: F) -> F:
        name = permission or fn.__name__
        matrix._permission(name)  # a typo fails at import, not at the first click
        params = inspect.signature(fn).parameters
        if "actor" not in params or params["actor"].kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{fn.__qualname__}: an action takes a keyword-only actor")
        takes_now = "now" in params
        schema_holder: list = []  # (schema, fast path), built at first use

        @functools.wraps(fn)
        def run(session: Session, *, actor: Actor | None, now: datetime | None = None, **values: Any) -> Any:
            matrix.enforce(actor, name)
            if not schema_holder:  # built at first use: annotations may name later classes
                schema_holder.append((input_schema(fn), fast_path(fn)))
            schema, fast = schema_holder[0]
            clean = (fast(values) if fast is not None else None) or validate_input(schema, values)
            if takes_now:
                clean["now"] = as_utc(now or utcnow())
            try:
                return fn(session, actor=actor, **clean)
            except IntegrityError as exc:
                raise Conflict() from exc

        run.action_info = ActionInfo(matrix, name)  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate


def audit(session: Session, actor: Actor | None, action_name: str, target: str, *, now: datetime,
          details: dict | None = None) -> None:
    """The audit row of a staff action, in the action's own transaction."""
    audit_log.record(session, actor=actor.audit_name if actor else "system", action=action_name,
                     target=target, details=details, now=now)

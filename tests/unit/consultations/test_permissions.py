"""The consultations role matrix: who may run each action, typed input refusals, and the
staff-only views (drafts, the moderation queue) that no write handler reaches."""

from __future__ import annotations

import asyncio
import inspect
import typing
from datetime import datetime

import pytest

from syros_app.consultations import actions, queries
from syros_app.consultations.permissions import MATRIX
from syros_app.consultations.state import ModerationState, StaffConsultationState
from syros_app.core.actions import ActionInfo
from syros_app.core.actors import Role
from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.core.timefmt import utcnow
from tests.support import personas
from tests.support.refusal import _substate, load_all_states

from .helpers import NOW, make_consultation

load_all_states()

ACTIONS = sorted((name, fn) for name, fn in vars(actions).items()
                 if inspect.isfunction(fn) and isinstance(getattr(fn, "action_info", None), ActionInfo))
STAFF = {name for name, p in MATRIX.permissions.items() if p.roles <= {Role.MODERATOR, Role.ADMINISTRATOR}}
MODERATION = {name for name, p in MATRIX.permissions.items() if Role.MODERATOR in p.roles}


def _inputs(fn) -> dict[str, object]:
    """Well-typed stand-in input for every required parameter of an action."""
    body = fn.__wrapped__
    hints = typing.get_type_hints(body)
    samples = {str: "Κείμενο", int: 1, bytes: b"%PDF-", datetime: NOW}
    out = {}
    for name, param in inspect.signature(body).parameters.items():
        if name in ("session", "actor", "now") or param.default is not inspect.Parameter.empty:
            continue
        hint = hints[name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        out[name] = [1] if typing.get_origin(hint) is list else samples[hint if hint in samples else args[0]]
    return out


def test_every_write_is_an_action_of_the_matrix():
    public = [name for name, fn in vars(actions).items() if inspect.isfunction(fn) and not name.startswith("_")
              and fn.__module__ == actions.__name__]
    assert sorted(public) == [name for name, _fn in ACTIONS]
    assert {fn.action_info.permission for _n, fn in ACTIONS} | {"reply", "view_drafts", "view_queue"} == set(MATRIX.permissions)


@pytest.mark.parametrize("name,fn", ACTIONS, ids=[n for n, _f in ACTIONS])
def test_each_action_refuses_per_the_matrix_before_reading_input(name, fn):
    moderator = personas.Actor(person_id=7, display_name="Μ", taxid_hmac="m", roles=frozenset({Role.MODERATOR}))
    resident = personas.Actor(person_id=8, display_name="Ρ", taxid_hmac="r")
    with pytest.raises(PermissionDenied) as refused:
        fn(None, actor=None, anything={"x": 1})
    assert refused.value.key == "consultations.errors.login_required"
    staff_only = fn.action_info.permission in STAFF
    administrator = personas.Actor(person_id=9, display_name="Δ", taxid_hmac="a",
                                   roles=frozenset({Role.ADMINISTRATOR}))
    permission = fn.action_info.permission
    moderator_refused = staff_only and permission not in MODERATION
    for actor, refused_expected in ((resident, staff_only), (moderator, moderator_refused), (administrator, False)):
        with pytest.raises(AgoraError) as err:
            fn(None, actor=actor, anything={"x": 1})  # an unknown keyword: refused by the schema if allowed
        assert isinstance(err.value, PermissionDenied) == refused_expected, (name, actor.roles)
        if refused_expected:
            assert err.value.key == ("consultations.errors.moderators_only" if permission in MODERATION
                                     else "consultations.errors.administrators_only")


def _staff_or_resident(fn):
    if fn.action_info.permission in STAFF:
        return personas.Actor(person_id=7, display_name="Μ", taxid_hmac="m", roles=frozenset({Role.ADMINISTRATOR}))
    return personas.Actor(person_id=8, display_name="Ρ", taxid_hmac="r")


@pytest.mark.parametrize("name,fn", ACTIONS, ids=[n for n, _f in ACTIONS])
def test_schema_refuses_wrong_types_and_impossible_ids(name, fn):
    actor, good = _staff_or_resident(fn), _inputs(fn)
    optional_ids = [n for n in inspect.signature(fn.__wrapped__).parameters if n.endswith("_id") and n not in good]
    for field in [*good, *optional_ids]:
        bad_values = [2**70, "abc"] if field.endswith("_id") else [{"id": "1"}]
        for bad in bad_values:
            with pytest.raises(AgoraError) as err:
                fn(None, actor=actor, **{**good, field: bad})  # refused before the body touches the database
            if field.endswith("_id"):
                assert type(err.value) is NotFound and err.value.key == "errors.not_found", (field, bad)
            else:
                assert type(err.value) is InvalidInput and err.value.key == "errors.invalid_input", field


def test_edit_and_withdraw_are_for_the_author_only(session):
    mod, eleni, nikos = (personas.administrator(session, "moderator"), personas.resident(session, "eleni"),
                         personas.resident(session, "nikos"))
    c = make_consultation(session, mod)
    comment = actions.post_comment(session, actor=eleni, consultation_id=c.id, body="Σχόλιο", now=NOW)
    for act, extra in ((actions.edit_comment, {"body": "Αλλαγή"}), (actions.withdraw_comment, {})):
        for who in (nikos, mod):
            with pytest.raises(PermissionDenied) as err:
                act(session, actor=who, comment_id=comment.id, now=NOW, **extra)
            assert err.value.key == "consultations.errors.not_your_comment"
    assert MATRIX.allows(eleni, "edit_comment", comment) and not MATRIX.allows(nikos, "withdraw", comment)


def test_moderators_hide_a_visible_comment_they_read(session):
    mod, eleni = personas.administrator(session, "moderator"), personas.resident(session, "eleni")
    c = make_consultation(session, mod)
    comment = actions.post_comment(session, actor=eleni, consultation_id=c.id, body="Ορατό σχόλιο", now=NOW)
    assert actions.hide_comment(session, actor=mod, comment_id=comment.id, reason="Εκτός θέματος", now=NOW).status == "hidden"


def _load(state_cls, cookie: str, **values):
    state = _substate(state_cls, cookie)
    for name, value in values.items():
        setattr(state, name, value)
    asyncio.run(state._refresh())
    return state


def test_view_drafts_only_for_staff(engine):
    """``view_drafts``: a draft is "not found" for visitors and residents, page and query alike."""
    with session_scope() as session:
        mod = personas.administrator(session, "moderator")
        draft = make_consultation(session, mod, status="draft")
        resident = personas.login_cookie(session, personas.make_person(session, "eleni"))
        staff = personas.login_cookie(session, session.get(personas.Person, mod.person_id))
        for viewer in (None, personas.resident(session, "nikos")):
            with pytest.raises(NotFound):
                queries.get_consultation(session, draft.id, actor=viewer)
        assert queries.get_consultation(session, draft.id, actor=mod).id == draft.id
    for cookie in ("", resident):
        state = _load(StaffConsultationState, cookie, cid=draft.id)
        assert not state.allowed and state.details.title == "" and state.sections == []
    state = _load(StaffConsultationState, staff, cid=draft.id)
    assert state.allowed and state.found and state.details.title == "Κανονισμός παραλιών"


def test_view_queue_only_for_staff(engine):
    """``view_queue``: the moderation queue and others' waiting comments are for staff only."""
    with session_scope() as session:
        mod = personas.administrator(session, "moderator")
        eleni, nikos = personas.resident(session, "eleni"), personas.resident(session, "nikos")
        c = make_consultation(session, mod, mode="pre", now=utcnow())
        actions.post_comment(session, actor=eleni, consultation_id=c.id, body="Περιμένει έγκριση")
        resident = personas.login_cookie(session, session.get(personas.Person, nikos.person_id))
        staff = personas.login_cookie(session, session.get(personas.Person, mod.person_id))
        assert queries.comment_page(session, c.id, viewer=nikos).total == 0
        assert queries.comment_page(session, c.id, viewer=mod).total == 1
    for cookie in ("", resident):
        state = _load(ModerationState, cookie)
        assert not state.allowed and state.queue == [] and state.waiting == 0
    state = _load(ModerationState, staff)
    assert state.allowed and [q.kind for q in state.queue] == ["pending"] and state.waiting == 1

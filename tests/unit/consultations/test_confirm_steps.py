"""Irreversible steps ask first: the dialog says what and to whom; closing early needs a
reason, shown beside its field; nothing happens until the confirmed form comes back."""

from __future__ import annotations

import asyncio
import inspect
from datetime import timedelta

import pytest

from syros_app.consultations import actions
from syros_app.consultations.models import Consultation
from syros_app.consultations.state import ModerationState, StaffConsultationState
from syros_app.core.db import session_scope
from syros_app.core.errors import InvalidInput
from syros_app.core.timefmt import utcnow
from tests.support import personas
from tests.support.refusal import _substate, load_all_states

from .helpers import NOW, details, last_audit, make_consultation

load_all_states()


def test_closing_early_needs_a_reason_and_records_it(session):
    admin = personas.administrator(session)
    c = make_consultation(session, admin)
    with pytest.raises(InvalidInput) as refused:
        actions.close_consultation(session, actor=admin, consultation_id=c.id, now=NOW, reason="   ")
    assert refused.value.key == "consultations.errors.reason_too_short"
    session.rollback()
    actions.close_consultation(session, actor=admin, consultation_id=c.id, now=NOW,
                               reason="Η μελέτη αποσύρθηκε από την Περιφέρεια.")
    session.commit()
    assert details(last_audit(session)) == {"early": True, "reason": "Η μελέτη αποσύρθηκε από την Περιφέρεια."}


def test_closing_on_time_needs_no_reason(session):
    admin = personas.administrator(session)
    c = make_consultation(session, admin)
    actions.close_consultation(session, actor=admin, consultation_id=c.id, now=NOW + timedelta(days=11))
    session.commit()
    assert details(last_audit(session)) == {"early": False}


def _run(state, handler: str, *args):
    async def go():
        handler_fn = type(state).event_handlers[handler].fn if handler in type(state).event_handlers \
            else getattr(type(state), handler)
        result = handler_fn(state, *args)
        return await result if inspect.isawaitable(result) else result
    return asyncio.run(go())


def _script(spec) -> str:
    return str(spec.args) if spec is not None else ""


def test_the_dialog_says_what_and_to_whom_and_a_missing_reason_stays_beside_its_field(engine):
    with session_scope() as session:
        admin_person = personas.make_person(session, "admin", roles=(personas.Role.ADMINISTRATOR,))
        admin = personas.actor(session, admin_person)
        now = utcnow()
        c = make_consultation(session, admin, now=now)
        cid, cookie = c.id, personas.login_cookie(session, admin_person)
    state = _substate(StaffConsultationState, cookie)
    state.cid = cid
    _run(state, "_refresh")
    opened = _run(state, "ask_close")
    assert "showModal" in _script(opened)
    assert state.confirm_step == "close" and state.confirm_target == cid and state.confirm_reason
    assert "Κανονισμός παραλιών" in state.confirm_what and state.confirm_who
    then = _run(state, "confirm", {"step": "close", "target": str(cid), "reason": ""})
    assert then is None  # the dialog stays open
    assert state.reason_error.startswith("Ο λόγος πρέπει") and state.error == ""
    with session_scope() as session:
        assert session.get(Consultation, cid).status == "open"
    then = _run(state, "confirm", {"step": "close", "target": str(cid), "reason": "Αναβάλλεται μετά την ΚΥΑ."})
    assert "close()" in _script(then) and state.reason_error == ""
    with session_scope() as session:
        assert session.get(Consultation, cid).status == "closed"


def _moderator_and_comment(*, flagged: bool) -> tuple[str, int, int]:
    """A moderator's cookie, and Eleni's comment (flagged by Nikos, if asked) on an open consultation."""
    with session_scope() as session:
        c = make_consultation(session, personas.administrator(session), now=utcnow())
        eleni = personas.resident(session, "eleni")
        comment = actions.post_comment(session, actor=eleni, consultation_id=c.id, body="Ένα σχόλιο για έλεγχο")
        if flagged:
            actions.flag_comment(session, actor=personas.resident(session, "nikos"), comment_id=comment.id,
                                 reason="Εκτός θέματος")
        session.commit()
        mod_person = personas.make_person(session, "moderator", roles=(personas.Role.MODERATOR,))
        return personas.login_cookie(session, mod_person), comment.id, c.id


def test_a_moderator_confirms_hiding_with_a_public_reason(engine):
    cookie, comment_id, _cid = _moderator_and_comment(flagged=True)
    state = _substate(ModerationState, cookie)
    _run(state, "load")
    _run(state, "ask_hide", comment_id)
    assert state.confirm_step == "hide" and "Eleni" in state.confirm_what
    _run(state, "confirm", {"step": "hide", "target": str(comment_id), "reason": "Προσβλητικό"})
    with session_scope() as session:
        from syros_app.consultations.models import Comment
        hidden = session.get(Comment, comment_id)
        assert hidden.status == "hidden" and hidden.hidden_reason == "Προσβλητικό"


def test_a_moderator_hides_and_restores_from_the_consultation_page(engine):
    from syros_app.consultations.models import Comment
    from syros_app.consultations.state import ConsultationState, PageModerationState

    cookie, comment_id, cid = _moderator_and_comment(flagged=False)  # visible, never flagged
    state = _substate(PageModerationState, cookie)
    page = asyncio.run(state.get_state(ConsultationState))
    page.cid = cid
    _run(page, "_refresh")
    assert [item.id for item in page.comments] == [comment_id]  # a visible comment, never flagged
    _run(state, "ask_hide", comment_id)
    assert state.confirm_step == "hide" and "Eleni" in state.confirm_what and state.confirm_reason
    _run(state, "confirm", {"step": "hide", "target": str(comment_id), "reason": "Εκτός θέματος"})
    with session_scope() as session:
        assert session.get(Comment, comment_id).hidden_reason == "Εκτός θέματος"
    assert page.comments[0].status == "hidden"  # the page shows it at once
    _run(state, "restore", comment_id)
    with session_scope() as session:
        assert session.get(Comment, comment_id).status == "visible"

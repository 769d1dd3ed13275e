"""Resident handlers decide who acts on the server (from the session cookie), not from the browser."""

import asyncio
from datetime import timedelta

from sqlmodel import select

from syros_app.consultations import actions
from syros_app.consultations.models import Comment, CommentSupport
from syros_app.consultations.state import ConsultationState
from syros_app.core.db import session_scope
from syros_app.core.timefmt import utcnow
from tests.support import personas
from tests.support.refusal import _substate, load_all_states

load_all_states()


def _call(cookie: str, cid: int, handler: str, *args):
    state = _substate(ConsultationState, cookie)
    state.cid = cid
    result = ConsultationState.event_handlers[handler].fn(state, *args)

    async def run():
        if hasattr(result, "__aiter__"):
            async for _ in result:
                pass
        elif asyncio.iscoroutine(result):
            await result

    asyncio.run(run())
    return state


def test_visitor_cannot_write_and_resident_can(engine):
    now = utcnow()
    with session_scope() as session:
        mod = personas.administrator(session, "moderator")
        eleni_person = personas.make_person(session, "eleni", display_name="Ελένη Π.")
        nikos_person = personas.make_person(session, "nikos")
        c = actions.create_consultation(session, actor=mod, title="Δοκιμή", summary="", category="other",
                                        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
                                        sections=[("Άρθρο", "Κείμενο")])
        actions.open_consultation(session, actor=mod, consultation_id=c.id)
        cid = c.id
        eleni = personas.login_cookie(session, eleni_person)
        nikos = personas.login_cookie(session, nikos_person)

    visitor_state = _call("", cid, "post_comment", {"body": "Ανώνυμο σχόλιο", "section": "0"})
    assert visitor_state.error == "Πρέπει να συνδεθείτε με gov.gr."
    with session_scope() as session:
        assert session.exec(select(Comment)).all() == []

    state = _call(eleni, cid, "post_comment", {"body": "Σχόλιο της Ελένης", "section": "0"})
    assert state.error == "" and state.notice == "Το σχόλιό σας δημοσιεύθηκε."
    assert [(item.body, item.author, item.mine) for item in state.comments] == [("Σχόλιο της Ελένης", "Ελένη Π.", True)]
    with session_scope() as session:
        comment = session.exec(select(Comment)).one()
        assert comment.person_id == eleni_person.id

    _call("", cid, "support", comment.id, "agree")
    _call(eleni, cid, "support", comment.id, "agree")  # own comment: refused
    state = _call(nikos, cid, "support", comment.id, "agree")
    assert state.comments[0].my_support == "agree" and state.comments[0].agree == 1
    with session_scope() as session:
        supports = session.exec(select(CommentSupport)).all()
        assert [(s.person_id, s.value) for s in supports] == [(nikos_person.id, "agree")]

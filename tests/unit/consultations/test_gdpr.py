"""Consultations and account deletion: export section rows, the deletion handler,
and staff views of a deleted author's comments."""

import asyncio

import pytest
from sqlmodel import select

from syros_app.consultations import actions, gdpr
from syros_app.consultations.models import ModerationBlock
from syros_app.consultations.state import StaffConsultationState
from syros_app.core import events
from syros_app.core.db import session_scope
from syros_app.core.errors import NotFound
from syros_app.identity import actions as identity
from syros_app.identity.actions import EXPORT_SECTIONS
from syros_app.identity.models import Person
from tests.support import personas
from tests.support.refusal import _substate, load_all_states

from .helpers import NOW, make_consultation

load_all_states()


def test_consultations_registers_its_export_section_and_deletion_handler():
    assert EXPORT_SECTIONS["consultations"] is gdpr.export_section
    assert gdpr.erase.subscriber in events.subscribers("identity.person_deleted")


def test_a_deleted_account_cannot_be_blocked_and_its_blocks_are_gone(session):
    mod = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni")
    actions.block_person(session, actor=mod, person_id=eleni.person_id, days=2, reason="Ύβρεις", now=NOW)
    identity.delete_account(session, actor=eleni, now=NOW)
    session.commit()
    assert session.exec(select(ModerationBlock)).all() == []
    with pytest.raises(NotFound):
        actions.block_person(session, actor=mod, person_id=eleni.person_id, days=2, reason="Ξανά", now=NOW)
    assert gdpr.export_section(session, eleni.person_id)["moderation_blocks"] == []


def test_staff_consultation_page_shows_deleted_user_for_a_deleted_author(engine):
    with session_scope() as session:
        mod = personas.administrator(session, "moderator")
        eleni = personas.resident(session, "eleni", display_name="Ελένη Παπαδάκη")
        c = make_consultation(session, mod)
        actions.post_comment(session, actor=eleni, consultation_id=c.id, body="Σχόλιο", now=NOW)
        identity.delete_account(session, actor=eleni, now=NOW)
        cookie = personas.login_cookie(session, session.get(Person, mod.person_id))
        cid = c.id
    state = _substate(StaffConsultationState, cookie)
    state.cid = cid
    asyncio.run(state._refresh())
    assert [row.author for row in state.comment_rows] == ["Διαγραμμένος χρήστης"]

"""The shared state helpers: the reader's language, the staff actor, one service
call whose outcome (done text or refusal) lands on the state."""

import asyncio
from types import SimpleNamespace

from sqlmodel import select

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.identity.models import Person
from syros_app.ui import state_helpers
from tests.support import personas


class FakeState(SimpleNamespace):
    def __init__(self, lang="el", **kwargs):
        super().__init__(error="stale", notice="stale", message="stale", **kwargs)
        self._lang = lang

    async def get_state(self, _cls):
        return SimpleNamespace(lang=self._lang)


def test_reader_language():
    assert asyncio.run(state_helpers.reader_language(FakeState("en"))) == "en"


def test_run_service_commits_and_shows_the_done_text(engine):
    state = FakeState("en")
    ok = asyncio.run(state_helpers.run_service(
        state, lambda s: personas.make_person(s, "eleni"), "errors.unexpected", done_attr="message"))
    assert ok and state.error == "" and state.message not in ("", "stale") and state.notice == "stale"
    with session_scope() as s:
        assert len(s.exec(select(Person)).all()) == 1


def test_run_service_shows_a_refusal_in_the_readers_language_and_writes_nothing(engine):
    def refuse(session):
        session.add(Person(display_name="Ελένη Π.", taxid_hmac="0" * 64))
        session.flush()
        raise AgoraError("errors.unexpected")

    state = FakeState("el")
    assert asyncio.run(state_helpers.run_service(state, refuse, "errors.unexpected")) is False
    assert state.error == translate("errors.unexpected", "el") and state.notice == ""
    with session_scope() as s:
        assert s.exec(select(Person)).all() == []


def test_run_service_without_a_done_key_leaves_the_notice_empty(engine):
    state = FakeState()
    assert asyncio.run(state_helpers.run_service(state, lambda s: None)) is True
    assert (state.error, state.notice) == ("", "")

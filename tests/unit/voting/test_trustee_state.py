"""The trustee page's state with the browser's steps: what assets/voting/trustee.js hands back
(a complaint from check, an answer, "every share matches", an error code) is posted through the
ceremony's actions or said in the reader's language; nothing else reaches the server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sqlmodel import select

from syros_app.identity.models import Person
from syros_app.voting.models import TrusteeComplaint
from syros_app.voting.state import TRUSTEE_BROWSER_STEPS, TrusteeState
from tests.support import personas
from tests.support.refusal import _substate, load_all_states

from .test_trustee_browser import PASS, _deal_all, _kit, browser, ceremony  # noqa: F401 (fixture)

load_all_states()


def _trustee_state(session, actor, vote, step: str) -> TrusteeState:
    state = _substate(TrusteeState, personas.login_cookie(session, session.get(Person, actor.person_id)))
    state.vote_id, state.is_trustee, state.step = vote.id, True, step
    return state


def _ran(state: TrusteeState, result: dict) -> None:
    asyncio.run(TrusteeState.event_handlers["ran_in_browser"].fn(state, json.dumps(result)))


def test_the_browsers_check_and_answer_go_through_the_ceremony(session, ceremony, tmp_path):
    staff, voters, trustees, vote, keys = ceremony
    assert {"check", "answer"} <= set(TRUSTEE_BROWSER_STEPS)

    def swap(deals):  # trustee 2 seals to trustee 1 the share meant for trustee 3
        deals[2]["sealed_shares"]["1"] = deals[2]["sealed_shares"]["3"]

    _deal_all(session, tmp_path, trustees, vote, keys, tamper=swap)
    session.commit()
    first = _trustee_state(session, trustees[0], vote, "check")
    _ran(first, browser(tmp_path, op="check", key=keys[1], passphrase=PASS, kit=_kit(session, vote))["ok"])
    assert first.error == "" and first.done == "Καταχωρίστηκε· οι αποδείξεις επαληθεύτηκαν."
    assert [(c.dealer, c.complainant) for c in session.exec(select(TrusteeComplaint))] == [(2, 1)]
    assert first.step == "check" and [(c.dealer, c.status) for c in first.complaints] == [(2, "pending")]

    again = browser(tmp_path, op="check", key=keys[1], passphrase=PASS, kit=_kit(session, vote))["ok"]
    assert again == {"output": None}  # the page's runner turns this into {"notice": "shares_ok"}
    _ran(first, {"notice": "shares_ok"})
    assert first.error == "" and "δεν χρειάζεται διαμαρτυρία" in first.done
    assert len(session.exec(select(TrusteeComplaint)).all()) == 1  # nothing posted

    _ran(first, {"error": "no_complaint"})
    assert first.error == "Καμία διαμαρτυρία εναντίον σας δεν περιμένει απάντηση."
    _ran(first, {"error": "key_not_fixed"})
    assert first.error.startswith("Το κλειδί της ψηφοφορίας δεν έχει οριστεί")
    _ran(first, {"error": "something the page does not know"})
    assert first.error.startswith("Το βήμα δεν ολοκληρώθηκε")

    second = _trustee_state(session, trustees[1], vote, "answer")
    answers = browser(tmp_path, op="answer", key=Path(keys[2]).read_text(), passphrase=PASS, kit=_kit(session, vote))["ok"]
    _ran(second, answers)
    assert second.error == "" and session.exec(select(TrusteeComplaint)).one().share == answers["output"]["answers"]["1"]
    assert [(c.dealer, c.status) for c in second.complaints] == [(2, "answered")]

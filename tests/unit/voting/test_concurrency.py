"""One person, one vote under concurrency; nothing acknowledged is lost when a process dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from sqlalchemy import func
from sqlmodel import Session, select

from syros_app.core.errors import AgoraError
from syros_app.core.timefmt import utcnow
from syros_app.identity.roles import Actor
from syros_app.voting import actions
from syros_app.voting.models import Ballot, VoteParticipation
from tests.support import personas

from .helpers import cast, make_roll, open_legacy_plaintext_vote, option_ids, synthetic_taxids

ROOT = Path(__file__).resolve().parents[3]


def _counts(engine, vote_id):
    with Session(engine) as s:
        ballots = s.exec(select(func.count()).select_from(Ballot).where(Ballot.vote_id == vote_id)).one()
        parts = s.exec(select(func.count()).select_from(VoteParticipation).where(VoteParticipation.vote_id == vote_id)).one()
    return ballots, parts


def test_fifty_parallel_casts_by_one_voter_make_exactly_one_ballot(engine):
    with Session(engine, expire_on_commit=False) as session:
        staff = personas.administrator(session, "moderator")
        eleni = personas.resident(session, "eleni")
        roll = make_roll(session, {"eleni": None})
        vote = open_legacy_plaintext_vote(session, staff, roll, now=utcnow(), closes_in=None)
        yes = option_ids(session, vote.id)[0]
    barrier = threading.Barrier(50)
    successes: list[str] = []
    refusals: list[str] = []
    others: list[BaseException] = []

    def cast_once(actor: Actor):
        barrier.wait()
        try:
            successes.append(cast(actor, vote.id, [yes], engine=engine, core=False).tracker)
        except AgoraError as exc:
            refusals.append(exc.key)
        except BaseException as exc:  # noqa: BLE001
            others.append(exc)

    threads = [threading.Thread(target=cast_once, args=(eleni,)) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert others == []
    assert len(successes) == 1
    assert refusals == ["voting.reason.already_voted"] * 49
    assert _counts(engine, vote.id) == (1, 1)


def test_sigkill_in_the_middle_of_a_load_loses_no_acknowledged_vote(engine):
    with Session(engine, expire_on_commit=False) as session:
        staff = personas.administrator(session, "moderator")
        taxids = synthetic_taxids(1000, start=60_000_000)
        roll = make_roll(session, {t: None for t in taxids})
        vote = open_legacy_plaintext_vote(session, staff, roll, now=utcnow(), closes_in=None)
        yes = option_ids(session, vote.id)[0]
    env = {**os.environ, "SYROS_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.unit.voting.load_worker", str(vote.id), "60000000", "1000", str(yes)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acknowledged = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("ACK "):
            acknowledged.append(line.split()[1])
        if len(acknowledged) >= 150:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    # "restart": a fresh engine, as a restarted process would open
    from syros_app.core.db import make_engine

    fresh = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        with Session(fresh) as s:
            stored = set(s.exec(select(Ballot.tracker).where(Ballot.vote_id == vote.id)).all())
        assert set(acknowledged) <= stored
        ballots, parts = _counts(fresh, vote.id)
        assert ballots == parts >= len(acknowledged)
        assert ballots < 1000  # it really was killed in the middle
        # the restarted load finishes: those who voted are refused, the rest vote
        proc = subprocess.run([sys.executable, "-m", "tests.unit.voting.load_worker", str(vote.id), "60000000", "1000", str(yes)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.count("SKIP already voted") == ballots
        assert _counts(fresh, vote.id) == (1000, 1000)
    finally:
        fresh.dispose()


@pytest.mark.parametrize("closed_by", ["staff", "time"])
def test_no_ballot_lands_after_the_close_commits(engine, closed_by):
    """Casts racing a close (by staff, or by the worker's tick once its time has come):
    once the close has committed, the count never moves again."""
    with Session(engine, expire_on_commit=False) as session:
        staff = personas.administrator(session, "moderator")
        taxids = synthetic_taxids(300, start=61_000_000)
        roll = make_roll(session, {t: None for t in taxids})
        vote = open_legacy_plaintext_vote(session, staff, roll, now=utcnow(),
                         closes_in=None if closed_by == "staff" else timedelta(hours=1))
        yes = option_ids(session, vote.id)[0]
    from syros_app.identity.hashing import taxid_hmac
    from syros_app.identity.roles import Role

    voters = [Actor(person_id=0, display_name="v", taxid_hmac=taxid_hmac(t), birth_year=1980, roles=frozenset({Role.RESIDENT}))
              for t in taxids]
    acknowledged: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()
    queue = list(voters)

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                voter = queue.pop()
            try:
                tracker = cast(voter, vote.id, [yes], engine=engine).tracker
                with lock:
                    acknowledged.append(tracker)
            except AgoraError as exc:
                with lock:
                    refused.append(exc.key)
            # Pace the voters so the close always lands mid-load (unpaced, a fast run could
            # finish all 300 before the close gets the write lock, leaving no race to test).
            threading.Event().wait(0.01)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    while len(acknowledged) < 40:
        threading.Event().wait(0.005)
    with Session(engine, expire_on_commit=False) as session:
        if closed_by == "staff":
            actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Διακοπή δοκιμής")
        else:
            assert actions.advance_schedules(session, now=utcnow() + timedelta(hours=2))["closed"] == 1
        session.commit()
    at_close = _counts(engine, vote.id)
    for t in threads:
        t.join()
    assert _counts(engine, vote.id) == at_close
    assert at_close[0] == at_close[1] == len(acknowledged)
    assert set(refused) == {"voting.reason.closed"} and len(refused) == 300 - len(acknowledged)


def test_encrypted_casts_race_one_per_person_and_none_after_the_close(engine):
    """30 residents cast encrypted ballots at once, each twice (different ballots), while staff
    close the vote: every accepted cast is one participation + one ballot, nobody twice, none lost."""
    from syros_app.core.db import session_scope
    from syros_app.voting import encrypted, queries
    from syros_app.voting.crypto import ballot as bl
    from syros_app.voting.models import EncryptedBallot

    from .helpers import encrypted_vote

    now = utcnow()
    taxids = synthetic_taxids(30, start=61_000_000)
    with Session(engine, expire_on_commit=False) as session:
        staff = personas.administrator(session, "vote-admin")  # votes are administrators'
        voters = [personas.resident(session, f"c{i}", taxid=t) for i, t in enumerate(taxids)]
        trustees = [personas.administrator(session), staff, voters[0]]
        roll = make_roll(session, {t: None for t in taxids})
        vote, _ = encrypted_vote(session, staff, roll, trustees, now=now - timedelta(minutes=5))
        election = queries.election_of(vote)
    ballots = {(v.taxid_hmac, n): bl.encrypt_ballot(election, [1, 0] if n else [0, 1]).ballot
               for v in voters for n in (0, 1)}
    barrier = threading.Barrier(len(ballots) + 1)
    accepted: list[str] = []
    refused: list[str] = []
    others: list[BaseException] = []

    def cast_once(actor, n):
        barrier.wait()
        try:
            with session_scope(engine) as session:
                accepted.append(encrypted.cast_encrypted_ballot(
                    session, actor=actor, vote_id=vote.id, ballot=ballots[(actor.taxid_hmac, n)]).tracker)
        except AgoraError as exc:
            refused.append(exc.key)
        except BaseException as exc:  # noqa: BLE001
            others.append(exc)

    def close():
        barrier.wait()
        with session_scope(engine) as session:
            actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος")

    threads = [threading.Thread(target=cast_once, args=(v, n)) for v in voters for n in (0, 1)]
    threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not others, others
    assert set(refused) <= {"voting.reason.already_voted", "voting.reason.closed", "voting.errors.busy"}
    with Session(engine) as s:
        on_board = s.exec(select(func.count()).select_from(EncryptedBallot)
                          .where(EncryptedBallot.vote_id == vote.id)).one()
        parts = s.exec(select(func.count()).select_from(VoteParticipation)
                       .where(VoteParticipation.vote_id == vote.id)).one()
    assert on_board == parts == len(accepted) <= len(voters)

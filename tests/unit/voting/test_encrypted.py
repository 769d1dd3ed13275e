"""Encrypted votes through the service: trustees' ceremony, casting with proof checks, audits,
k-of-n decryption, publication and the record — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, PermissionDenied
from syros_app.voting import actions, encrypted, queries
from syros_app.voting.actions import OptionInput
from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import record as rec
from syros_app.voting.crypto import threshold as th
from syros_app.voting.models import EncryptedBallot, VoteParticipation
from tests.support import personas

from .helpers import NOW, Ceremony, make_roll, option_ids


@pytest.fixture
def world(session):
    staff = personas.administrator(session, "vote-admin")  # votes are administrators'
    voters = [personas.resident(session, key) for key in ("eleni", "nikos", "maria")]
    trustees = [personas.administrator(session), staff, voters[2]]
    roll = make_roll(session, {"eleni": "Ερμούπολη", "nikos": "Ερμούπολη", "maria": "Άνω Σύρος"})
    vote = actions.create_vote(session, actor=staff, title="Συμμετοχικός 2027", question="Ποια έργα;", kind="budget",
                               roll_id=roll.id, budget_total=100_000, now=NOW,
                               options=[OptionInput("Παιδική χαρά", cost=40_000), OptionInput("Φωτισμός", cost=25_000),
                                        OptionInput("Πεζόδρομος", cost=60_000)])
    encrypted.set_trustees(session, actor=staff, vote_id=vote.id, threshold=2, now=NOW, trustees=[
        encrypted.TrusteeInput(name, t.person_id) for name, t in zip(("Α", "Β", "Γ"), trustees)])
    ceremony = Ceremony(session, vote, trustees, 2)
    session.commit()
    return staff, voters, trustees, vote, ceremony


def _open(session, staff, vote, ceremony):
    ceremony.post_all(session, vote.id, NOW)
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=7), now=NOW)
    session.commit()


def test_a_whole_encrypted_vote(session, world):
    staff, voters, trustees, vote, ceremony = world
    with pytest.raises(InvalidInput, match="key_not_ready"):  # trustees have not posted yet
        actions.open_vote(session, actor=staff, vote_id=vote.id, now=NOW)
    session.rollback()
    _open(session, staff, vote, ceremony)
    election = queries.election_of(vote)
    assert election.public_key == th.joint_public_key(
        [th.TrusteeCommitments.from_json(t) for t in json.loads(vote.election_json)["trustees"]])

    ids = option_ids(session, vote.id)
    receipts = []
    for voter, choice in zip(voters, ([1, 1, 0], [0, 1, 1], [1, 0, 0])):
        audited = bl.encrypt_ballot(election, choice)  # challenged first: opened and published, not counted
        encrypted.post_spoiled_ballot(session, actor=voter, vote_id=vote.id, audit=audited.audit(), now=NOW)
        ballot = bl.encrypt_ballot(election, choice).ballot
        receipt = encrypted.cast_encrypted_ballot(session, actor=voter, vote_id=vote.id, ballot=ballot, now=NOW)
        receipts.append(receipt.tracker)
        assert receipt.tracker == bl.receipt(bl.fingerprint(ballot))
        session.commit()
    assert all(queries.receipt_on_board(session, vote.id, r) for r in receipts)
    assert not queries.receipt_on_board(session, vote.id, "0000-0000-0000-0000")

    # "my votes" says that they voted, shows no receipt (none is kept) and never a choice
    mine = queries.my_participations(session, voters[0], now=NOW)
    assert [(p.vote_id, p.tracker, p.encrypted) for p in mine] == [(vote.id, "", True)]
    # the participation rows hold nothing that leads to a ballot
    rows = session.exec(select(VoteParticipation).where(VoteParticipation.vote_id == vote.id)).all()
    assert len(rows) == 3 and all(r.sealed_tracker is None for r in rows)
    assert set(EncryptedBallot.__table__.columns.keys()) == {"id", "vote_id", "fingerprint", "ballot"}

    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=NOW + timedelta(days=1))
    session.commit()
    with pytest.raises(PermissionDenied, match="trustees_missing"):
        actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=1))
    session.rollback()
    # trustee 1 alone cannot publish; any second one completes k = 2
    encrypted.post_partial_decryption(session, actor=trustees[0], vote_id=vote.id,
                                      partials=ceremony.partials(session, vote, 1), now=NOW + timedelta(days=1))
    assert not queries.trustees_have_decrypted(session, vote)
    encrypted.post_partial_decryption(session, actor=trustees[2], vote_id=vote.id,
                                      partials=ceremony.partials(session, vote, 3), now=NOW + timedelta(days=1))
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=1))
    session.commit()
    _, results = queries.published_results(session, vote.id)
    assert [o["votes"] for o in results["options"]] == [2, 2, 1]
    assert results["ballots"] == 3 and results["participations"] == 3
    assert results["winners"] == [ids[1], ids[0]]  # 25k + 40k; the 60k project no longer fits

    files = queries.election_record(session, vote.id)
    report = rec.verify(rec.read_archive(rec.write_archive(files)))
    assert report.ballots == 3 and report.spoiled == 3 and report.trustees_decrypting == [1, 3]

    # no page's data and no public file holds a receipt next to a choice
    from syros_app.voting import views

    titles = [o.title for o in queries.options_of(session, vote.id)]
    pages = {
        "results": views.results_page(session, vote.id), "board": views.board_page(session, vote.id),
        "check": views.check_page(session, vote.id), "vote": views.vote_page(session, voters[0], vote.id, NOW),
        **{f"my votes {n}": views.my_votes(session, v, NOW) for n, v in enumerate(voters)},
        **{f"check {r}": views.tracker_check(session, vote.id, r) for r in receipts},
        **{name: data for name, data in files.items()},
    }
    for name, data in pages.items():
        text = json.dumps(data, ensure_ascii=False, default=lambda o: o.model_dump())
        if any(r in text for r in receipts):
            assert not any(title in text for title in titles), name
            assert '"selection"' not in text or name == "spoiled.json", name
    assert pages[f"check {receipts[0]}"]["result"] == "on_board"
    assert len(pages["board"]["spoiled"]) == 3 and not {r.receipt for r in pages["board"]["spoiled"]} & set(receipts)
    assert all(r in json.dumps(pages["board"], default=lambda o: o.model_dump()) for r in receipts)

    audited_steps = {e.action for e in session.exec(select(AuditEntry))}
    assert {"voting.set_trustees", "voting.trustee_commitments", "voting.trustee_partial_decryption"} <= audited_steps


def test_a_vote_nobody_cast_in_publishes_zeros_without_trustees(session, world):
    """No ballot: every aggregate is the identity (an encryption of 0 anyone can see), so no trustee
    decrypts, the counts are 0 and the record verifies; a record claiming a vote fails."""
    from syros_app.voting import views

    staff, voters, trustees, vote, ceremony = world
    _open(session, staff, vote, ceremony)
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=NOW + timedelta(days=1))
    session.commit()
    assert views.trustee_page(session, trustees[0], vote.id)["step"] == "done"  # nothing to decrypt
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=1))
    session.commit()
    _, results = queries.published_results(session, vote.id)
    assert results["ballots"] == 0 and [o["votes"] for o in results["options"]] == [0, 0, 0]
    files = queries.election_record(session, vote.id)
    report = rec.verify(rec.read_archive(rec.write_archive(files)))
    assert report.ballots == 0 and set(report.counts.values()) == {0} and report.trustees_decrypting == []
    files["tally.json"]["options"][0]["votes"] = 1
    with pytest.raises(rec.RecordError, match="identity"):
        rec.verify(rec.read_archive(rec.write_archive(files)))


def test_casting_checks_every_proof_and_once_per_person(session, world, monkeypatch):
    staff, voters, trustees, vote, ceremony = world
    _open(session, staff, vote, ceremony)
    election = queries.election_of(vote)
    good = bl.encrypt_ballot(election, [0, 1, 0]).ballot
    tampered = json.loads(json.dumps(good))
    tampered["selections"][0]["proof"]["z"][0] = tampered["selections"][1]["proof"]["z"][0]
    with pytest.raises(InvalidInput, match="bad_ballot"):
        encrypted.cast_encrypted_ballot(session, actor=voters[0], vote_id=vote.id, ballot=tampered, now=NOW)
    with pytest.raises(InvalidInput, match="bad_ballot"):  # a ballot made for another election
        other = dataclasses.replace(election, vote_id=vote.id + 1)
        encrypted.cast_encrypted_ballot(session, actor=voters[0], vote_id=vote.id,
                                        ballot=bl.encrypt_ballot(other, [0, 1, 0]).ballot, now=NOW)
    assert not queries.has_voted(session, voters[0], vote.id)
    encrypted.cast_encrypted_ballot(session, actor=voters[0], vote_id=vote.id, ballot=good, now=NOW)
    session.commit()
    with pytest.raises(AgoraError, match="already_voted"):
        encrypted.cast_encrypted_ballot(session, actor=voters[0], vote_id=vote.id,
                                        ballot=bl.encrypt_ballot(election, [1, 0, 0]).ballot, now=NOW)
    session.rollback()
    with pytest.raises(AgoraError, match="ballot_on_board"):  # someone else replaying a ballot from the board
        encrypted.cast_encrypted_ballot(session, actor=voters[1], vote_id=vote.id, ballot=good, now=NOW)
    session.rollback()
    respelled = json.loads(json.dumps(good).replace(good["selections"][0]["proof"]["c"][0],
                                                    good["selections"][0]["proof"]["c"][0].upper()))
    with pytest.raises(InvalidInput, match="bad_ballot"):  # …or re-spelling it to get another fingerprint
        encrypted.cast_encrypted_ballot(session, actor=voters[1], vote_id=vote.id, ballot=respelled, now=NOW)
    session.rollback()
    with pytest.raises(AgoraError, match="encrypted_only"):  # no plaintext ballot into an encrypted vote
        actions.cast_ballot(session, actor=voters[1], vote_id=vote.id, choice=[option_ids(session, vote.id)[0]],
                            now=NOW)
    session.rollback()
    opened = bl.encrypt_ballot(election, [1, 0, 0])
    encrypted.post_spoiled_ballot(session, actor=voters[1], vote_id=vote.id, audit=opened.audit(), now=NOW)
    with pytest.raises(InvalidInput, match="ballot_spoiled"):  # an opened ballot cannot then be cast
        encrypted.cast_encrypted_ballot(session, actor=voters[1], vote_id=vote.id, ballot=opened.ballot, now=NOW)
    session.rollback()
    mine = bl.encrypt_ballot(election, [0, 0, 1])
    encrypted.cast_encrypted_ballot(session, actor=voters[1], vote_id=vote.id, ballot=mine.ballot, now=NOW)
    session.commit()
    with pytest.raises(InvalidInput, match="ballot_on_board"):  # nor a cast one opened afterwards
        encrypted.post_spoiled_ballot(session, actor=voters[1], vote_id=vote.id, audit=mine.audit(), now=NOW)
    session.rollback()
    outsider = trustees[0]  # the administrator: not on the roll
    with pytest.raises(AgoraError, match="not_on_roll"):
        encrypted.cast_encrypted_ballot(session, actor=outsider, vote_id=vote.id,
                                        ballot=bl.encrypt_ballot(election, [1, 0, 0]).ballot, now=NOW)
    session.rollback()
    with pytest.raises(AgoraError, match="closed"):
        encrypted.cast_encrypted_ballot(session, actor=voters[1], vote_id=vote.id,
                                        ballot=bl.encrypt_ballot(election, [1, 0, 0]).ballot,
                                        now=NOW + timedelta(days=8))
    session.rollback()
    assert len(queries.board(session, vote.id)) == 2


def test_trustee_steps_are_for_that_votes_trustees_with_valid_proofs(session, world):
    staff, voters, trustees, vote, ceremony = world
    commitments = ceremony.polys[0].commitments(ceremony.context).to_json()
    with pytest.raises(PermissionDenied, match="not_trustee"):
        encrypted.post_commitments(session, actor=voters[0], vote_id=vote.id, commitments=commitments, now=NOW)
    with pytest.raises(PermissionDenied):
        encrypted.post_commitments(session, actor=None, vote_id=vote.id, commitments=commitments, now=NOW)
    # trustee 2 posting trustee 1's commitments: the proofs are bound to the index
    with pytest.raises(InvalidInput, match="bad_proof"):
        encrypted.post_commitments(session, actor=trustees[1], vote_id=vote.id, commitments=commitments, now=NOW)
    ceremony.post_all(session, vote.id, NOW)
    assert vote.election_json is not None
    # an edit changes the parameters: the ceremony starts again
    actions.update_vote(session, actor=staff, vote_id=vote.id, title="Συμμετοχικός 2027 (διορθωμένος)",
                        question="Ποια έργα;", kind="budget", roll_id=vote.roll_id, budget_total=90_000, now=NOW,
                        options=[OptionInput("Παιδική χαρά", cost=40_000), OptionInput("Φωτισμός", cost=25_000)])
    assert vote.election_json is None and all(t.commitments is None for t in queries.trustees_of(session, vote.id))
    with pytest.raises(InvalidInput, match="bad_threshold"):
        encrypted.set_trustees(session, actor=staff, vote_id=vote.id, threshold=3, now=NOW,
                               trustees=[encrypted.TrusteeInput("Α", trustees[0].person_id)])
    with pytest.raises(PermissionDenied):
        encrypted.set_trustees(session, actor=voters[0], vote_id=vote.id, threshold=1, now=NOW,
                               trustees=[encrypted.TrusteeInput("Α", trustees[0].person_id)])


def test_a_wrong_partial_decryption_is_refused(session, world):
    staff, voters, trustees, vote, ceremony = world
    _open(session, staff, vote, ceremony)
    election = queries.election_of(vote)
    encrypted.cast_encrypted_ballot(session, actor=voters[0], vote_id=vote.id,
                                    ballot=bl.encrypt_ballot(election, [1, 0, 0]).ballot, now=NOW)
    with pytest.raises(AgoraError, match="bad_transition"):  # not before the close
        encrypted.post_partial_decryption(session, actor=trustees[0], vote_id=vote.id,
                                          partials=ceremony.partials(session, vote, 1), now=NOW)
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=NOW + timedelta(days=1))
    with pytest.raises(InvalidInput, match="bad_proof"):  # trustee 1 posting trustee 2's work
        encrypted.post_partial_decryption(session, actor=trustees[0], vote_id=vote.id,
                                          partials=ceremony.partials(session, vote, 2), now=NOW + timedelta(days=1))

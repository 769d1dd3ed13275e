"""The key ceremony's qualified set: every new vote encrypted, complaints, answers, k of n (issue 12)."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, PermissionDenied
from syros_app.voting import actions, ceremony, encrypted, queries, views
from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import group as g
from syros_app.voting.crypto import record as rec
from syros_app.voting.crypto import threshold as th
from syros_app.voting.models import Vote
from tests.support import personas

from .helpers import NOW, make_roll


class Trustees:
    """n trustees on their own devices (the test plays each): polynomials and who dealt."""

    def __init__(self, session, vote, actors, k):
        self.actors, self.k = actors, k
        self.context = queries.bare_election(session, vote).context
        self.polys = {i: th.TrusteePolynomial.create(i, k) for i in range(1, len(actors) + 1)}

    def deal(self, session, vote_id, *indices):
        for i in indices:
            encrypted.post_commitments(session, actor=self.actors[i - 1], vote_id=vote_id, now=NOW,
                                       commitments=self.polys[i].commitments(self.context).to_json())

    def secret(self, l, qual):
        """x_l = Σ_{i∈QUAL} f_i(l): what trustee l's tool computes (dealer or not)."""
        return th.combine_shares(self.polys[i].share_for(l) for i in qual)

    def decrypt(self, session, vote, l, qual):
        election = queries.election_of(vote)
        sums = rec.aggregates(election, queries.cast_encrypted_ballots(session, vote.id))
        partials = {str(o): th.partial_decrypt(election.context, l, self.secret(l, qual), agg).to_json()
                    for o, agg in zip(election.option_ids, sums)}
        encrypted.post_partial_decryption(session, actor=self.actors[l - 1], vote_id=vote.id, partials=partials,
                                          now=NOW + timedelta(days=2))


@pytest.fixture
def world(session):
    staff = personas.administrator(session, "vote-admin")
    voters = [personas.resident(session, key) for key in ("eleni", "nikos", "maria")]
    actors = [personas.administrator(session), staff, voters[2]]
    roll = make_roll(session, {"eleni": None, "nikos": None, "maria": None})
    vote = actions.create_vote(session, actor=staff, title="Ωράριο βιβλιοθήκης", question="Απογευματινό ωράριο;",
                               kind="yes_no", roll_id=roll.id, now=NOW)
    encrypted.set_trustees(session, actor=staff, vote_id=vote.id, threshold=2, now=NOW, trustees=[
        encrypted.TrusteeInput(name, t.person_id) for name, t in zip(("Α", "Β", "Γ"), actors)])
    for actor in actors:  # every trustee has a transport key (the shares are sealed to it)
        encrypted.post_transport_key(session, actor=actor, vote_id=vote.id, public_key="ab" * 32, now=NOW)
    session.commit()
    return staff, voters, Trustees(session, vote, actors, 2), vote


def _open_cast_close(session, staff, voters, vote, choices):
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=1), now=NOW)
    election = queries.election_of(vote)
    for voter, choice in zip(voters, choices):
        encrypted.cast_encrypted_ballot(session, actor=voter, vote_id=vote.id, now=NOW,
                                        ballot=bl.encrypt_ballot(election, choice).ballot)
    actions.close_vote(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=1))
    session.commit()


def _audited(session):
    return [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_every_new_vote_is_encrypted_and_never_opens_without_its_key(session):
    staff = personas.administrator(session, "vote-admin")
    roll = make_roll(session, {"eleni": None})
    vote = actions.create_vote(session, actor=staff, title="Νέα", question="Ναι;", roll_id=roll.id, now=NOW)
    session.commit()
    assert vote.encrypted and vote.election_json is None
    with pytest.raises(InvalidInput, match="key_not_ready"):
        actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=2), now=NOW)
    session.rollback()
    with pytest.raises(InvalidInput, match="key_not_ready"):
        actions.schedule_vote(session, actor=staff, vote_id=vote.id, opens_at=NOW + timedelta(hours=1),
                              closes_at=NOW + timedelta(days=2), now=NOW)
    session.rollback()
    # even a scheduled row without its key (as a database edit could leave it) is not opened by time
    row = session.get(Vote, vote.id)
    row.status, row.opens_at, row.closes_at = "scheduled", NOW + timedelta(hours=1), NOW + timedelta(days=2)
    session.add(row)
    session.commit()
    assert actions.advance_schedules(session, now=NOW + timedelta(hours=2))["opened"] == 0
    assert queries.status_of(row, NOW + timedelta(hours=2)) == "scheduled"
    # the staff page says why it cannot open (translated)
    panel = views.staff_form(session, vote.id, NOW)
    assert panel["encrypted"] and not panel["key_ready"] and panel["key_reason"] == "voting.staff.key_no_trustees"


def test_a_complaint_answered_with_the_right_share_keeps_the_dealer(session, world):
    staff, voters, trustees, vote = world
    trustees.deal(session, vote.id, 1, 2, 3)
    assert vote.election_json is not None  # all n dealt, no complaint: fixed by itself, as before
    ceremony.file_complaint(session, actor=trustees.actors[1], vote_id=vote.id, dealer=1, now=NOW)
    assert vote.election_json is None  # a complaint waits: no key
    kit = queries.trustee_kit(session, vote.id)
    assert kit["complaints"] == [{"dealer": 1, "complainant": 2, "share": None, "status": "pending"}]
    with pytest.raises(AgoraError, match="complaint_pending"):
        ceremony.complete_ceremony(session, actor=staff, vote_id=vote.id, now=NOW)
    with pytest.raises(AgoraError, match="answer_complaints_first"):  # dealing anew would dodge the complaint
        trustees.deal(session, vote.id, 1)
    revealed = g.encode_scalar(trustees.polys[1].share_for(2))
    ceremony.answer_complaints(session, actor=trustees.actors[0], vote_id=vote.id, answers={"2": revealed}, now=NOW)
    manifest = json.loads(vote.election_json)  # answered: all n qualified, fixed by itself again
    assert manifest["qualified"] == [1, 2, 3] and manifest["version"] == 2
    assert manifest["complaints"] == [{"dealer": 1, "complainant": 2, "share": revealed}]
    assert queries.trustee_kit(session, vote.id)["complaints"][0]["status"] == "answered"
    session.commit()
    assert {"voting.trustee_complaint", "voting.trustee_answer"} <= set(_audited(session))


def test_a_wrong_answer_disqualifies_and_staff_complete_with_the_qualified(session, world):
    staff, voters, trustees, vote = world
    trustees.deal(session, vote.id, 1, 2, 3)
    ceremony.file_complaint(session, actor=trustees.actors[0], vote_id=vote.id, dealer=3, now=NOW)
    wrong = g.encode_scalar((trustees.polys[3].share_for(1) + 1) % g.ORDER)
    ceremony.answer_complaints(session, actor=trustees.actors[2], vote_id=vote.id, answers={"1": wrong}, now=NOW)
    kit = queries.trustee_kit(session, vote.id)
    assert kit["disqualified"] == [3] and kit["complaints"][0]["status"] == "disqualifying"
    assert vote.election_json is None  # fewer than n qualified: only staff complete it
    session.commit()
    with pytest.raises(InvalidInput, match="key_not_ready"):
        actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=1), now=NOW)
    session.rollback()
    ceremony.complete_ceremony(session, actor=staff, vote_id=vote.id, now=NOW)
    manifest = json.loads(vote.election_json)
    assert manifest["qualified"] == [1, 2]
    assert queries.election_of(vote).public_key == th.joint_public_key(
        [trustees.polys[i].commitments(trustees.context) for i in (1, 2)])
    session.commit()
    _open_cast_close(session, staff, voters, vote, ([1, 0], [0, 1], [1, 0]))
    # the disqualified dealer still decrypts, with its share of QUAL's polynomials
    trustees.decrypt(session, vote, 3, [1, 2])
    trustees.decrypt(session, vote, 2, [1, 2])
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=3))
    session.commit()
    files = queries.election_record(session, vote.id)
    assert [o["votes"] for o in files["tally.json"]["options"]] == [2, 1]
    assert rec.verify(rec.read_archive(rec.write_archive(files))).trustees_decrypting == [2, 3]
    assert "voting.complete_ceremony" in _audited(session)

    altered = copy.deepcopy(files)  # the revealed share made to match: 3 would be qualified, QUAL is wrong
    altered["manifest.json"]["complaints"][0]["share"] = g.encode_scalar(trustees.polys[3].share_for(1))
    with pytest.raises(rec.RecordError, match="qualified"):
        rec.verify(altered)
    altered = copy.deepcopy(files)  # 3 claimed qualified
    altered["manifest.json"]["qualified"] = [1, 2, 3]
    with pytest.raises(rec.RecordError, match="qualified"):
        rec.verify(altered)
    altered = copy.deepcopy(files)  # the complaint hidden: QUAL no longer matches
    altered["manifest.json"]["complaints"] = []
    with pytest.raises(rec.RecordError, match="qualified"):
        rec.verify(altered)


def test_staff_complete_with_k_of_n_and_a_trustee_who_never_dealt_decrypts(session, world):
    staff, voters, trustees, vote = world
    trustees.deal(session, vote.id, 1)
    with pytest.raises(AgoraError, match="too_few_dealers"):
        ceremony.complete_ceremony(session, actor=staff, vote_id=vote.id, now=NOW)
    session.rollback()
    trustees.deal(session, vote.id, 1, 2)
    assert vote.election_json is None  # 2 of 3 dealt: never fixed by itself
    session.commit()
    with pytest.raises(PermissionDenied):  # residents do not complete ceremonies
        ceremony.complete_ceremony(session, actor=voters[0], vote_id=vote.id, now=NOW)
    session.rollback()
    ceremony.complete_ceremony(session, actor=staff, vote_id=vote.id, now=NOW)
    manifest = json.loads(vote.election_json)
    assert manifest["qualified"] == [1, 2]
    assert manifest["trustees"][2] == {"index": 3, "name": "Γ", "commitments": None, "proofs": None}
    kit = queries.trustee_kit(session, vote.id)
    assert kit["qualified"] == [1, 2] and kit["public_key"] == manifest["public_key"]
    session.commit()
    _open_cast_close(session, staff, voters, vote, ([1, 0], [1, 0], [0, 1]))
    with pytest.raises(AgoraError, match="frozen"):  # no complaint once the vote has opened
        ceremony.file_complaint(session, actor=trustees.actors[2], vote_id=vote.id, dealer=1, now=NOW)
    session.rollback()

    # k − 1 = 1 share decrypts nothing: any single trustee's partial gives no count
    election = queries.election_of(vote)
    agg = rec.aggregates(election, queries.cast_encrypted_ballots(session, vote.id))[0]
    for l in (1, 2, 3):
        alone = th.partial_decrypt(election.context, l, trustees.secret(l, [1, 2]), agg)
        assert th.combine_partials(agg, [alone], 3) != 2

    trustees.decrypt(session, vote, 3, [1, 2])  # trustee 3 never dealt
    trustees.decrypt(session, vote, 1, [1, 2])
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=3))
    session.commit()
    files = queries.election_record(session, vote.id)
    report = rec.verify(rec.read_archive(rec.write_archive(files)))
    assert report.counts == dict(zip(election.option_ids, [2, 1])) and report.trustees_decrypting == [1, 3]
    altered = copy.deepcopy(files)  # a key made from every dealer's first commitment is not QUAL's
    altered["manifest.json"]["qualified"] = [1]
    with pytest.raises(rec.RecordError):
        rec.verify(altered)


def test_complaints_and_answers_are_checked(session, world):
    staff, voters, trustees, vote = world
    trustees.deal(session, vote.id, 1, 2)
    session.commit()
    refusals = [
        (lambda: ceremony.file_complaint(session, actor=trustees.actors[0], vote_id=vote.id, dealer=1, now=NOW),
         "bad_complaint"),  # against oneself
        (lambda: ceremony.file_complaint(session, actor=trustees.actors[0], vote_id=vote.id, dealer=3, now=NOW),
         "bad_complaint"),  # 3 has not dealt
        (lambda: ceremony.file_complaint(session, actor=voters[0], vote_id=vote.id, dealer=1, now=NOW),
         "not_trustee"),
        (lambda: ceremony.answer_complaints(session, actor=trustees.actors[0], vote_id=vote.id,
                                            answers={"2": "00" * 32}, now=NOW), "bad_answer"),  # no such complaint
    ]
    for call, key in refusals:
        with pytest.raises(AgoraError, match=key):
            call()
        session.rollback()
    ceremony.file_complaint(session, actor=trustees.actors[2], vote_id=vote.id, dealer=2, now=NOW)
    session.commit()
    with pytest.raises(InvalidInput, match="complaint_exists"):
        ceremony.file_complaint(session, actor=trustees.actors[2], vote_id=vote.id, dealer=2, now=NOW)
    session.rollback()
    for bad in ({"3": "not hex"}, {"3": "ff" * 32}, {"x": "00" * 32}, "00" * 32):
        with pytest.raises(InvalidInput, match="bad_answer|invalid_input"):
            ceremony.answer_complaints(session, actor=trustees.actors[1], vote_id=vote.id, answers=bad, now=NOW)
        session.rollback()
    assert queries.trustee_kit(session, vote.id)["complaints"][0]["status"] == "pending"
    # a new transport key voids every dealt share, and so every complaint
    encrypted.post_transport_key(session, actor=trustees.actors[2], vote_id=vote.id, public_key="cd" * 32, now=NOW)
    assert queries.trustee_kit(session, vote.id)["complaints"] == []


def test_a_version_1_record_still_verifies(session):
    from syros_app.voting.crypto import simulation

    bare = bl.Election(vote_id=5, kind="yes_no", option_ids=(1, 2), costs=(), max_choices=None, budget_total=None,
                       threshold=2, trustees=3)
    files = simulation.full_record(simulation.key_ceremony(bare, ["Α", "Β", "Γ"]), title="t", question="q",
                                   option_titles=["Ναι", "Όχι"], choices=[[1, 0], [0, 1], [1, 0]])
    assert files["manifest.json"]["qualified"] == [1, 2, 3]
    old = copy.deepcopy(files)  # format 1: no qualified set, no complaints, every trustee dealt
    del old["manifest.json"]["qualified"], old["manifest.json"]["complaints"]
    old["manifest.json"]["version"] = 1
    assert rec.verify(old).counts == {1: 2, 2: 1}
    old["manifest.json"]["trustees"][2]["commitments"] = None  # format 1 knows no trustee without commitments
    with pytest.raises(rec.RecordError):
        rec.verify(old)
    files["manifest.json"]["version"] = 3
    with pytest.raises(rec.RecordError, match="version"):
        rec.verify(files)


def test_a_dealer_silent_past_the_answer_time_is_left_out_when_staff_complete(session, world):
    """An unanswered complaint blocks the key only for ``COMPLAINT_ANSWER_TIME``: then staff may
    complete without that dealer, the record counts it disqualified and the vote still tallies."""
    from syros_app.voting import rules

    staff, voters, trustees, vote = world
    trustees.deal(session, vote.id, 1, 2, 3)
    ceremony.file_complaint(session, actor=trustees.actors[1], vote_id=vote.id, dealer=3, now=NOW)
    session.commit()
    early = NOW + rules.COMPLAINT_ANSWER_TIME - timedelta(minutes=1)
    assert views.staff_form(session, vote.id, early)["key_reason"] == "voting.staff.key_complaint_pending"
    with pytest.raises(AgoraError, match="complaint_pending"):
        ceremony.complete_ceremony(session, actor=staff, vote_id=vote.id, now=early)
    session.rollback()
    late = NOW + rules.COMPLAINT_ANSWER_TIME
    panel = views.staff_form(session, vote.id, late)
    assert panel["key_reason"] == "voting.staff.key_can_complete" and panel["can_complete"]
    ceremony.complete_ceremony(session, actor=staff, vote_id=vote.id, now=late)
    session.commit()
    manifest = json.loads(vote.election_json)
    assert manifest["qualified"] == [1, 2]
    assert manifest["complaints"] == [{"dealer": 3, "complainant": 2, "share": None}]
    kit = queries.trustee_kit(session, vote.id)
    assert kit["disqualified"] == [3] and kit["complaints"][0]["status"] == "disqualifying"
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "voting.complete_ceremony")).one()
    assert json.loads(entry.details)["silent"] == [3]

    _open_cast_close(session, staff, voters, vote, ([1, 0], [1, 0], [0, 1]))
    for l in (2, 3):  # trustee 3 (left out as a dealer) still decrypts with x_3 = Σ_{i∈QUAL} f_i(3)
        trustees.decrypt(session, vote, l, [1, 2])
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=3))
    session.commit()
    report = rec.verify(rec.read_archive(rec.write_archive(queries.election_record(session, vote.id))))
    assert sorted(report.counts.values()) == [1, 2]

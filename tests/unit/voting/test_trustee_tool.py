"""Trustees with the offline tool: transport keys, dealing sealed shares, decrypting — the
server only ever sees public values; a wrong passphrase or a bad share is named."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from syros_app.__main__ import main
from syros_app.voting import actions, encrypted, queries, trustee
from syros_app.voting.actions import OptionInput
from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import record as rec
from tests.support import personas

from .helpers import NOW, make_roll

PASS = b"correct horse battery staple"


@pytest.fixture
def ceremony(session, tmp_path):
    staff = personas.administrator(session, "vote-admin")  # votes are administrators'
    voters = [personas.resident(session, key) for key in ("eleni", "nikos")]
    trustees = [personas.administrator(session), staff, personas.resident(session, "maria")]
    roll = make_roll(session, {"eleni": "Ερμούπολη", "nikos": "Ερμούπολη"})
    vote = actions.create_vote(session, actor=staff, title="Δημοψήφισμα", question="Ναι ή όχι;", kind="yes_no",
                               roll_id=roll.id, now=NOW, options=[OptionInput("Ναι"), OptionInput("Όχι")])
    encrypted.set_trustees(session, actor=staff, vote_id=vote.id, threshold=2, now=NOW, trustees=[
        encrypted.TrusteeInput(f"T{i}", t.person_id) for i, t in enumerate(trustees, start=1)])
    keys = [tmp_path / f"t{i}.key" for i in (1, 2, 3)]
    for actor, key in zip(trustees, keys):
        out = trustee.init(key, PASS)
        encrypted.post_transport_key(session, actor=actor, vote_id=vote.id, public_key=out["public_key"], now=NOW)
    session.commit()
    return staff, voters, trustees, vote, keys


def _kit(session, vote):
    return json.loads(json.dumps(queries.trustee_kit(session, vote.id)))


def test_the_whole_ceremony_through_the_tool(session, ceremony):
    staff, voters, trustees, vote, keys = ceremony
    for actor, key in zip(trustees, keys):
        out = trustee.deal(key, _kit(session, vote), PASS)
        assert "own_share" not in json.dumps(out)  # the trustee's own share stays in the key file
        encrypted.post_commitments(session, actor=actor, vote_id=vote.id, commitments=out["commitments"],
                                   sealed_shares=out["sealed_shares"], now=NOW)
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=7), now=NOW)
    election = queries.election_of(vote)
    for voter, choice in zip(voters, ([1, 0], [1, 0])):
        encrypted.cast_encrypted_ballot(session, actor=voter, vote_id=vote.id, now=NOW,
                                        ballot=bl.encrypt_ballot(election, choice).ballot)
    later = NOW + timedelta(hours=1)
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=later)
    for index in (1, 3):  # trustee 2 is away: k = 2 suffice
        out = trustee.decrypt(keys[index - 1], _kit(session, vote), PASS)
        encrypted.post_partial_decryption(session, actor=trustees[index - 1], vote_id=vote.id,
                                          partials=out["partials"], now=later)
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=later)
    _, results = queries.published_results(session, vote.id)
    assert [o["votes"] for o in results["options"]] == [2, 0]
    assert rec.verify(queries.election_record(session, vote.id)).trustees_decrypting == [1, 3]


def test_wrong_passphrase_and_bad_shares_are_named(session, ceremony, tmp_path):
    staff, voters, trustees, vote, keys = ceremony
    with pytest.raises(trustee.TrusteeError, match="passphrase"):
        trustee.deal(keys[0], _kit(session, vote), b"not the passphrase at all")
    deals = [trustee.deal(key, _kit(session, vote), PASS) for key in keys]
    # trustee 2 seals garbage to trustee 1
    deals[1]["sealed_shares"]["1"] = deals[1]["sealed_shares"]["3"]
    for actor, out in zip(trustees, deals):
        encrypted.post_commitments(session, actor=actor, vote_id=vote.id, commitments=out["commitments"],
                                   sealed_shares=out["sealed_shares"], now=NOW)
    kit = _kit(session, vote)
    with pytest.raises(trustee.TrusteeError, match="trustee 2"):
        trustee.secret_share(trustee.read_key(keys[0], PASS), kit)
    trustee.secret_share(trustee.read_key(keys[2], PASS), kit)  # trustee 3's shares are all fine
    with pytest.raises(trustee.TrusteeError, match="exists"):
        trustee.init(keys[0], PASS)
    stolen = json.loads(keys[0].read_text())
    assert "transport_private" not in keys[0].read_text() and base64.b64decode(stolen["sealed"])


def test_cli_steps_and_exit_codes(session, ceremony, tmp_path, monkeypatch, capsys):
    staff, voters, trustees, vote, keys = ceremony
    monkeypatch.setenv("SYROS_TRUSTEE_PASSPHRASE", PASS.decode())
    kit = tmp_path / "kit.json"
    kit.write_text(json.dumps(_kit(session, vote)))
    out = tmp_path / "deal.json"
    assert main(["voting", "trustee", "deal", "--key", str(keys[0]), "--kit", str(kit), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["step"] == "commitments"
    assert main(["voting", "trustee", "decrypt", "--key", str(keys[0]), "--kit", str(kit)]) == 1
    assert "not closed" in capsys.readouterr().err
    monkeypatch.setenv("SYROS_TRUSTEE_PASSPHRASE", "another passphrase")
    assert main(["voting", "trustee", "deal", "--key", str(keys[0]), "--kit", str(kit)]) == 1
    assert "wrong passphrase" in capsys.readouterr().err


def test_the_trustee_page_names_each_trustees_next_step(session, ceremony):
    from syros_app.voting import views

    staff, voters, trustees, vote, keys = ceremony
    assert views.trustee_page(session, voters[0], vote.id)["is_trustee"] is False
    page = views.trustee_page(session, trustees[2], vote.id)
    assert (page["index"], page["threshold"], page["trustees"], page["step"]) == (3, 2, 3, "commitments")
    out = trustee.deal(keys[2], _kit(session, vote), PASS)
    encrypted.post_commitments(session, actor=trustees[2], vote_id=vote.id, commitments=out["commitments"],
                               sealed_shares=out["sealed_shares"], now=NOW)
    assert views.trustee_page(session, trustees[2], vote.id)["step"] == "check"  # the shares dealt to it
    panel = views.trustee_panel(session, vote)
    assert [(r.key_posted, r.dealt) for r in panel["trustee_rows"]] == [(True, False), (True, False), (True, True)]
    assert panel["encrypted"] and not panel["key_ready"]
    assert {c.person_id for c in panel["trustee_candidates"]} >= {str(staff.person_id), str(trustees[0].person_id)}


def _deal_all(session, trustees, keys, vote, tamper=None):
    deals = [trustee.deal(key, _kit(session, vote), PASS) for key in keys]
    if tamper:
        tamper(deals)
    for actor, out in zip(trustees, deals):
        encrypted.post_commitments(session, actor=actor, vote_id=vote.id, commitments=out["commitments"],
                                   sealed_shares=out["sealed_shares"], now=NOW)


def _garbage_from_2_to_1(deals):
    deals[1]["sealed_shares"]["1"] = deals[1]["sealed_shares"]["3"]


def test_check_writes_a_complaint_and_answer_reveals_the_share(session, ceremony, tmp_path, monkeypatch, capsys):
    from syros_app.voting import ceremony as key_ceremony

    staff, voters, trustees, vote, keys = ceremony
    _deal_all(session, trustees, keys, vote, _garbage_from_2_to_1)
    monkeypatch.setenv("SYROS_TRUSTEE_PASSPHRASE", PASS.decode())
    kit, out = tmp_path / "kit.json", tmp_path / "complaint.json"
    kit.write_text(json.dumps(_kit(session, vote)))
    assert main(["voting", "trustee", "check", "--key", str(keys[2]), "--kit", str(kit)]) == 0  # all fine for 3
    assert "nothing to post" in capsys.readouterr().out
    assert main(["voting", "trustee", "check", "--key", str(keys[0]), "--kit", str(kit), "--out", str(out)]) == 0
    complaint = json.loads(out.read_text())
    assert complaint == {"step": "complaint", "dealer": 2}
    key_ceremony.file_complaint(session, actor=trustees[0], vote_id=vote.id, dealer=complaint["dealer"], now=NOW)
    assert vote.election_json is None
    assert trustee.check(keys[0], _kit(session, vote), PASS) is None  # already complained: nothing more
    with pytest.raises(trustee.TrusteeError, match="no complaint"):
        trustee.answer(keys[0], _kit(session, vote), PASS)
    kit.write_text(json.dumps(_kit(session, vote)))
    answers = tmp_path / "answers.json"
    assert main(["voting", "trustee", "answer", "--key", str(keys[1]), "--kit", str(kit), "--out", str(answers)]) == 0
    posted = json.loads(answers.read_text())
    assert posted["step"] == "answers" and list(posted["answers"]) == ["1"]
    key_ceremony.answer_complaints(session, actor=trustees[1], vote_id=vote.id, answers=posted["answers"], now=NOW)
    assert json.loads(vote.election_json)["qualified"] == [1, 2, 3]  # answered validly: fixed by itself

    # the vote runs; trustee 1 decrypts with the share trustee 2 revealed (its sealed one is garbage)
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=7), now=NOW)
    election = queries.election_of(vote)
    for voter, choice in zip(voters, ([0, 1], [1, 0])):
        encrypted.cast_encrypted_ballot(session, actor=voter, vote_id=vote.id, now=NOW,
                                        ballot=bl.encrypt_ballot(election, choice).ballot)
    later = NOW + timedelta(hours=1)
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=later)
    for index in (1, 2):
        out = trustee.decrypt(keys[index - 1], _kit(session, vote), PASS)
        encrypted.post_partial_decryption(session, actor=trustees[index - 1], vote_id=vote.id,
                                          partials=out["partials"], now=later)
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=later)
    files = queries.election_record(session, vote.id)
    assert rec.verify(files).counts == dict(zip(election.option_ids, [1, 1]))
    assert files["manifest.json"]["complaints"][0]["dealer"] == 2


def test_a_dealer_who_reveals_a_wrong_share_is_left_out_and_still_decrypts(session, ceremony):
    from syros_app.voting import ceremony as key_ceremony

    staff, voters, trustees, vote, keys = ceremony
    _deal_all(session, trustees, keys, vote, _garbage_from_2_to_1)
    complaint = trustee.check(keys[0], _kit(session, vote), PASS)
    key_ceremony.file_complaint(session, actor=trustees[0], vote_id=vote.id, dealer=complaint["dealer"], now=NOW)
    posted = trustee.answer(keys[1], _kit(session, vote), PASS)
    posted["answers"]["1"] = trustee.read_key(keys[1], PASS)["dealt_shares"]["3"]  # the wrong share revealed
    key_ceremony.answer_complaints(session, actor=trustees[1], vote_id=vote.id, answers=posted["answers"], now=NOW)
    assert _kit(session, vote)["disqualified"] == [2]
    key_ceremony.complete_ceremony(session, actor=staff, vote_id=vote.id, now=NOW)
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=7), now=NOW)
    election = queries.election_of(vote)
    encrypted.cast_encrypted_ballot(session, actor=voters[0], vote_id=vote.id, now=NOW,
                                    ballot=bl.encrypt_ballot(election, [1, 0]).ballot)
    later = NOW + timedelta(hours=1)
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=later)
    for index in (1, 2):  # 2 is not in QUAL, yet holds f_1(2) + f_3(2)
        out = trustee.decrypt(keys[index - 1], _kit(session, vote), PASS)
        encrypted.post_partial_decryption(session, actor=trustees[index - 1], vote_id=vote.id,
                                          partials=out["partials"], now=later)
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=later)
    files = queries.election_record(session, vote.id)
    assert files["manifest.json"]["qualified"] == [1, 3]
    assert rec.verify(files).counts == dict(zip(election.option_ids, [1, 0]))

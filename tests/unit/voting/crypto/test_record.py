"""The election record: a whole encrypted vote verifies, and each kind of alteration is named."""

from __future__ import annotations

import copy
import json

import pytest

from syros_app.__main__ import main
from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import group as g
from syros_app.voting.crypto import record as rec
from syros_app.voting.crypto import simulation as sim


@pytest.fixture(scope="module")
def budget_record():
    bare = bl.Election(vote_id=9, kind="budget", option_ids=(11, 12, 13, 14),
                       costs=(40_000, 25_000, 60_000, 10_000), budget_total=100_000, threshold=2, trustees=3)
    trustees = sim.key_ceremony(bare, ["Μαρία", "Γιώργος", "Ελένη"])
    choices = [[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 0], [0, 1, 1, 0], [1, 1, 0, 0]]
    return sim.full_record(trustees, title="Συμμετοχικός προϋπολογισμός", question="Ποια έργα;",
                           option_titles=["Παιδική χαρά", "Φωτισμός", "Πεζόδρομος", "Βρύση"],
                           choices=choices, audited=[[0, 0, 0, 1]], who=[1, 3])


@pytest.fixture(scope="module")
def yes_no_record():
    bare = bl.Election(vote_id=3, kind="yes_no", option_ids=(1, 2), threshold=2, trustees=3)
    trustees = sim.key_ceremony(bare, ["A", "B", "C"])
    return sim.full_record(trustees, title="t", question="q", option_titles=["Ναι", "Όχι"],
                           choices=[[1, 0]] * 4 + [[0, 1]] * 3, who=[2, 3])


def test_a_whole_record_verifies(budget_record, yes_no_record):
    report = rec.verify(budget_record)
    assert report.ballots == 5 and report.spoiled == 1
    assert report.counts == {11: 3, 12: 3, 13: 2, 14: 2}
    assert report.trustees_decrypting == [1, 3]
    assert budget_record["results.json"]["winners"] == [12, 11, 14]  # tie at 3 votes: the cheaper first
    assert rec.verify(yes_no_record).counts == {1: 4, 2: 3}


def test_archive_round_trip(budget_record, tmp_path):
    data = rec.write_archive(budget_record)
    assert rec.read_archive(data) == json.loads(json.dumps(budget_record))
    (tmp_path / "r.zip").write_bytes(data)
    assert rec.verify(rec.read_archive(tmp_path / "r.zip")).counts[11] == 3
    with pytest.raises(rec.RecordError):
        rec.read_archive(b"not a zip")


def _altered(record, change):
    altered = copy.deepcopy(record)
    change(altered)
    return altered


def _other_point():
    return g.base(g.random_scalar()).hex()


def _swap_ciphertext(r):
    r["ballots.json"][0]["ballot"]["selections"][0]["beta"] = _other_point()
    r["ballots.json"][0]["fingerprint"] = bl.fingerprint(r["ballots.json"][0]["ballot"])  # a careful forger


def _bump_scalar(text):
    return g.encode_scalar(g.decode_scalar(text) + 1)


def _set(path, value):
    def change(r):
        target = r
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value(target[path[-1]]) if callable(value) else value
        if path[0] == "ballots.json" and path[2] == "ballot":  # a careful forger fixes the fingerprint
            entry = r["ballots.json"][path[1]]
            entry["fingerprint"] = bl.fingerprint(entry["ballot"])
    return change


CASES = {
    "ciphertext": (_swap_ciphertext, "ballot .*selection/0: proof does not verify"),
    "fingerprint": (_set(["ballots.json", 1, "fingerprint"], "0" * 64), "fingerprint does not match"),
    "selection proof": (_set(["ballots.json", 2, "ballot", "selections", 1, "proof", "z", 0], _bump_scalar),
                        "selection/1: proof does not verify"),
    "count proof": (_set(["ballots.json", 0, "ballot", "count_proof", "c", 0], _bump_scalar),
                    "count: proof does not verify"),
    "budget proof": (_set(["ballots.json", 0, "ballot", "budget", "proof", "z", 0], _bump_scalar),
                     "budget-sum: proof does not verify"),
    "budget bit": (_set(["ballots.json", 3, "ballot", "budget", "bits", 0, "alpha"], lambda _: _other_point()),
                   "budget-bit/0: proof does not verify"),
    "count": (_set(["tally.json", "options", 2, "votes"], lambda v: v + 1), "option 13: count 3 does not match"),
    "published count": (_set(["results.json", "options", 0, "votes"], lambda v: v - 1), "results.json: option 11"),
    "winners": (_set(["results.json", "winners"], [11, 13]), "winners"),
    "ballots stated": (_set(["tally.json", "ballots"], 6), "6 ballots stated"),
    "aggregate": (_set(["tally.json", "options", 0, "aggregate", "beta"], lambda _: _other_point()), "aggregate"),
    "partial share": (_set(["tally.json", "options", 1, "partials", 0, "share"], lambda _: _other_point()),
                      "partial decryption of trustee 1"),
    "too few trustees": (_set(["tally.json", "options", 0, "partials"], lambda p: p[:1]), "2 needed"),
    "trustee proof": (_set(["manifest.json", "trustees", 1, "proofs", 0, "z", 0], _bump_scalar), "trustee 2"),
    "public key": (_set(["manifest.json", "public_key"], lambda _: _other_point()), "public_key"),
    "parameters": (_set(["manifest.json", "parameters", "budget_total"], 200_000), "context"),
    "spoiled reveal": (_set(["spoiled.json", 0, "revealed", 0, "selection"], 1), "spoiled ballot"),
    "dropped ballot": (lambda r: r["ballots.json"].pop(), "ballots stated"),
    "duplicated ballot": (lambda r: r["ballots.json"].append(r["ballots.json"][0]), "appears twice"),
    "spoiled counted": (lambda r: r["ballots.json"].append({k: v for k, v in r["spoiled.json"][0].items()
                                                            if k != "revealed"}), "also among the cast"),
    "missing file": (lambda r: r.pop("tally.json"), "tally.json is missing"),
    "garbage": (_set(["ballots.json", 0, "ballot", "selections"], "x"), "ballot"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_alteration_is_refused_and_named(budget_record, case):
    change, message = CASES[case]
    with pytest.raises(rec.RecordError, match=message):
        rec.verify(_altered(budget_record, change))


def test_cli_verify_exit_codes(budget_record, tmp_path, capsys):
    good = tmp_path / "good.zip"
    good.write_bytes(rec.write_archive(budget_record))
    assert main(["voting", "verify", str(good), "--jobs", "1"]) == 0
    assert "RECORD VERIFIES" in capsys.readouterr().out
    bad = tmp_path / "bad.zip"
    bad.write_bytes(rec.write_archive(_altered(budget_record, CASES["count"][0])))
    assert main(["voting", "verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "RECORD DOES NOT VERIFY" in out and "option 13" in out
    assert main(["voting", "verify", str(tmp_path / "missing.zip")]) == 1


def test_parallel_verification_finds_the_same_failure(yes_no_record):
    many = copy.deepcopy(yes_no_record)
    rec_module_threshold = rec.PARALLEL_FROM
    try:
        rec.PARALLEL_FROM = 2  # the pool path with this small record
        assert rec.verify(many, jobs=2).counts == {1: 4, 2: 3}
        _set(["ballots.json", 5, "ballot", "count_proof", "z", 0], _bump_scalar)(many)
        with pytest.raises(rec.RecordError, match="count: proof does not verify"):
            rec.verify(many, jobs=2)
    finally:
        rec.PARALLEL_FROM = rec_module_threshold


def test_the_alteration_helper_fails_only_on_a_record_that_still_verifies(yes_no_record):
    from .helpers import assert_each_alteration_fails

    assert_each_alteration_fails(yes_no_record, (lambda f: f["tally.json"]["options"][0].update(votes=3),))
    with pytest.raises(AssertionError, match="alteration 0 verified"):
        assert_each_alteration_fails(yes_no_record, (lambda f: None,))


def test_the_archive_is_the_same_bytes_whenever_it_is_written():
    import time

    from syros_app.voting.crypto import record as rec

    files = {name: {"n": 1} for name in rec.FILES}
    first = rec.write_archive(files)
    time.sleep(2.1)  # zip times have a 2-second resolution
    assert rec.write_archive(files) == first

"""The trustee's browser code (assets/voting/trustee.js, run in Bun) against the offline tool
(voting/trustee.py) and the server: a key file made by either opens in the other, shares sealed by
either open in the other, a ceremony mixing both decrypts a vote whose record verifies, and the
browser follows the key ceremony as the offline tool does (check writes the same complaint, answer
reveals the same shares from either's key, decrypt sums over the qualified dealers only)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from nacl.public import PrivateKey, PublicKey, SealedBox

from syros_app.voting import actions, encrypted, queries, trustee
from syros_app.voting import ceremony as dkg
from syros_app.voting.actions import OptionInput
from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import record as rec
from tests.support import personas

from .helpers import NOW, make_roll

ROOT = Path(__file__).resolve().parents[3]
BUNDLE = ROOT / "assets" / "voting" / "trustee.js"
BUN = shutil.which("bun") or str(ROOT / ".tools" / "node_modules" / ".bin" / "bun")
PASS = "correct horse battery staple"
CHEAP = {"opslimit": 1, "memlimit": 1024 * 1024}  # the tests' own keys: the format records any cost

RUNNER = """
await import(process.argv[2]);
const T = globalThis.syrosTrustee;
const q = JSON.parse(await Bun.file(process.argv[3]).text());
const b64 = (u) => btoa(Array.from(u, (c) => String.fromCharCode(c)).join(""));
const unb64 = (t) => Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
const hex = (h) => Uint8Array.from(h.match(/../g).map((x) => parseInt(x, 16)));
try {
  let out;
  if (q.op === "init") out = await T.init(q.passphrase, q.cost ? { cost: q.cost } : {});
  else if (q.op === "deal") out = await T.deal(q.key, q.passphrase, q.kit);
  else if (q.op === "check") out = await T.check(q.key, q.passphrase, q.kit);
  else if (q.op === "answer") out = await T.answer(q.key, q.passphrase, q.kit);
  else if (q.op === "decrypt") out = await T.decrypt(q.key, q.passphrase, q.kit);
  else if (q.op === "read") out = (await T.readKey(q.key, q.passphrase)).content;
  else if (q.op === "seal") out = b64(T.seal(hex(q.public_key), unb64(q.message)));
  else if (q.op === "open") out = b64(T.openSealed(hex(q.secret_key), unb64(q.sealed)));
  console.log(JSON.stringify({ ok: out }));
} catch (e) {
  console.log(JSON.stringify({ error: e.code || String(e), detail: e.detail || {} }));
}
"""


def browser(tmp_path: Path, **request) -> dict:
    """Run one operation of the browser's trustee code; {"ok": …} or {"error": code, "detail": …}."""
    if not Path(BUN).exists():
        pytest.fail("bun is needed to run the browser's trustee code (the project's .tools)")
    (tmp_path / "run.mjs").write_text(RUNNER)
    (tmp_path / "request.json").write_text(json.dumps(request))
    done = subprocess.run([BUN, str(tmp_path / "run.mjs"), str(BUNDLE), str(tmp_path / "request.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_key_file_made_in_the_browser_opens_with_the_cli_and_back(tmp_path):
    made = browser(tmp_path, op="init", passphrase=PASS)["ok"]  # the real (interactive) cost
    stored = json.loads(made["keyFile"])
    assert (stored["opslimit"], stored["memlimit"]) == (2, 64 * 1024 * 1024)
    assert "transport_private" not in made["keyFile"] and PASS not in made["keyFile"]
    key = tmp_path / "browser.key"
    key.write_text(made["keyFile"])
    content = trustee.read_key(key, PASS.encode())
    public = bytes(PrivateKey(bytes.fromhex(content["transport_private"])).public_key).hex()
    assert made["output"] == {"step": "transport_key", "public_key": public}
    with pytest.raises(trustee.TrusteeError, match="passphrase"):
        trustee.read_key(key, b"another passphrase")

    cli_key = tmp_path / "cli.key"
    out = trustee.init(cli_key, PASS.encode())
    opened = browser(tmp_path, op="read", key=cli_key.read_text(), passphrase=PASS)["ok"]
    assert bytes(PrivateKey(bytes.fromhex(opened["transport_private"])).public_key).hex() == out["public_key"]
    assert browser(tmp_path, op="read", key=cli_key.read_text(), passphrase="another passphrase")["error"] == "wrong_passphrase"
    assert browser(tmp_path, op="read", key='{"format": "x"}', passphrase=PASS)["error"] == "not_a_key"
    assert browser(tmp_path, op="init", passphrase="short")["error"] == "passphrase_short"


def test_sealed_boxes_open_on_either_side(tmp_path):
    mine, theirs = PrivateKey.generate(), PrivateKey.generate()
    message = bytes(range(32))
    sealed = browser(tmp_path, op="seal", public_key=bytes(theirs.public_key).hex(),
                     message=base64.b64encode(message).decode())["ok"]
    assert SealedBox(theirs).decrypt(base64.b64decode(sealed)) == message
    from_python = base64.b64encode(SealedBox(PublicKey(bytes(mine.public_key))).encrypt(message)).decode()
    opened = browser(tmp_path, op="open", secret_key=bytes(mine).hex(), sealed=from_python)["ok"]
    assert base64.b64decode(opened) == message
    assert "error" in browser(tmp_path, op="open", secret_key=bytes(theirs).hex(), sealed=from_python)


@pytest.fixture
def ceremony(session, tmp_path):
    """A yes/no vote with three trustees: 1 and 3 use the browser, 2 the offline command."""
    staff = personas.administrator(session, "vote-admin")
    voters = [personas.resident(session, key) for key in ("eleni", "nikos")]
    trustees = [personas.resident(session, "maria"), staff, personas.resident(session, "giorgos")]
    roll = make_roll(session, {"eleni": "Ερμούπολη", "nikos": "Ερμούπολη"})
    vote = actions.create_vote(session, actor=staff, title="Δημοψήφισμα", question="Ναι ή όχι;", kind="yes_no",
                               roll_id=roll.id, now=NOW, options=[OptionInput("Ναι"), OptionInput("Όχι")])
    encrypted.set_trustees(session, actor=staff, vote_id=vote.id, threshold=2, now=NOW, trustees=[
        encrypted.TrusteeInput(f"T{i}", t.person_id) for i, t in enumerate(trustees, start=1)])
    keys: dict[int, str] = {}
    for index, actor in enumerate(trustees, start=1):
        if index == 2:
            path = tmp_path / "t2.key"
            out = trustee.init(path, PASS.encode())
            keys[2] = str(path)
        else:
            made = browser(tmp_path, op="init", passphrase=PASS, cost=CHEAP)["ok"]
            out, keys[index] = made["output"], made["keyFile"]
        encrypted.post_transport_key(session, actor=actor, vote_id=vote.id, public_key=out["public_key"], now=NOW)
    session.commit()
    return staff, voters, trustees, vote, keys


def _kit(session, vote):
    return json.loads(json.dumps(queries.trustee_kit(session, vote.id)))


def _deal_all(session, tmp_path, trustees, vote, keys, tamper=None, dealers=(1, 2, 3)):
    deals = {}
    for index in dealers:
        if index == 2:
            deals[2] = trustee.deal(Path(keys[2]), _kit(session, vote), PASS.encode())
        else:
            made = browser(tmp_path, op="deal", key=keys[index], passphrase=PASS, kit=_kit(session, vote))["ok"]
            assert "own_share" not in json.dumps(made["output"]) and set(made["output"]) == {"step", "commitments", "sealed_shares"}
            deals[index], keys[index] = made["output"], made["keyFile"]
    if tamper:
        tamper(deals)
    for index in dealers:
        encrypted.post_commitments(session, actor=trustees[index - 1], vote_id=vote.id,
                                   commitments=deals[index]["commitments"],
                                   sealed_shares=deals[index]["sealed_shares"], now=NOW)
    return deals


def test_a_ceremony_mixing_browser_and_cli_decrypts_and_verifies(session, ceremony, tmp_path):
    staff, voters, trustees, vote, keys = ceremony
    _deal_all(session, tmp_path, trustees, vote, keys)
    assert vote.election_json  # the key is ready: every commitment and proof was accepted
    early = browser(tmp_path, op="decrypt", key=keys[1], passphrase=PASS, kit=_kit(session, vote))
    assert early["error"] == "not_closed"
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=7), now=NOW)
    election = queries.election_of(vote)
    for voter, choice in zip(voters, ([1, 0], [0, 1])):
        encrypted.cast_encrypted_ballot(session, actor=voter, vote_id=vote.id, now=NOW,
                                        ballot=bl.encrypt_ballot(election, choice).ballot)
    later = NOW + timedelta(hours=1)
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=later)
    kit = _kit(session, vote)
    # the browser's key (after dealing) also opens with the offline command, which decrypts with it
    key3 = tmp_path / "t3.key"
    key3.write_text(keys[3])
    assert trustee.read_key(key3, PASS.encode())["index"] == 3
    browser_partials = browser(tmp_path, op="decrypt", key=keys[1], passphrase=PASS, kit=kit)["ok"]["output"]
    assert browser_partials["step"] == "partials"
    encrypted.post_partial_decryption(session, actor=trustees[0], vote_id=vote.id,
                                      partials=browser_partials["partials"], now=later)
    cli_partials = trustee.decrypt(key3, kit, PASS.encode())
    encrypted.post_partial_decryption(session, actor=trustees[2], vote_id=vote.id,
                                      partials=cli_partials["partials"], now=later)
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=later)
    _, results = queries.published_results(session, vote.id)
    assert [o["votes"] for o in results["options"]] == [1, 1]
    assert rec.verify(queries.election_record(session, vote.id)).trustees_decrypting == [1, 3]


def test_the_browser_names_a_dealer_whose_share_is_wrong(session, ceremony, tmp_path):
    staff, voters, trustees, vote, keys = ceremony

    def swap(deals):  # trustee 2 seals to trustee 1 the share meant for trustee 3
        deals[2]["sealed_shares"]["1"] = deals[2]["sealed_shares"]["3"]

    _deal_all(session, tmp_path, trustees, vote, keys, tamper=swap)
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=7), now=NOW)
    encrypted.cast_encrypted_ballot(session, actor=voters[0], vote_id=vote.id, now=NOW,
                                    ballot=bl.encrypt_ballot(queries.election_of(vote), [1, 0]).ballot)
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=NOW + timedelta(hours=1))
    kit = _kit(session, vote)
    refused = browser(tmp_path, op="decrypt", key=keys[1], passphrase=PASS, kit=kit)
    assert refused["error"] in ("share_unopened", "share_wrong") and refused["detail"] == {"trustee": 2}
    assert browser(tmp_path, op="decrypt", key=keys[3], passphrase=PASS, kit=kit)["ok"]["output"]["step"] == "partials"
    assert browser(tmp_path, op="decrypt", key=keys[3], passphrase="wrong passphrase!", kit=kit)["error"] == "wrong_passphrase"


def _cast_and_close(session, staff, voters, vote, choices) -> dict:
    """Open the vote, cast ``choices`` (one per voter), close it; the kit with the sums."""
    actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=7), now=NOW)
    for voter, choice in zip(voters, choices):
        encrypted.cast_encrypted_ballot(session, actor=voter, vote_id=vote.id, now=NOW,
                                        ballot=bl.encrypt_ballot(queries.election_of(vote), choice).ballot)
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=NOW + timedelta(hours=1))
    return _kit(session, vote)


def _publish(session, staff, trustees, vote, partials: dict[int, dict]) -> rec.Report:
    """Post each trustee's partials, publish, and verify the record."""
    for index, out in partials.items():
        assert out["step"] == "partials"
        encrypted.post_partial_decryption(session, actor=trustees[index - 1], vote_id=vote.id,
                                          partials=out["partials"], now=NOW + timedelta(hours=1))
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(hours=1))
    return rec.verify(queries.election_record(session, vote.id))


def _key_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_staff_complete_with_k_and_a_browser_trustee_who_never_dealt_decrypts(session, ceremony, tmp_path):
    staff, voters, trustees, vote, keys = ceremony
    _deal_all(session, tmp_path, trustees, vote, keys, dealers=(2, 3))  # trustee 1 (browser) never deals
    nothing = browser(tmp_path, op="decrypt", key=keys[1], passphrase=PASS, kit={**_kit(session, vote), "aggregates": []})
    assert nothing["error"] == "key_not_fixed"  # no qualified set before staff complete the key
    dkg.complete_ceremony(session, actor=staff, vote_id=vote.id, now=NOW)
    kit = _cast_and_close(session, staff, voters, vote, ([1, 0], [1, 0]))
    assert kit["qualified"] == [2, 3] and kit["trustees"][0]["commitments"] is None
    never_dealt = browser(tmp_path, op="decrypt", key=keys[1], passphrase=PASS, kit=kit)["ok"]["output"]
    dealer = browser(tmp_path, op="decrypt", key=keys[3], passphrase=PASS, kit=kit)["ok"]["output"]
    assert len(never_dealt["partials"]) == 2 and all(p["trustee"] == 1 for p in never_dealt["partials"].values())
    report = _publish(session, staff, trustees, vote, {1: never_dealt, 3: dealer})
    assert report.trustees_decrypting == [1, 3] and sorted(report.counts.values()) == [0, 2]
    # the offline tool computes the same share for the trustee who never dealt (the proofs differ)
    cli = trustee.decrypt(_key_file(tmp_path, "t1.key", keys[1]), kit, PASS.encode())
    assert {o: p["share"] for o, p in cli["partials"].items()} == {o: p["share"] for o, p in never_dealt["partials"].items()}


def test_the_browser_complains_about_a_wrong_cli_share_and_uses_the_answer(session, ceremony, tmp_path):
    staff, voters, trustees, vote, keys = ceremony

    def swap(deals):  # trustee 2 (offline) seals to trustee 1 the share meant for trustee 3
        deals[2]["sealed_shares"]["1"] = deals[2]["sealed_shares"]["3"]

    _deal_all(session, tmp_path, trustees, vote, keys, tamper=swap)
    kit = _kit(session, vote)
    complaint = browser(tmp_path, op="check", key=keys[1], passphrase=PASS, kit=kit)["ok"]["output"]
    assert complaint == {"step": "complaint", "dealer": 2}
    assert complaint == trustee.check(_key_file(tmp_path, "t1.key", keys[1]), kit, PASS.encode())
    assert browser(tmp_path, op="check", key=keys[3], passphrase=PASS, kit=kit)["ok"]["output"] is None
    dkg.file_complaint(session, actor=trustees[0], vote_id=vote.id, dealer=complaint["dealer"], now=NOW)
    kit = _kit(session, vote)
    assert vote.election_json is None and kit["qualified"] is None  # the key waits for the answer
    assert browser(tmp_path, op="check", key=keys[1], passphrase=PASS, kit=kit)["ok"]["output"] is None
    # the dealer answers (offline); the browser reads the same answer from the offline key
    answers = trustee.answer(Path(keys[2]), kit, PASS.encode())
    cli_key = Path(keys[2]).read_text()
    assert browser(tmp_path, op="answer", key=cli_key, passphrase=PASS, kit=kit)["ok"]["output"] == answers
    assert browser(tmp_path, op="answer", key=keys[3], passphrase=PASS, kit=kit)["error"] == "no_complaint"
    dkg.answer_complaints(session, actor=trustees[1], vote_id=vote.id, answers=answers["answers"], now=NOW)
    assert _kit(session, vote)["complaints"][0]["status"] == "answered" and vote.election_json  # all n dealt
    kit = _cast_and_close(session, staff, voters, vote, ([1, 0], [0, 1]))
    assert browser(tmp_path, op="check", key=keys[1], passphrase=PASS, kit=kit)["ok"]["output"] is None
    partials = {1: browser(tmp_path, op="decrypt", key=keys[1], passphrase=PASS, kit=kit)["ok"]["output"],
                2: trustee.decrypt(Path(keys[2]), kit, PASS.encode())}
    report = _publish(session, staff, trustees, vote, partials)
    assert report.trustees_decrypting == [1, 2] and sorted(report.counts.values()) == [1, 1]


def test_a_browser_dealer_answers_in_the_browser_or_with_the_cli(session, ceremony, tmp_path):
    staff, voters, trustees, vote, keys = ceremony

    def swap(deals):  # trustee 1 (browser) seals to trustee 2 the share meant for trustee 3
        deals[1]["sealed_shares"]["2"] = deals[1]["sealed_shares"]["3"]

    _deal_all(session, tmp_path, trustees, vote, keys, tamper=swap)
    dealt = browser(tmp_path, op="read", key=keys[1], passphrase=PASS)["ok"]
    assert set(dealt["dealt_shares"]) == {"1", "2", "3"} and dealt["dealt_shares"]["1"] == dealt["own_share"]
    before = browser(tmp_path, op="answer", key=keys[1], passphrase=PASS, kit=_kit(session, vote))
    assert before["error"] == "no_complaint"
    complaint = trustee.check(Path(keys[2]), _kit(session, vote), PASS.encode())
    assert complaint == {"step": "complaint", "dealer": 1}
    dkg.file_complaint(session, actor=trustees[1], vote_id=vote.id, dealer=1, now=NOW)
    kit = _kit(session, vote)
    in_browser = browser(tmp_path, op="answer", key=keys[1], passphrase=PASS, kit=kit)["ok"]["output"]
    offline = trustee.answer(_key_file(tmp_path, "t1.key", keys[1]), kit, PASS.encode())
    assert in_browser == offline == {"step": "answers", "answers": {"2": dealt["dealt_shares"]["2"]}}
    dkg.answer_complaints(session, actor=trustees[0], vote_id=vote.id, answers=in_browser["answers"], now=NOW)
    assert _kit(session, vote)["complaints"][0]["status"] == "answered" and vote.election_json
    kit = _cast_and_close(session, staff, voters, vote, ([0, 1], [0, 1]))
    partials = {2: trustee.decrypt(Path(keys[2]), kit, PASS.encode()),  # trustee 2 uses the revealed share
                3: browser(tmp_path, op="decrypt", key=keys[3], passphrase=PASS, kit=kit)["ok"]["output"]}
    report = _publish(session, staff, trustees, vote, partials)
    assert report.trustees_decrypting == [2, 3] and sorted(report.counts.values()) == [0, 2]


def test_a_browser_key_that_never_dealt_has_nothing_to_answer(session, ceremony, tmp_path):
    staff, voters, trustees, vote, keys = ceremony
    kit = _kit(session, vote)
    kit["complaints"] = [{"dealer": 1, "complainant": 2, "share": None, "status": "pending"}]
    assert browser(tmp_path, op="answer", key=keys[1], passphrase=PASS, kit=kit)["error"] == "no_dealt_shares"
    with pytest.raises(trustee.TrusteeError, match="no shares dealt"):
        trustee.answer(_key_file(tmp_path, "t1.key", keys[1]), kit, PASS.encode())

"""The browser's ballot (assets/voting/ballot.js, run in Bun) against the Python verifier:
the two implementations of RECORD.md must agree on every ballot, fingerprint, receipt and audit."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import proofs as pf
from syros_app.voting.crypto import record as rec
from syros_app.voting.crypto import simulation as sim

ROOT = Path(__file__).resolve().parents[4]
BUNDLE = ROOT / "assets" / "voting" / "ballot.js"
BUN = shutil.which("bun") or str(ROOT / ".tools" / "node_modules" / ".bin" / "bun")

RUNNER = """
globalThis.window = globalThis;
await import(process.argv[2]);
const input = JSON.parse(await Bun.file(process.argv[3]).text());
const out = input.choices.map((choice) => {
  try { return window.syrosBallot.encryptBallot(input.manifest, choice); }
  catch (e) { return { error: String(e.message) }; }
});
const opened = out.filter((o) => !o.error).map((o) => window.syrosBallot.checkAudit(input.manifest, o.audit));
console.log(JSON.stringify({ out, opened }));
"""


def _run_browser_code(tmp_path, manifest, choices):
    if not Path(BUN).exists():
        pytest.fail("bun is needed to run the browser's ballot code (the project's .tools)")
    (tmp_path / "run.mjs").write_text(RUNNER)
    (tmp_path / "input.json").write_text(json.dumps({"manifest": manifest, "choices": choices}))
    done = subprocess.run([BUN, str(tmp_path / "run.mjs"), str(BUNDLE), str(tmp_path / "input.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("bare,choices,refused", [
    (bl.Election(vote_id=4, kind="yes_no", option_ids=(1, 2), threshold=2, trustees=3), [[1, 0], [0, 1]], [[1, 1]]),
    (bl.Election(vote_id=5, kind="multiple", option_ids=(1, 2, 3, 4), max_choices=2, threshold=2, trustees=3),
     [[1, 0, 1, 0], [0, 0, 0, 1]], [[1, 1, 1, 0], [0, 0, 0, 0]]),
    (bl.Election(vote_id=6, kind="budget", option_ids=tuple(range(1, 11)),
                 costs=(12_000, 25_000, 40_000, 8_500, 60_000, 15_000, 30_000, 22_000, 9_000, 50_000),
                 budget_total=150_000, threshold=2, trustees=3),
     [[1, 1, 0, 1, 0, 1, 0, 0, 1, 0], [0, 0, 0, 0, 1, 0, 0, 0, 0, 1]], [[0, 0, 1, 0, 1, 0, 1, 0, 0, 1]]),  # 180,000 > 150,000
])
def test_browser_ballots_verify_on_the_server(tmp_path, bare, choices, refused):
    trustees = sim.key_ceremony(bare, ["A", "B", "C"])
    manifest = rec.manifest(trustees.election, title="t", question="q",
                            option_titles=[str(i) for i in bare.option_ids], trustees=trustees.record_trustees())
    result = _run_browser_code(tmp_path, manifest, choices + refused)
    made, refusals = result["out"][:len(choices)], result["out"][len(choices):]
    assert all("error" in r for r in refusals)  # the browser will not even build a ballot the rules refuse
    assert result["opened"] == [True] * len(choices)
    for choice, item in zip(choices, made):
        election = rec.election_of(manifest)
        bl.verify_ballot(election, item["ballot"])
        assert item["fingerprint"] == bl.fingerprint(item["ballot"])
        assert item["receipt"] == bl.receipt(item["fingerprint"])
        assert bl.verify_audit(election, item["audit"]) == choice  # the Benaloh opening checks in Python too
        broken = json.loads(json.dumps(item["ballot"]))
        broken["selections"][0]["proof"]["c"].reverse()
        with pytest.raises(pf.ProofError):
            bl.verify_ballot(election, broken)

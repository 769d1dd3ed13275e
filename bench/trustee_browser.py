"""How long a trustee waits in the browser (printed, not a timed test).

    .venv/bin/python bench/trustee_browser.py [--runs 3] [--throttle 4]

assets/voting/trustee.js in Chromium, unthrottled and with CDP CPU throttling (a phone): the
Argon2id derivation of a key file at the command's cost (2 passes over 64 MiB) — what each step
(create, deal, check, answer, decrypt) spends most of its time on — a whole deal for 3 trustees,
k = 2 (one derivation, the polynomial, commitments, proofs, two sealed shares), and a whole check
of the two shares sealed to trustee 1 by the others (one derivation, two sealed boxes opened, each
share checked against its dealer's commitments).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASS = "a bench passphrase"


def main() -> int:
    from nacl.public import PrivateKey
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--throttle", type=float, default=4)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                     args=["--no-sandbox"])
        for rate in (1, args.throttle):
            page = browser.new_page()
            page.set_content("<!doctype html><title>bench</title>")
            page.add_script_tag(path=str(ROOT / "assets" / "voting" / "trustee.js"))
            if rate != 1:
                page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
            made = page.evaluate("async (p) => { const t = performance.now(); const r = await syrosTrustee.init(p);"
                                 " return [performance.now() - t, r]; }", PASS)
            others = [bytes(PrivateKey.generate().public_key).hex() for _ in range(2)]
            kit = {"vote_id": 1, "context": "11" * 32, "parameters": {"threshold": 2},
                   "trustees": [{"index": 1, "transport_key": made[1]["output"]["public_key"]},
                                *({"index": i, "transport_key": k} for i, k in enumerate(others, start=2))]}
            deals = page.evaluate("""async ([key, p, kit, runs]) => {
                const out = [];
                for (let i = 0; i < runs; i++) {
                    const t = performance.now();
                    await syrosTrustee.deal(key, p, kit);
                    out.push(performance.now() - t);
                }
                return out;
            }""", [made[1]["keyFile"], PASS, kit, args.runs])
            checks = page.evaluate("""async ([p, kit, runs]) => {
                const keys = [];
                for (let i = 0; i < 3; i++) keys.push(await syrosTrustee.init(p));
                kit = { ...kit, trustees: keys.map((k, i) => ({ index: i + 1, transport_key: k.output.public_key })) };
                for (const [i, k] of keys.entries()) {
                    const dealt = await syrosTrustee.deal(k.keyFile, p, kit);
                    Object.assign(kit.trustees[i], { commitments: dealt.output.commitments,
                                                     sealed_shares: dealt.output.sealed_shares });
                    k.keyFile = dealt.keyFile;
                }
                const out = [];
                for (let i = 0; i < runs; i++) {
                    const t = performance.now();
                    const found = await syrosTrustee.check(keys[0].keyFile, p, { ...kit, complaints: [] });
                    if (found.output !== null) throw new Error("a share did not verify");
                    out.push(performance.now() - t);
                }
                return out;
            }""", [PASS, kit, args.runs])
            print(f"Chromium, CPU {rate:g}x: create a key (one Argon2id, 64 MiB, 2 passes) {made[0]:.0f} ms; "
                  f"deal for 3 trustees, k = 2: median {statistics.median(deals):.0f} ms (max {max(deals):.0f}); "
                  f"check the 2 shares dealt to me: median {statistics.median(checks):.0f} ms (max {max(checks):.0f})")
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

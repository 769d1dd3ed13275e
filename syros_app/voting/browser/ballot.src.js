// The secret ballot in the voter's browser: the same mathematics as syros_app/voting/crypto
// (RECORD.md is the contract), on @noble/curves and @noble/hashes through group.js (shared with
// the trustee's bundle). Bundled by build.sh into assets/voting/ballot.js as window.syrosBallot.
// The choice never leaves this file in clear: the page gets back a ballot (ciphertexts and
// proofs), its receipt, and — only if the voter challenges it — its opening for the audit.
import { sha256 } from "@noble/hashes/sha2.js";
import {
  G, ZERO, bytesToHex, canonical, decodePoint, enc, hexToBytes, leToBig, mod, mul, proveAny, randomScalar, scalarHex,
} from "./group.js";

const TAGS = {
  selection: "syros-agora/v1/selection",
  count: "syros-agora/v1/count",
  bit: "syros-agora/v1/budget-bit",
  budget: "syros-agora/v1/budget-sum",
};
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const encrypt = (H, m, r) => ({ alpha: mul(r, G), beta: mul(BigInt(m), G).add(mul(r, H)) });
const ctJson = (ct) => ({ alpha: ct.alpha.toHex(), beta: ct.beta.toHex() });
const combine = (cts) => cts.reduce((a, c) => ({ alpha: a.alpha.add(c.alpha), beta: a.beta.add(c.beta) }), { alpha: ZERO, beta: ZERO });
const scale = (ct, k) => ({ alpha: mul(k, ct.alpha), beta: mul(k, ct.beta) });
const minus = (a, b) => ({ alpha: a.alpha.subtract(b.alpha), beta: a.beta.subtract(b.beta) });

function proveInSet(tag, context, H, ct, r, m, values) {
  const statements = values.map((v) => [G, ct.alpha, H, ct.beta.subtract(mul(BigInt(v), G))]);
  return proveAny(tag, context, statements, values.indexOf(m), r);
}

function gcd(a, b) { while (b) [a, b] = [b, a % b]; return a; }

function allowedCounts(p) {
  const n = p.options.length;
  if (p.kind === "yes_no" || p.kind === "single") return [1];
  const top = p.kind === "multiple" ? Math.min(p.max_choices || n, n) : n;
  return Array.from({ length: top }, (_, i) => i + 1);
}

// manifest: the vote's manifest.json (parameters, context, public_key); selections: 0/1 per option.
function encryptBallot(manifest, selections) {
  const p = manifest.parameters;
  const H = decodePoint(manifest.public_key).precompute(8);
  const context = hexToBytes(manifest.context);
  if (selections.length !== p.options.length || selections.some((s) => s !== 0 && s !== 1)) throw new Error("0/1 per option");
  const count = selections.reduce((a, s) => a + s, 0);
  if (!allowedCounts(p).includes(count)) throw new Error("wrong number of choices");
  const nonces = selections.map(() => randomScalar());
  const cts = selections.map((s, i) => encrypt(H, s, nonces[i]));
  const ballot = {
    selections: cts.map((ct, i) => ({ ...ctJson(ct), proof: proveInSet(`${TAGS.selection}/${i}`, context, H, ct, nonces[i], selections[i], [0, 1]) })),
    count_proof: proveInSet(TAGS.count, context, H, combine(cts), mod(nonces.reduce((a, r) => a + r, 0n)), count, allowedCounts(p)),
  };
  if (p.kind === "budget") {
    let unit = 0;
    for (const c of [...p.costs, p.budget_total]) unit = gcd(unit, c);
    unit = unit || 1;
    const weights = p.costs.map((c) => c / unit), T = p.budget_total / unit;
    const bits = Math.max(1, T.toString(2).length);
    const slack = T - weights.reduce((a, w, i) => a + w * selections[i], 0);
    if (slack < 0) throw new Error("over budget");
    const slackR = mod(-weights.reduce((a, w, i) => a + BigInt(w) * nonces[i], 0n));
    const bitNonces = Array.from({ length: bits }, () => randomScalar());
    const bitValues = Array.from({ length: bits }, (_, j) => Math.floor(slack / 2 ** j) % 2);
    const bitCts = bitValues.map((b, j) => encrypt(H, b, bitNonces[j]));
    const D = minus({ alpha: ZERO, beta: mul(BigInt(T), G) }, combine(cts.map((ct, i) => scale(ct, BigInt(weights[i])))));
    const rest = minus(D, combine(bitCts.map((ct, j) => scale(ct, 1n << BigInt(j)))));
    const restR = mod(slackR - bitNonces.reduce((a, t, j) => a + (1n << BigInt(j)) * t, 0n));
    ballot.budget = {
      bits: bitCts.map((ct, j) => ({ ...ctJson(ct), proof: proveInSet(`${TAGS.bit}/${j}`, context, H, ct, bitNonces[j], bitValues[j], [0, 1]) })),
      proof: proveInSet(TAGS.budget, context, H, rest, restR, 0, [0]),
    };
  }
  const fingerprint = bytesToHex(sha256(enc.encode(canonical(ballot))));
  return {
    ballot, fingerprint, receipt: receipt(fingerprint),
    // the Benaloh challenge: what an audit reveals (only if the voter does not cast this one)
    audit: { ballot, revealed: selections.map((s, i) => ({ selection: s, nonce: scalarHex(nonces[i]) })) },
  };
}

function receipt(fingerprintHex) {
  let n = BigInt("0x" + fingerprintHex.slice(0, 20));
  let out = "";
  for (let i = 0; i < 16; i++) { out = ALPHABET[Number(n & 31n)] + out; n >>= 5n; }
  return out.match(/..../g).join("-");
}

// Re-check an opened ballot in the browser (the independent verifier checks it again).
function checkAudit(manifest, audit) {
  const H = decodePoint(manifest.public_key);
  return audit.revealed.every((item, i) => {
    const ct = encrypt(H, item.selection, leToBig(hexToBytes(item.nonce)));
    const sel = audit.ballot.selections[i];
    return ct.alpha.toHex() === sel.alpha && ct.beta.toHex() === sel.beta;
  });
}

// The vote page (voting/pages.py): the choice lives only in the form's inputs (name
// "secret-choice", never sent to the server); seal() encrypts it and keeps the opening here.
// Only the ballot (ciphertexts + proofs) and its receipt go back to the page's state.
let pending = null;
const inputs = () => Array.from(document.querySelectorAll('input[name="secret-choice"]'));

function readChoice(manifest) {
  const p = manifest.parameters;
  const checked = new Set(inputs().filter((i) => i.checked).map((i) => i.value));
  const selections = p.options.map((id) => (checked.has(String(id)) ? 1 : 0));
  const count = selections.reduce((a, s) => a + s, 0);
  if (count === 0) return { error: "empty_choice" };
  if ((p.kind === "yes_no" || p.kind === "single") && count !== 1) return { error: "choose_one" };
  if (p.kind === "multiple" && count > (p.max_choices || p.options.length)) return { error: "too_many" };
  const spent = p.kind === "budget" ? p.costs.reduce((a, c, i) => a + c * selections[i], 0) : 0;
  if (p.kind === "budget" && spent > p.budget_total) return { error: "over_budget", total: spent };
  return { selections };
}

const page = {
  seal(manifestJson) {
    const manifest = JSON.parse(manifestJson);
    const choice = readChoice(manifest);
    if (choice.error) return JSON.stringify(choice);
    pending = encryptBallot(manifest, choice.selections);
    pending.manifest = manifest;
    inputs().forEach((i) => { i.disabled = true; });
    return JSON.stringify({ ballot: pending.ballot, receipt: pending.receipt });
  },
  // Benaloh challenge: reveal this ballot's randomness, check it here, discard it.
  audit() {
    if (!pending) return JSON.stringify({ error: "nothing" });
    const out = { audit: pending.audit, ok: checkAudit(pending.manifest, pending.audit) };
    page.discard();
    return JSON.stringify(out);
  },
  discard() {
    pending = null;
    inputs().forEach((i) => { i.disabled = false; });
  },
  cast() {  // after casting: the opening is forgotten, the form stays locked
    pending = null;
  },
};

const api = { encryptBallot, checkAudit, receipt, canonical, page };
if (typeof window !== "undefined") {
  window.syrosBallot = api;
  // build noble's base-point table while the voter reads the page, not on the click
  setTimeout(() => { G.multiply(3n); }, 0);
}
export default api;

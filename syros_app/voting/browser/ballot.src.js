// The secret ballot in the voter's browser: the same mathematics as syros_app/voting/crypto
// (RECORD.md is the contract), on @noble/curves (audited; edwards25519's prime-order group)
// and @noble/hashes. Bundled by build.sh into assets/voting/ballot.js as window.syrosBallot.
// The choice never leaves this file in clear: the page gets back a ballot (ciphertexts and
// proofs), its receipt, and — only if the voter challenges it — its opening for the audit.
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const G = Point.BASE;
const ZERO = Point.ZERO;
const TAGS = {
  selection: "syros-agora/v1/selection",
  count: "syros-agora/v1/count",
  bit: "syros-agora/v1/budget-bit",
  budget: "syros-agora/v1/budget-sum",
};
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const enc = new TextEncoder();

const mod = (a) => ((a % L) + L) % L;
const mul = (k, P) => { k = mod(k); return k === 0n || P.equals(ZERO) ? ZERO : P.multiply(k); };
const bytesToHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const hexToBytes = (h) => Uint8Array.from(h.match(/../g).map((x) => parseInt(x, 16)));
const leToBig = (b) => { let n = 0n; for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]); return n; };
const scalarHex = (k) => { const out = new Uint8Array(32); let n = mod(k); for (let i = 0; i < 32; i++) { out[i] = Number(n & 255n); n >>= 8n; } return bytesToHex(out); };

function randomScalar() {
  for (;;) {
    const k = leToBig(crypto.getRandomValues(new Uint8Array(64))) % L;
    if (k !== 0n) return k;
  }
}

function hashToScalar(tag, parts) {
  const chunks = [];
  for (const part of [tag, ...parts]) {
    const raw = typeof part === "string" ? enc.encode(part) : part;
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, raw.length, false);
    chunks.push(len, raw);
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const buf = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { buf.set(c, at); at += c.length; }
  return leToBig(sha512(buf)) % L;
}

// canonical JSON: sorted keys, no spaces (Python's json.dumps(sort_keys=True, separators=(",", ":")))
function canonical(value) {
  if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
  if (value && typeof value === "object") {
    return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
  }
  return JSON.stringify(value);
}

function decodePoint(hex) {
  const P = Point.fromHex(hex);
  if (P.equals(ZERO) || !P.isTorsionFree() || P.toHex() !== hex) throw new Error("not a point of the group");
  return P;
}

const encrypt = (H, m, r) => ({ alpha: mul(r, G), beta: mul(BigInt(m), G).add(mul(r, H)) });
const ctJson = (ct) => ({ alpha: ct.alpha.toHex(), beta: ct.beta.toHex() });
const combine = (cts) => cts.reduce((a, c) => ({ alpha: a.alpha.add(c.alpha), beta: a.beta.add(c.beta) }), { alpha: ZERO, beta: ZERO });
const scale = (ct, k) => ({ alpha: mul(k, ct.alpha), beta: mul(k, ct.beta) });
const minus = (a, b) => ({ alpha: a.alpha.subtract(b.alpha), beta: a.beta.subtract(b.beta) });

// Disjunctive Chaum–Pedersen over statements [P, Q, R, S]: RECORD.md § 3.
function proveAny(tag, context, statements, known, witness) {
  const n = statements.length;
  const c = new Array(n).fill(0n), z = new Array(n).fill(0n), commits = [];
  const w = randomScalar();
  statements.forEach(([P, Q, R, S], i) => {
    if (i === known) { commits.push([mul(w, P), mul(w, R)]); return; }
    c[i] = randomScalar(); z[i] = randomScalar();
    commits.push([mul(z[i], P).subtract(mul(c[i], Q)), mul(z[i], R).subtract(mul(c[i], S))]);
  });
  const parts = [context];
  statements.forEach((st, i) => { for (const X of [...st, ...commits[i]]) parts.push(X.toBytes()); });
  const total = hashToScalar(tag, parts);
  c[known] = mod(total - c.reduce((a, x, i) => (i === known ? a : a + x), 0n));
  z[known] = mod(w + c[known] * witness);
  return { c: c.map(scalarHex), z: z.map(scalarHex) };
}

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

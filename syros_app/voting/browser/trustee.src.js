// A trustee's key ceremony in their own browser: the steps of syros_app/voting/trustee.py (init,
// deal, check, answer, decrypt) with the same key file and the same outputs, so a key made here
// works with the offline command and the other way round. Bundled by build.sh into
// assets/voting/trustee.js as window.syrosTrustee.
//
// What stays here: the passphrase (read from an uncontrolled input, never sent), the transport
// private key, the polynomial, the shares. What leaves: the step's public output (a transport
// public key; commitments with proofs and shares sealed to the other trustees; partial
// decryptions with proofs; a complaint naming a dealer; the shares this trustee dealt to those who
// complained about it, which the ceremony makes public anyway), handed back to the page, which posts it as the pasted output would be.
//
// Key file (trustee.py's format): {"format": "syros-agora-trustee-key", "version": 1,
// "salt": b64, "opslimit": t, "memlimit": bytes, "sealed": b64(nonce ‖ secretbox)} with the key
// from Argon2id (libsodium's crypto_pwhash: t passes, memlimit/1024 KiB, one lane, v1.3) and
// XSalsa20-Poly1305 (libsodium's secretbox, as PyNaCl's SecretBox.encrypt writes it).
// Shares are sealed as libsodium's crypto_box_seal: ephemeral X25519 key, nonce =
// BLAKE2b-192(epk ‖ pk), XSalsa20-Poly1305 under HSalsa20(X25519(esk, pk)); out = epk ‖ box.
import { x25519 } from "@noble/curves/ed25519.js";
import { argon2idAsync } from "@noble/hashes/argon2.js";
import { blake2b } from "@noble/hashes/blake2.js";
import { hsalsa, xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import {
  G, bytesToHex, decodePoint, decodeScalar, enc, hexToBytes, mod, mul, proveAny, randomScalar, scalarBytes, scalarHex,
} from "./group.js";

const KEY_FORMAT = "syros-agora-trustee-key";
const TAG_COEFFICIENT = "syros-agora/v1/trustee-coefficient";
const TAG_PARTIAL = "syros-agora/v1/partial-decryption";
// Argon2id cost of a key made here. libsodium's "interactive" limits (2 passes over 64 MiB, what
// the offline command uses); the file records them, and reading always uses the stored ones.
export const COST = { opslimit: 2, memlimit: 64 * 1024 * 1024 };
const MAX_MEM = 1024 * 1024 * 1024;  // a key file asking for more is refused (not ours)
const MIN_PASSPHRASE = 10;

export class TrusteeError extends Error {
  constructor(code, detail = {}) { super(code); this.code = code; this.detail = detail; }
}

const random = (n) => crypto.getRandomValues(new Uint8Array(n));
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const toB64 = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
const fromB64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const dec = new TextDecoder("utf-8", { fatal: true });

export function checkPassphrase(passphrase, confirm) {
  if (typeof passphrase !== "string" || [...passphrase].length < MIN_PASSPHRASE) throw new TrusteeError("passphrase_short");
  if (confirm !== undefined && confirm !== passphrase) throw new TrusteeError("passphrase_mismatch");
}

// --- the key file ----------------------------------------------------------------------------

async function derive(passphrase, salt, opslimit, memlimit, onProgress) {
  return argon2idAsync(enc.encode(passphrase), salt, {
    t: opslimit, m: Math.floor(memlimit / 1024), p: 1, dkLen: 32, maxmem: MAX_MEM + 1024 * 1024, onProgress,
  });
}

/** An opened key file: its content and what re-sealing it needs (the derived key, not the passphrase). */
export async function readKey(text, passphrase, onProgress) {
  let data;
  try { data = JSON.parse(text); } catch { throw new TrusteeError("not_a_key"); }
  if (!data || data.format !== KEY_FORMAT || data.version !== 1) throw new TrusteeError("not_a_key");
  const ops = Number(data.opslimit), mem = Number(data.memlimit);
  if (!Number.isInteger(ops) || !Number.isInteger(mem) || ops < 1 || ops > 64 || mem < 8192 || mem > MAX_MEM) {
    throw new TrusteeError("not_a_key");
  }
  let salt, sealed;
  try { salt = fromB64(data.salt); sealed = fromB64(data.sealed); } catch { throw new TrusteeError("not_a_key"); }
  if (salt.length !== 16 || sealed.length < 24 + 16) throw new TrusteeError("not_a_key");
  const key = await derive(passphrase, salt, ops, mem, onProgress);
  let content;
  try {
    content = JSON.parse(dec.decode(xsalsa20poly1305(key, sealed.subarray(0, 24)).decrypt(sealed.subarray(24))));
  } catch {
    throw new TrusteeError("wrong_passphrase");
  }
  return { content, sealer: { key, salt, opslimit: ops, memlimit: mem } };
}

/** The key file text for ``content`` (a fresh nonce; salt and limits of ``sealer``). */
export function sealKey(content, sealer) {
  const nonce = random(24);
  const box = xsalsa20poly1305(sealer.key, nonce).encrypt(enc.encode(JSON.stringify(content)));
  return JSON.stringify({
    format: KEY_FORMAT, version: 1, salt: toB64(sealer.salt), opslimit: sealer.opslimit, memlimit: sealer.memlimit,
    sealed: toB64(concat(nonce, box)),
  });
}

async function newSealer(passphrase, cost, onProgress) {
  const salt = random(16);
  return { key: await derive(passphrase, salt, cost.opslimit, cost.memlimit, onProgress), salt, ...cost };
}

// --- libsodium's sealed boxes ------------------------------------------------------------------

const SIGMA = new Uint32Array(enc.encode("expand 32-byte k").buffer);
const words = (bytes) => new Uint32Array(Uint8Array.from(bytes).buffer);

function boxKey(secretKey, publicKey) {  // crypto_box_beforenm
  const shared = x25519.getSharedSecret(secretKey, publicKey);
  const out = new Uint32Array(8);
  hsalsa(SIGMA, words(shared), new Uint32Array(4), out);
  return new Uint8Array(out.buffer);
}

export function seal(publicKey, message) {
  const esk = random(32);
  const epk = x25519.getPublicKey(esk);
  const nonce = blake2b(concat(epk, publicKey), { dkLen: 24 });
  return concat(epk, xsalsa20poly1305(boxKey(esk, publicKey), nonce).encrypt(message));
}

export function openSealed(secretKey, sealed) {
  const epk = sealed.subarray(0, 32);
  const nonce = blake2b(concat(epk, x25519.getPublicKey(secretKey)), { dkLen: 24 });
  return xsalsa20poly1305(boxKey(secretKey, epk), nonce).decrypt(sealed.subarray(32));
}

// --- the steps -------------------------------------------------------------------------------

const evaluate = (coefficients, x) => coefficients.reduceRight((acc, a) => mod(acc * BigInt(x) + a), 0n);
const committedValue = (points, x) => points.reduce((acc, F, j) => acc.add(mul(BigInt(x) ** BigInt(j), F)), mul(0n, G));
const proveKnowledge = (tag, context, a) => { const P = mul(a, G); return proveAny(tag, context, [[G, P, G, P]], 0, a); };
const transportPublic = (content) => bytesToHex(x25519.getPublicKey(hexToBytes(content.transport_private)));

function me(kit, content) {
  const mine = transportPublic(content);
  const found = kit.trustees.find((t) => t.transport_key === mine);
  if (!found) throw new TrusteeError("not_listed");
  return found;
}

/** init: a transport key pair, its private half in a new key file. */
export async function init(passphrase, { cost = COST, onProgress } = {}) {
  checkPassphrase(passphrase);
  const secretKey = random(32);
  const sealer = await newSealer(passphrase, cost, onProgress);
  return {
    keyFile: sealKey({ transport_private: bytesToHex(secretKey) }, sealer),
    output: { step: "transport_key", public_key: bytesToHex(x25519.getPublicKey(secretKey)) },
  };
}

/** deal: the polynomial, its commitments with proofs, each other trustee's share sealed to them.
 * The shares dealt, f_i(l) for every l (own included), stay in the key file (``dealt_shares``, as
 * trustee.py keeps them) so that ``answer`` can reveal one after a complaint. */
export async function deal(keyFile, passphrase, kit, { onProgress } = {}) {
  const { content, sealer } = await readKey(keyFile, passphrase, onProgress);
  const mine = me(kit, content);
  const missing = kit.trustees.filter((t) => !t.transport_key).map((t) => t.index);
  if (missing.length) throw new TrusteeError("missing_keys", { trustees: missing.join(", ") });
  const k = Number(kit.parameters.threshold);
  const context = hexToBytes(kit.context);
  const coefficients = Array.from({ length: k }, () => randomScalar());
  const sealed = {}, dealt = {};
  for (const t of kit.trustees) {
    const share = evaluate(coefficients, t.index);
    dealt[String(t.index)] = scalarHex(share);
    if (t.index !== mine.index) sealed[String(t.index)] = toB64(seal(hexToBytes(t.transport_key), scalarBytes(share)));
  }
  const commitments = {
    index: mine.index,
    commitments: coefficients.map((a) => mul(a, G).toHex()),
    proofs: coefficients.map((a, j) => proveKnowledge(`${TAG_COEFFICIENT}/${mine.index}/${j}`, context, a)),
  };
  const updated = { ...content, vote_id: kit.vote_id, context: kit.context, index: mine.index,
                    own_share: dealt[String(mine.index)], dealt_shares: dealt };
  coefficients.fill(0n);
  return { keyFile: sealKey(updated, sealer), output: { step: "commitments", commitments, sealed_shares: sealed } };
}

/** {dealer index: share} revealed publicly to trustee ``index`` after its answered complaints. */
function revealedTo(kit, index) {
  const out = new Map();
  for (const c of kit.complaints || []) {
    if (Number(c.complainant) === index && c.status === "answered") out.set(Number(c.dealer), decodeScalar(c.share));
  }
  return out;
}

/** f_dealer(index): revealed after a complaint, else opened from its sealed box; checked against the
 * dealer's commitments (trustee._received_share). */
function receivedShare(secretKey, dealer, index, revealed) {
  const points = dealer.commitments.commitments.map(decodePoint);
  let share = revealed.get(dealer.index);
  if (share === undefined) {
    try {
      const box = (dealer.sealed_shares || {})[String(index)];
      if (typeof box !== "string") throw new Error("no share");
      share = decodeScalar(bytesToHex(openSealed(secretKey, fromB64(box))));
    } catch {
      throw new TrusteeError("share_unopened", { trustee: dealer.index });
    }
  }
  if (!mul(share, G).equals(committedValue(points, index))) throw new TrusteeError("share_wrong", { trustee: dealer.index });
  return share;
}

/** x_l = Σ_{i∈QUAL} f_i(l), each share checked, and X_l checked against QUAL's commitments
 * (trustee.secret_share): a trustee who never dealt has no own share and still decrypts. */
export function secretShare(content, kit) {
  const index = me(kit, content).index;
  const qual = kit.qualified;
  if (!Array.isArray(qual) || !qual.length) throw new TrusteeError("key_not_fixed");
  if (qual.includes(index) && content.context !== kit.context) throw new TrusteeError("other_parameters");
  const secretKey = hexToBytes(content.transport_private);
  const revealed = revealedTo(kit, index);
  let total = 0n;
  let publicShare = mul(0n, G);
  for (const dealer of kit.trustees) {
    if (!qual.includes(dealer.index)) continue;
    publicShare = publicShare.add(committedValue(dealer.commitments.commitments.map(decodePoint), index));
    const share = dealer.index === index ? decodeScalar(content.own_share) : receivedShare(secretKey, dealer, index, revealed);
    total = mod(total + share);
  }
  if (!mul(total, G).equals(publicShare)) throw new TrusteeError("share_mismatch");
  return total;
}

/** check: the first dealer whose share to me does not match its commitments, as a complaint to post
 * ({"step": "complaint", "dealer": i}, as trustee.check writes it); null when every share verifies. */
export async function check(keyFile, passphrase, kit, { onProgress } = {}) {
  const { content } = await readKey(keyFile, passphrase, onProgress);
  const index = me(kit, content).index;
  const secretKey = hexToBytes(content.transport_private);
  const revealed = revealedTo(kit, index);
  const complained = new Set((kit.complaints || []).filter((c) => Number(c.complainant) === index)
    .map((c) => Number(c.dealer)));
  for (const dealer of kit.trustees) {
    if (dealer.index === index || !dealer.commitments || complained.has(dealer.index)) continue;
    try {
      receivedShare(secretKey, dealer, index, revealed);
    } catch (e) {
      if (!(e instanceof TrusteeError)) throw e;
      return { output: { step: "complaint", dealer: dealer.index } };
    }
  }
  return { output: null };
}

/** answer: reveal the share I dealt to each trustee whose complaint against me awaits its answer
 * (trustee.answer: {"step": "answers", "answers": {complainant: scalar hex}}). */
export async function answer(keyFile, passphrase, kit, { onProgress } = {}) {
  const { content } = await readKey(keyFile, passphrase, onProgress);
  const index = me(kit, content).index;
  if (content.context !== kit.context || !content.dealt_shares) throw new TrusteeError("no_dealt_shares");
  const pending = (kit.complaints || []).filter((c) => Number(c.dealer) === index && c.share == null)
    .map((c) => Number(c.complainant));
  if (!pending.length) throw new TrusteeError("no_complaint");
  const answers = {};
  for (const l of pending) {
    if (typeof content.dealt_shares[String(l)] !== "string") throw new TrusteeError("no_dealt_shares");
    answers[String(l)] = content.dealt_shares[String(l)];
  }
  return { output: { step: "answers", answers } };
}

/** decrypt: partial decryptions of every option's sum, with Chaum–Pedersen proofs. */
export async function decrypt(keyFile, passphrase, kit, { onProgress } = {}) {
  const { content } = await readKey(keyFile, passphrase, onProgress);
  if (!kit.aggregates) throw new TrusteeError("not_closed");
  const x = secretShare(content, kit);
  const index = me(kit, content).index;
  const context = hexToBytes(kit.context);
  const X = mul(x, G);
  const partials = {};
  for (const a of kit.aggregates) {
    const A = decodePoint(a.alpha), D = mul(x, A);
    partials[String(a.option)] = { trustee: index, share: D.toHex(),
                                   proof: proveAny(TAG_PARTIAL, context, [[G, X, A, D]], 0, x) };
  }
  return { output: { step: "partials", partials } };
}

// --- the trustee page (voting/pages.py) ------------------------------------------------------
// Inputs (uncontrolled, never sent): #trustee-passphrase, #trustee-passphrase-confirm (init),
// #trustee-key-file (a key file chosen on this device; else the one kept in localStorage).
// The key file is kept in this browser's localStorage (still encrypted) and downloaded.

const storageKey = (voteId, index) => `syros-agora/trustee-key/${voteId}/${index}`;
let lastKey = null;  // {text, name}: the key file this page last wrote, for "download again"

function remember(voteId, index, text) {
  lastKey = { text, name: `syros-trustee-vote-${voteId}-${index}.key` };
  try { localStorage.setItem(storageKey(voteId, index), text); } catch { /* private mode: the download remains */ }
  download();
}

function download() {
  if (!lastKey) return false;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([lastKey.text], { type: "application/json" }));
  a.download = lastKey.name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  return true;
}

async function chosenKey(voteId, index) {
  const input = document.getElementById("trustee-key-file");
  if (input && input.files && input.files[0]) return input.files[0].text();
  let stored = null;
  try { stored = localStorage.getItem(storageKey(voteId, index)); } catch { /* storage refused */ }
  if (stored) return stored;
  throw new TrusteeError("no_key");
}

function progress(fraction) {
  const bar = document.getElementById("trustee-progress");
  if (bar) bar.value = Math.round(fraction * 100);
}

// the page's steps that open the key file kept (or chosen) on this device
const KEY_STEPS = { commitments: deal, check, answer, partials: decrypt };

const page = {
  /** Run ``step`` (transport_key | commitments | check | answer | partials) with the kit the page
   * holds; returns JSON: {output} (public values only), {notice: "shares_ok"} (check found nothing
   * to complain about: nothing to post) or {error, ...detail}. Never throws. */
  async run(step, kitJson, voteId, index) {
    const field = (id) => document.getElementById(id);
    const passphrase = field("trustee-passphrase")?.value ?? "";
    const confirm = field("trustee-passphrase-confirm")?.value;
    try {
      const kit = JSON.parse(kitJson);
      progress(0);
      let result;
      if (step === "transport_key") {
        checkPassphrase(passphrase, confirm ?? "");
        result = await init(passphrase, { onProgress: progress });
      } else if (Object.hasOwn(KEY_STEPS, step)) {
        checkPassphrase(passphrase);
        result = await KEY_STEPS[step](await chosenKey(voteId, index), passphrase, kit, { onProgress: progress });
      } else {
        throw new TrusteeError("failed");
      }
      if (result.keyFile) remember(voteId, index, result.keyFile);
      progress(1);
      return JSON.stringify(result.output ? { output: result.output } : { notice: "shares_ok" });
    } catch (e) {
      return JSON.stringify({ error: e instanceof TrusteeError ? e.code : "failed", ...(e.detail || {}) });
    } finally {
      for (const id of ["trustee-passphrase", "trustee-passphrase-confirm"]) if (field(id)) field(id).value = "";
    }
  },
  download,
};

const api = { init, deal, check, answer, decrypt, readKey, sealKey, seal, openSealed, secretShare, checkPassphrase, COST, page };
if (typeof globalThis !== "undefined") globalThis.syrosTrustee = api;
export default api;

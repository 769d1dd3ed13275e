// The group and the one proof shape, shared by the voter's bundle (ballot.src.js) and the
// trustee's (trustee.src.js): the same mathematics as syros_app/voting/crypto (RECORD.md is the
// contract). Curve arithmetic is @noble/curves' (edwards25519's prime-order group), hashing
// @noble/hashes'; scalars are JavaScript BigInts mod ℓ.
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";

export const Point = ed25519.Point;
export const L = Point.Fn.ORDER;
export const G = Point.BASE;
export const ZERO = Point.ZERO;
export const enc = new TextEncoder();

export const mod = (a) => ((a % L) + L) % L;
export const mul = (k, P) => { k = mod(k); return k === 0n || P.equals(ZERO) ? ZERO : P.multiply(k); };
export const bytesToHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const hexToBytes = (h) => Uint8Array.from((h.match(/../g) || []).map((x) => parseInt(x, 16)));
export const leToBig = (b) => { let n = 0n; for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]); return n; };
export const scalarBytes = (k) => { const out = new Uint8Array(32); let n = mod(k); for (let i = 0; i < 32; i++) { out[i] = Number(n & 255n); n >>= 8n; } return out; };
export const scalarHex = (k) => bytesToHex(scalarBytes(k));

export function randomScalar() {
  for (;;) {
    const k = leToBig(crypto.getRandomValues(new Uint8Array(64))) % L;
    if (k !== 0n) return k;
  }
}

/** A scalar from outside: 64 lowercase hex digits, little-endian, < ℓ. */
export function decodeScalar(hex) {
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) throw new Error("not a scalar");
  const k = leToBig(hexToBytes(hex));
  if (k >= L) throw new Error("scalar not reduced");
  return k;
}

export function hashToScalar(tag, parts) {
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
export function canonical(value) {
  if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
  if (value && typeof value === "object") {
    return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
  }
  return JSON.stringify(value);
}

export function decodePoint(hex) {
  const P = Point.fromHex(hex);
  if (P.equals(ZERO) || !P.isTorsionFree() || P.toHex() !== hex) throw new Error("not a point of the group");
  return P;
}

// Disjunctive Chaum–Pedersen over statements [P, Q, R, S]: RECORD.md § 3.
export function proveAny(tag, context, statements, known, witness) {
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

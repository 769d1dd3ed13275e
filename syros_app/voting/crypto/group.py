"""The group: the prime-order subgroup of edwards25519 (order ℓ = 2^252 + …), through libsodium.

Points are held as their canonical 32-byte encodings; all point arithmetic is
libsodium's (``crypto_core_ed25519_*``, ``crypto_scalarmult_ed25519_*_noclamp``,
via PyNaCl), none of it is written here. Scalars are Python integers mod ℓ
(the language's own arbitrary-precision integers).

Why not ristretto255: PyNaCl 1.6 does not expose libsodium's ristretto255
functions. The prime-order subgroup of edwards25519 with libsodium's
``crypto_core_ed25519_is_valid_point`` (canonical encoding, on the curve, not
of small order, in the main subgroup) is the same group of order ℓ; every point
that comes from outside is decoded through that check, so the cofactor never
enters. In the browser @noble/curves' ``ed25519.Point`` does the same arithmetic.

libsodium refuses to multiply to (or by) the identity; this module handles the
identity itself so the rest of the code can treat the group as a group.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from typing import Iterable

from nacl import bindings as _na

ORDER = 2**252 + 27742317777372353535851937790883648493
IDENTITY = bytes([1]) + bytes(31)
GENERATOR = bytes.fromhex("5866666666666666666666666666666666666666666666666666666666666666")
GROUP_NAME = "edwards25519-prime-order-subgroup"


class GroupError(ValueError):
    """A value that is not a valid group element or scalar."""


def scalar_bytes(k: int) -> bytes:
    return (k % ORDER).to_bytes(32, "little")


def random_scalar() -> int:
    """A uniformly random non-zero scalar from the OS CSPRNG (64 bytes reduced: bias < 2^-250)."""
    while True:
        k = int.from_bytes(secrets.token_bytes(64), "little") % ORDER
        if k:
            return k


def add(p: bytes, q: bytes) -> bytes:
    if IDENTITY in (p, q):  # libsodium refuses the identity as an operand
        return q if p == IDENTITY else p
    return _na.crypto_core_ed25519_add(p, q)


def sub(p: bytes, q: bytes) -> bytes:
    if q == IDENTITY:
        return p
    if p == q:
        return IDENTITY
    return _na.crypto_core_ed25519_sub(p, q)


def neg(p: bytes) -> bytes:
    return sub(IDENTITY, p) if p != IDENTITY else IDENTITY


def mul(k: int, p: bytes) -> bytes:
    if p == GENERATOR:  # libsodium's fixed-base table: about 5× faster
        return base(k)
    k %= ORDER
    if k == 0 or p == IDENTITY:
        return IDENTITY
    return _na.crypto_scalarmult_ed25519_noclamp(scalar_bytes(k), p)


def base(k: int) -> bytes:
    """k·G."""
    k %= ORDER
    if k < 64:
        return _small_multiple(k)
    return _na.crypto_scalarmult_ed25519_base_noclamp(scalar_bytes(k))


@functools.lru_cache(maxsize=64)
def _small_multiple(k: int) -> bytes:
    """k·G for the small plaintexts of selections and counts (0 is the identity)."""
    return IDENTITY if k == 0 else _na.crypto_scalarmult_ed25519_base_noclamp(scalar_bytes(k))


def total(points: Iterable[bytes]) -> bytes:
    acc = IDENTITY
    for p in points:
        acc = add(acc, p)
    return acc


def _canonical_hex(text: object, what: str) -> bytes:
    """32 bytes written as 64 lowercase hex digits: one spelling per value, so a ballot
    re-spelled is the same ballot (fingerprints)."""
    if not isinstance(text, str) or len(text) != 64:
        raise GroupError(f"a {what} is 64 hex digits")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise GroupError(f"a {what} is 64 hex digits") from None
    if raw.hex() != text:
        raise GroupError(f"a {what} is written in lowercase hex")
    return raw


def decode_point(text: object) -> bytes:
    """A point from outside (hex): must be canonical, in the prime-order subgroup, not the identity."""
    raw = _canonical_hex(text, "point")
    if not _na.crypto_core_ed25519_is_valid_point(raw):
        raise GroupError("not a point of the prime-order group")
    return raw


def decode_scalar(text: object) -> int:
    """A scalar from outside (64 hex digits, little-endian), must be < ℓ (canonical)."""
    k = int.from_bytes(_canonical_hex(text, "scalar"), "little")
    if k >= ORDER:
        raise GroupError("scalar not reduced")
    return k


def encode_scalar(k: int) -> str:
    return scalar_bytes(k).hex()


def hash_to_scalar(tag: str, *parts: bytes | str | int) -> int:
    """Fiat–Shamir: SHA-512 over a tag and length-prefixed parts, reduced mod ℓ.

    Each part is written as 4 bytes of length (big-endian) then its bytes; text
    as UTF-8, integers as 8-byte big-endian. See RECORD.md § Hashing.
    """
    h = hashlib.sha512()
    for part in (tag, *parts):
        if isinstance(part, str):
            raw = part.encode("utf-8")
        elif isinstance(part, int):
            raw = part.to_bytes(8, "big", signed=True)
        else:
            raw = bytes(part)
        h.update(len(raw).to_bytes(4, "big"))
        h.update(raw)
    return int.from_bytes(h.digest(), "little") % ORDER


def discrete_log(point: bytes, upper: int) -> int | None:
    """m with m·G = point for 0 ≤ m ≤ upper (baby-step giant-step), or None."""
    step = max(1, int(upper**0.5) + 1)
    baby: dict[bytes, int] = {}
    acc = IDENTITY
    for j in range(step):
        baby.setdefault(acc, j)
        acc = add(acc, GENERATOR)
    giant = neg(base(step))
    cur = point
    for i in range(step + 1):
        j = baby.get(cur)
        if j is not None:
            m = i * step + j
            return m if m <= upper else None
        cur = add(cur, giant)
    return None

"""Sealing a voter's tracker so that only that voter's live session can read it again.

The participation row (who took part) keeps the tracker *sealed*: encrypted
and authenticated with a key derived from the server secret, the vote and the
person's ``taxid_hmac`` (construction below).
The ballot row (what was chosen) carries the tracker in clear, as it is
published. So:

* a copy of the database alone (a leaked backup) does not link ballots to
  people: the sealed trackers cannot be opened without the server secret;
* an operator holding BOTH the database and the server secret can derive
  every person's key (``taxid_hmac`` is stored in ``person``) and link each
  participation to its ballot. That is the price of showing the tracker again
  on "my votes"; it is documented in ``syros_app/voting/README.md``.
  Keeping the secret apart from database backups is what protects secrecy.

The construction (format 2, the ``2.`` prefix) is encrypt-then-MAC with keyed
BLAKE2b as the PRF, from the standard library: the per-person key is
k = BLAKE2b(key=K, "<vote>:<taxid_hmac>") with K = HMAC(secret, "voting-seal");
keystream = BLAKE2b(key=k, person="enc", nonce); tag = BLAKE2b(key=k,
person="mac", nonce ‖ ciphertext). Keyed BLAKE2b is a PRF by design and costs
a third of an HMAC-SHA256 call (sealing is on the casting path). Trackers
sealed by format 1 (HMAC-SHA256 throughout, no prefix) still open.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

from syros_app.core.settings import get_settings

_PREFIX = "2."
_NONCE = 12
_TAG = 16


@functools.lru_cache(maxsize=4)
def _root_key(secret: str) -> bytes:
    return hmac.digest(secret.encode(), b"voting-seal", "sha256")


def _key(vote_id: int, person_taxid_hmac: str, secret: str | None) -> bytes:
    return hashlib.blake2b(f"{vote_id}:{person_taxid_hmac}".encode(), digest_size=32,
                           key=_root_key(secret or get_settings().secret_key)).digest()


def _stream(key: bytes, nonce: bytes, n: int) -> bytes:
    return hashlib.blake2b(nonce, digest_size=n, key=key, person=b"enc").digest()


def _tag(key: bytes, nonce: bytes, cipher: bytes) -> bytes:
    return hashlib.blake2b(nonce + cipher, digest_size=_TAG, key=key, person=b"mac").digest()


def _xor(data: bytes, stream: bytes) -> bytes:
    n = len(data)
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream[:n], "big")).to_bytes(n, "big")


def seal(tracker: str, *, vote_id: int, person_taxid_hmac: str, secret: str | None = None) -> str:
    plain = tracker.encode()
    if len(plain) > 32:
        raise ValueError("tracker too long to seal")
    key = _key(vote_id, person_taxid_hmac, secret)
    nonce = secrets.token_bytes(_NONCE)
    cipher = _xor(plain, _stream(key, nonce, len(plain)))
    return _PREFIX + base64.urlsafe_b64encode(nonce + cipher + _tag(key, nonce, cipher)).decode().rstrip("=")


def unseal(sealed: str, *, vote_id: int, person_taxid_hmac: str, secret: str | None = None) -> str | None:
    """The tracker, or None if the seal does not open with this person's key."""
    if not sealed.startswith(_PREFIX):
        return _unseal_v1(sealed, vote_id=vote_id, person_taxid_hmac=person_taxid_hmac, secret=secret)
    raw = _decode(sealed[len(_PREFIX):])
    if raw is None or len(raw) < _NONCE + 1 + _TAG:
        return None
    nonce, cipher, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    key = _key(vote_id, person_taxid_hmac, secret)
    if not hmac.compare_digest(_tag(key, nonce, cipher), tag):
        return None
    return _text(_xor(cipher, _stream(key, nonce, len(cipher))))


def _decode(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        return None


def _text(plain: bytes) -> str | None:
    try:
        return plain.decode()
    except UnicodeDecodeError:
        return None


def _unseal_v1(sealed: str, *, vote_id: int, person_taxid_hmac: str, secret: str | None) -> str | None:
    """Format 1: HMAC-SHA256 key, keystream and tag; 16-byte nonce; no prefix."""
    raw = _decode(sealed)
    if raw is None or len(raw) < 33:
        return None
    nonce, cipher, tag = raw[:16], raw[16:-16], raw[-16:]
    key = hmac.digest((secret or get_settings().secret_key).encode(),
                      f"voting-seal:{vote_id}:{person_taxid_hmac}".encode(), "sha256")
    if not hmac.compare_digest(hmac.digest(key, b"mac" + nonce + cipher, "sha256")[:16], tag):
        return None
    return _text(_xor(cipher, hmac.digest(key, b"enc" + nonce, "sha256")))

"""Sealing a voter's tracker so that only that voter's live session can read it again.

The participation row (who took part) keeps the tracker *sealed*: encrypted
and authenticated with a key derived from the server secret, the vote and the
person's ``taxid_hmac``: ``HMAC(secret, "voting-seal:<vote>:<taxid_hmac>")``.
The ballot row (what was chosen) carries the tracker in clear, as it is
published. So:

* a copy of the database alone (a leaked backup) does not link ballots to
  people: the sealed trackers cannot be opened without the server secret;
* an operator holding BOTH the database and the server secret can derive
  every person's key (``taxid_hmac`` is stored in ``person``) and link each
  participation to its ballot. That is the price of showing the tracker again
  on "my votes"; it is documented in ``syros_app/voting/README.md``.
  Keeping the secret apart from database backups is what protects secrecy.

The construction is encrypt-then-MAC with HMAC-SHA256 as the PRF, domain
separated under the per-person key k: keystream = HMAC(k, "enc" ‖ nonce);
tag = HMAC(k, "mac" ‖ nonce ‖ ciphertext), using only the standard library.
"""

from __future__ import annotations

import base64
import hmac
import secrets

from syros_app.core.settings import get_settings


def _key(vote_id: int, person_taxid_hmac: str, secret: str | None) -> bytes:
    return hmac.digest((secret or get_settings().secret_key).encode(),
                       f"voting-seal:{vote_id}:{person_taxid_hmac}".encode(), "sha256")


def _xor(data: bytes, stream: bytes) -> bytes:
    n = len(data)
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream[:n], "big")).to_bytes(n, "big")


def seal(tracker: str, *, vote_id: int, person_taxid_hmac: str, secret: str | None = None) -> str:
    plain = tracker.encode()
    if len(plain) > 32:
        raise ValueError("tracker too long to seal")
    key = _key(vote_id, person_taxid_hmac, secret)
    nonce = secrets.token_bytes(16)
    cipher = _xor(plain, hmac.digest(key, b"enc" + nonce, "sha256"))
    tag = hmac.digest(key, b"mac" + nonce + cipher, "sha256")[:16]
    return base64.urlsafe_b64encode(nonce + cipher + tag).decode().rstrip("=")


def unseal(sealed: str, *, vote_id: int, person_taxid_hmac: str, secret: str | None = None) -> str | None:
    """The tracker, or None if the seal does not open with this person's key."""
    try:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    except (ValueError, TypeError):
        return None
    if len(raw) < 33:
        return None
    nonce, cipher, tag = raw[:16], raw[16:-16], raw[-16:]
    key = _key(vote_id, person_taxid_hmac, secret)
    if not hmac.compare_digest(hmac.digest(key, b"mac" + nonce + cipher, "sha256")[:16], tag):
        return None
    try:
        return _xor(cipher, hmac.digest(key, b"enc" + nonce, "sha256")).decode()
    except UnicodeDecodeError:
        return None

"""Keyed hashes of the tax number (ΑΦΜ) and its check digit.

Only HMACs leave this module; the raw ΑΦΜ is never stored or logged.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from syros_app.core.settings import get_settings


def normalise_taxid(raw: str) -> str:
    """Digits only, the 9-digit form (gov.gr pads values with spaces)."""
    return "".join(ch for ch in str(raw) if ch.isdigit())


def is_valid_taxid(raw: str) -> bool:
    """Greek ΑΦΜ check digit: sum of d_i * 2^(8-i) for the first 8 digits, mod 11, mod 10."""
    digits = normalise_taxid(raw)
    if len(digits) != 9 or digits == "000000000" or len(str(raw).strip()) != 9:
        return False
    total = sum(int(d) << (8 - i) for i, d in enumerate(digits[:8]))
    return total % 11 % 10 == int(digits[8])


def taxid_hmac(raw: str, secret: str | None = None) -> str:
    key = (secret or get_settings().secret_key).encode()
    return hmac.new(key, b"taxid:" + normalise_taxid(raw).encode(), hashlib.sha256).hexdigest()


def scoped_hmac(person_taxid_hmac: str, scope: str, secret: str | None = None) -> str:
    """A further keyed hash for one purpose (e.g. one ballot's participation record)."""
    keyed = _keyed_sha256(secret or get_settings().secret_key).copy()
    keyed.update(f"{scope}:{person_taxid_hmac}".encode())
    return keyed.hexdigest()


@functools.lru_cache(maxsize=4)
def _keyed_sha256(secret: str) -> hmac.HMAC:
    """HMAC-SHA256 with the key already absorbed: copying it is half the cost of a new one
    (casting a vote computes one per ballot)."""
    return hmac.new(secret.encode(), digestmod=hashlib.sha256)


def with_check_digit(first_eight: str) -> str:
    """Complete an 8-digit prefix into a valid ΑΦΜ (for demo data and tests)."""
    digits = normalise_taxid(first_eight)[:8].rjust(8, "0")
    total = sum(int(d) << (8 - i) for i, d in enumerate(digits))
    return digits + str(total % 11 % 10)

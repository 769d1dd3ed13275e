"""VAPID key pairs (RFC 8292) as text: parse and check the pair given in the environment.

In core (not in notices) because production start-up refuses a broken pair before any
capability loads (``settings.Settings.validate``).
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_b64(vapid: Vapid02) -> str:
    """The ``applicationServerKey`` the browser needs: the uncompressed point, base64url."""
    return b64url(vapid.public_key.public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint))


def vapid_from_strings(private: str, public: str) -> Vapid02:
    """The pair from ``SYROS_VAPID_PRIVATE_KEY`` (PEM or raw base64url) and ``…_PUBLIC_KEY``."""
    if "BEGIN" in private:
        vapid = Vapid02.from_pem(private.replace("\\n", "\n").encode())
    else:
        vapid = Vapid02.from_string(private)
    if public and public_key_b64(vapid) != b64url(b64url_decode(public)):
        raise RuntimeError("SYROS_VAPID_PUBLIC_KEY does not match SYROS_VAPID_PRIVATE_KEY")
    return vapid

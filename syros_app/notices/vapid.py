"""VAPID keys (RFC 8292): from the environment in production, else generated once
into the data folder (``vapid_private.pem``, mode 600) on first use."""

from __future__ import annotations

import base64
import os
import threading
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02

from syros_app.core.settings import notices_settings

_LOCK = threading.Lock()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_b64(vapid: Vapid02) -> str:
    """The ``applicationServerKey`` the browser needs: the uncompressed point, base64url."""
    return b64url(vapid.public_key.public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint))


def _from_env(private: str, public: str) -> Vapid02:
    if "BEGIN" in private:
        vapid = Vapid02.from_pem(private.replace("\\n", "\n").encode())
    else:
        vapid = Vapid02.from_string(private)
    if public and public_key_b64(vapid) != b64url(b64url_decode(public)):
        raise RuntimeError("SYROS_VAPID_PUBLIC_KEY does not match SYROS_VAPID_PRIVATE_KEY")
    return vapid


def _from_file(path: Path) -> Vapid02:
    with _LOCK:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            vapid = Vapid02()
            vapid.generate_keys()
            pem = vapid.private_pem()
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
            try:
                os.link(tmp, path)  # atomic: the first process to create it wins
            except FileExistsError:
                pass
            finally:
                tmp.unlink(missing_ok=True)
        return Vapid02.from_pem(path.read_bytes())


@lru_cache(maxsize=4)
def _vapid_for(private: str, public: str, data_dir: str) -> Vapid02:
    if private:
        return _from_env(private, public)
    return _from_file(Path(data_dir) / "vapid_private.pem")


def get_vapid() -> Vapid02:
    config = notices_settings()
    return _vapid_for(config.vapid_private_key, config.vapid_public_key, str(config.data_dir))


def vapid_public_key() -> str:
    return public_key_b64(get_vapid())

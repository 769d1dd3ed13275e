"""VAPID keys (RFC 8292): from the environment in production, else generated once
into the data folder (``vapid_private.pem``, mode 600) on first use."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from py_vapid import Vapid02

from syros_app.core.settings import notices_settings
from syros_app.core.vapid_keys import b64url, b64url_decode, public_key_b64, vapid_from_strings  # noqa: F401

_LOCK = threading.Lock()


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
        return vapid_from_strings(private, public)
    return _from_file(Path(data_dir) / "vapid_private.pem")


def get_vapid() -> Vapid02:
    config = notices_settings()
    return _vapid_for(config.vapid_private_key, config.vapid_public_key, str(config.data_dir))


def vapid_public_key() -> str:
    return public_key_b64(get_vapid())

"""All configuration, read from environment variables in one place.

Every variable is documented in the README's configuration table; keep the two
in step. Secrets that are not given are generated once into the data folder so
that a fresh machine runs without any set-up, and production refuses to start
with development conveniences switched on.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

LANGUAGES = ("el", "en")


class SettingsError(RuntimeError):
    """The configuration is unsafe or inconsistent; the app must not start."""


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if not raw:
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def _read_or_create_secret(path: Path) -> str:
    """Read a secret kept in the data folder, creating it (mode 600) on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


@dataclass(frozen=True)
class Settings:
    environment: str
    data_dir: Path
    database_url: str
    public_url: str
    port: int
    secret_key: str
    default_language: str
    redis_url: str
    govgr_base_url: str
    govgr_client_id: str
    govgr_client_secret: str
    govgr_stand_in: bool
    session_idle_minutes: int
    session_absolute_hours: int
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def cookie_secure(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def validate(self) -> None:
        if self.environment not in {"development", "production"}:
            raise SettingsError(f"SYROS_ENV must be development or production, not {self.environment!r}")
        if self.default_language not in LANGUAGES:
            raise SettingsError(f"SYROS_DEFAULT_LANGUAGE must be one of {LANGUAGES}")
        if self.is_production:
            if self.govgr_stand_in:
                raise SettingsError("The local gov.gr stand-in must not be enabled in production")
            if not _env("SYROS_SECRET_KEY"):
                raise SettingsError("SYROS_SECRET_KEY must be set explicitly in production")
            if not self.public_url.startswith("https://"):
                raise SettingsError("SYROS_PUBLIC_URL must be https:// in production")
            if not (self.govgr_client_id and self.govgr_client_secret):
                raise SettingsError("gov.gr client id and secret are required in production")


def load_settings() -> Settings:
    """Build settings from the environment (not cached: tests call it freely)."""
    environment = _env("SYROS_ENV", "development")
    data_dir = Path(_env("SYROS_DATA_DIR") or PROJECT_ROOT / "data").resolve()
    port = int(_env("SYROS_PORT", "3000"))
    database_url = _env("SYROS_DATABASE_URL") or f"sqlite:///{data_dir / 'agora.db'}"
    public_url = (_env("SYROS_PUBLIC_URL") or f"http://localhost:{port}").rstrip("/")
    secret_key = _env("SYROS_SECRET_KEY") or _read_or_create_secret(data_dir / "secret_key")
    stand_in_default = environment != "production"
    stand_in = _env_bool("SYROS_GOVGR_STAND_IN", stand_in_default)
    govgr_base = _env("SYROS_GOVGR_BASE_URL") or (
        f"{public_url}/govgr-stand-in" if stand_in else "https://www1.gsis.gr"
    )
    settings = Settings(
        environment=environment,
        data_dir=data_dir,
        database_url=database_url,
        public_url=public_url,
        port=port,
        secret_key=secret_key,
        default_language=_env("SYROS_DEFAULT_LANGUAGE", "el"),
        redis_url=_env("SYROS_REDIS_URL"),
        govgr_base_url=govgr_base.rstrip("/"),
        govgr_client_id=_env("SYROS_GOVGR_CLIENT_ID") or ("syros-agora-dev" if stand_in else ""),
        govgr_client_secret=_env("SYROS_GOVGR_CLIENT_SECRET") or ("stand-in-secret" if stand_in else ""),
        govgr_stand_in=stand_in,
        session_idle_minutes=int(_env("SYROS_SESSION_IDLE_MINUTES", "60")),
        session_absolute_hours=int(_env("SYROS_SESSION_ABSOLUTE_HOURS", "12")),
    )
    settings.validate()
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def reset_settings_cache() -> None:
    get_settings.cache_clear()

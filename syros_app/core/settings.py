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
        if not self.redis_url and _env_int("GRANIAN_WORKERS", 1) > 1:
            raise SettingsError("GRANIAN_WORKERS above 1 needs SYROS_REDIS_URL: each process would keep its own "
                                "residents' state in memory")
        if self.is_production:
            if self.govgr_stand_in:
                raise SettingsError("The local gov.gr stand-in must not be enabled in production")
            if not _env("SYROS_SECRET_KEY"):
                raise SettingsError("SYROS_SECRET_KEY must be set explicitly in production")
            if not self.public_url.startswith("https://"):
                raise SettingsError("SYROS_PUBLIC_URL must be https:// in production")
            if not (self.govgr_client_id and self.govgr_client_secret):
                raise SettingsError("gov.gr client id and secret are required in production")
            _validate_production_services()


def _validate_production_services() -> None:
    """Production must not fall back to development conveniences that hide a missing service:
    VAPID keys generated per machine (push breaks behind a load balancer), mail and SMS
    written to files nobody reads."""
    private, public = _env("SYROS_VAPID_PRIVATE_KEY"), _env("SYROS_VAPID_PUBLIC_KEY")
    if not (private and public):
        raise SettingsError("SYROS_VAPID_PRIVATE_KEY and SYROS_VAPID_PUBLIC_KEY must be set in production "
                            "(the same pair on every machine; make one with `python -m syros_app settings "
                            "vapid-keys`)")
    try:
        from .vapid_keys import vapid_from_strings

        vapid_from_strings(private, public)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a configuration error
        raise SettingsError(f"SYROS_VAPID_PRIVATE_KEY/SYROS_VAPID_PUBLIC_KEY are not a valid pair: {exc}") from None
    if not _env("SYROS_SMTP_HOST"):
        raise SettingsError("SYROS_SMTP_HOST must be set in production (otherwise e-mail is only written to "
                            "data/outbox-mail/ and never sent)")
    if not _env("SYROS_SMS_GATEWAY_URL").startswith(("https://", "http://")):
        raise SettingsError("SYROS_SMS_GATEWAY_URL must be set to the SMS gateway's http(s) URL in production "
                            "(otherwise SMS are only written to data/outbox-sms.jsonl and never sent)")
    seal = _env("SYROS_SIGNING_PKCS12")
    if not seal or not Path(seal).is_file():
        raise SettingsError("SYROS_SIGNING_PKCS12 must name the municipality's signing certificate (PKCS#12 file) "
                            "in production (otherwise answers would be signed with a self-signed demo certificate "
                            "that nobody trusts)")


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


# --- capability settings ------------------------------------------------------------------
# Read from the environment at each call (not cached), so a worker or a test that
# changes a variable sees it at once. Every one is in the README's table.

# Push services of the browsers people use; in production an endpoint elsewhere is
# refused, so the worker never POSTs to hosts a visitor picked (SSRF).
DEFAULT_PUSH_HOSTS = ("fcm.googleapis.com", "android.googleapis.com", "push.services.mozilla.com",
                      "notify.windows.com", "push.apple.com")
DEFAULT_SMS_TEMPLATE = '{"to": "{to}", "text": "{text}", "from": "{sender}"}'
DEFAULT_LOCAL_HOLIDAYS = "12-06"  # St Nicholas, patron saint of Ermoupoli
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


def _env_int(name: str, default: int, minimum: int | None = None) -> int:
    try:
        value = int(float(_env(name, str(default))))
    except ValueError:
        return default
    return value if minimum is None else max(minimum, value)


@dataclass(frozen=True)
class NoticesSettings:
    """Web Push, SMTP, SMS gateway and outbox worker. Development defaults: generated
    VAPID keys in the data folder, e-mail as ``.eml`` files under ``data/outbox-mail/``,
    SMS appended to ``data/outbox-sms.jsonl``."""

    data_dir: Path
    public_url: str
    secret_key: str
    vapid_private_key: str
    vapid_public_key: str
    vapid_subject: str
    push_ttl: int
    push_timeout: float
    push_concurrency: int
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_tls: str  # starttls | ssl | none
    mail_from: str
    sms_gateway_url: str
    sms_gateway_auth: str
    sms_body_template: str
    sms_sender: str
    lease_seconds: int
    batch_size: int
    poll_seconds: float
    push_allowed_hosts: tuple[str, ...]

    @property
    def mail_sink(self) -> Path:
        return self.data_dir / "outbox-mail"

    @property
    def sms_sink(self) -> Path:
        return self.data_dir / "outbox-sms.jsonl"


def notices_settings() -> NoticesSettings:
    settings = get_settings()
    return NoticesSettings(
        data_dir=settings.data_dir,
        public_url=settings.public_url,
        secret_key=settings.secret_key,
        vapid_private_key=_env("SYROS_VAPID_PRIVATE_KEY"),
        vapid_public_key=_env("SYROS_VAPID_PUBLIC_KEY"),
        vapid_subject=_env("SYROS_VAPID_SUBJECT", "mailto:agora@syros-ermoupolis.gr"),
        push_ttl=int(_env("SYROS_PUSH_TTL", str(3 * 24 * 3600))),
        push_timeout=float(_env("SYROS_PUSH_TIMEOUT", "10")),
        push_concurrency=int(_env("SYROS_PUSH_CONCURRENCY", "128")),
        smtp_host=_env("SYROS_SMTP_HOST"),
        smtp_port=int(_env("SYROS_SMTP_PORT", "587")),
        smtp_user=_env("SYROS_SMTP_USER"),
        smtp_password=_env("SYROS_SMTP_PASSWORD"),
        smtp_tls=_env("SYROS_SMTP_TLS", "starttls").lower(),
        mail_from=_env("SYROS_MAIL_FROM", "Αγορά Σύρου <noreply@syros-ermoupolis.gr>"),
        sms_gateway_url=_env("SYROS_SMS_GATEWAY_URL"),
        sms_gateway_auth=_env("SYROS_SMS_GATEWAY_AUTH"),
        sms_body_template=_env("SYROS_SMS_BODY_TEMPLATE", DEFAULT_SMS_TEMPLATE),
        sms_sender=_env("SYROS_SMS_SENDER", "SyrosAgora"),
        lease_seconds=int(_env("SYROS_OUTBOX_LEASE_SECONDS", "60")),
        batch_size=int(_env("SYROS_OUTBOX_BATCH", "500")),
        poll_seconds=float(_env("SYROS_OUTBOX_POLL_SECONDS", "1")),
        push_allowed_hosts=tuple(h.strip().lower() for h in _env("SYROS_PUSH_ALLOWED_HOSTS").split(",") if h.strip())
        or DEFAULT_PUSH_HOSTS,
    )


def staff_digest_minutes() -> int:
    """At most one e-mail per staff person per this many minutes tells them that work has
    arrived, summarising everything since the last (``SYROS_STAFF_DIGEST_MINUTES``, default 30)."""
    return _env_int("SYROS_STAFF_DIGEST_MINUTES", 30, minimum=1)


# The municipality's contact details in the footer of every page. The defaults are the
# Town Hall's published switchboard and public hours: the municipality must confirm them.
DEFAULT_CONTACT_PHONE = "+302281361800"
DEFAULT_CONTACT_HOURS = "08:00–14:30"


def contact_phone() -> str:
    """The phone number in the footer, in E.164 (``SYROS_CONTACT_PHONE``)."""
    value = _env("SYROS_CONTACT_PHONE", DEFAULT_CONTACT_PHONE).replace(" ", "")
    return value if value.startswith("+") and value[1:].isdigit() and 8 <= len(value) <= 16 else DEFAULT_CONTACT_PHONE


def contact_phone_text(lang: str) -> str:
    """The footer's phone as written for the reader: ``22813 61800`` in Greek (the ``+30``
    dropped, grouped 5 + rest), ``+30 22813 61800`` in English (a caller from abroad)."""
    digits = contact_phone()
    if not digits.startswith("+30"):
        return digits
    national = digits[3:]
    grouped = f"{national[:5]} {national[5:]}" if len(national) > 5 else national
    return grouped if lang == "el" else f"+30 {grouped}"


def contact_hours() -> str:
    """The public service hours in the footer, e.g. ``08:00–14:30`` (``SYROS_CONTACT_HOURS``)."""
    return _env("SYROS_CONTACT_HOURS", DEFAULT_CONTACT_HOURS)[:40] or DEFAULT_CONTACT_HOURS


def comments_per_window() -> int:
    """Comments one person may post per 10 minutes (``SYROS_COMMENTS_PER_10_MIN``)."""
    return _env_int("SYROS_COMMENTS_PER_10_MIN", 5, minimum=1)


def attachment_max_bytes() -> int:
    """Largest consultation attachment (``SYROS_ATTACHMENT_MAX_MB``, default 10 MB)."""
    try:
        return int(float(_env("SYROS_ATTACHMENT_MAX_MB", "10")) * 1024 * 1024)
    except ValueError:
        return 10 * 1024 * 1024


def proposal_support_share() -> str:
    """Share of the verified residents (of the island or the area) whose support a resident's
    proposal needs (``SYROS_PROPOSAL_SUPPORT_SHARE``, default 0.02), as decimal text."""
    return _env("SYROS_PROPOSAL_SUPPORT_SHARE", "0.02") or "0.02"


def proposal_collect_days() -> int:
    """Days a proposal collects support (``SYROS_PROPOSAL_COLLECT_DAYS``, default 90)."""
    return _env_int("SYROS_PROPOSAL_COLLECT_DAYS", 90, minimum=1)


def proposal_answer_working_days() -> int:
    """Working days the municipality has to answer a proposal past its threshold
    (``SYROS_PROPOSAL_ANSWER_WORKING_DAYS``, default 20)."""
    return _env_int("SYROS_PROPOSAL_ANSWER_WORKING_DAYS", 20, minimum=1)


def local_holidays_spec() -> str:
    """The municipality's own non-working days (``SYROS_LOCAL_HOLIDAYS``: ``MM-DD`` or ``easter±N``)."""
    return os.environ.get("SYROS_LOCAL_HOLIDAYS", DEFAULT_LOCAL_HOLIDAYS)


def map_tile_url() -> str:
    return _env("SYROS_MAP_TILE_URL") or DEFAULT_TILE_URL


def map_attribution() -> str:
    return _env("SYROS_MAP_ATTRIBUTION") or DEFAULT_ATTRIBUTION


GOVGR_STAND_IN_FAIL_ENV = "SYROS_GOVGR_STAND_IN_FAIL"


def govgr_stand_in_fail() -> bool:
    """Make the stand-in's userinfo answer its JSON error (for tests and demos)."""
    return _env_bool(GOVGR_STAND_IN_FAIL_ENV, False)


# --- operations (syros_app/ops) ------------------------------------------------------------
# Health, metrics, hardening and supervision. Read at each call like the capability
# settings above; every one is in the README's table and deploy/syros-agora.env.example.


def _env_csv(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _env(name).split(",") if part.strip())


@dataclass(frozen=True)
class OpsSettings:
    """Knobs of ``syros_app.ops``. Rate limits use the ``limits`` notation (``10/minute``,
    ``100 per hour``); an empty value switches that limit off."""

    metrics_token: str
    trusted_proxies: tuple[str, ...]
    max_body_bytes: int
    upload_max_bytes: int
    rate_limit_push: str
    rate_limit_open311: str
    rate_limit_login: str
    ready_outbox_lag_seconds: int
    companion_backoff_max: float
    log_format: str  # json | text
    log_level: str
    ready_require_workers: bool
    state_expiry_seconds: int


def ops_settings() -> OpsSettings:
    return OpsSettings(
        metrics_token=_env("SYROS_METRICS_TOKEN"),
        trusted_proxies=_env_csv("SYROS_TRUSTED_PROXIES"),
        max_body_bytes=_env_int("SYROS_MAX_BODY_KB", 1024, minimum=1) * 1024,
        upload_max_bytes=_env_int("SYROS_UPLOAD_MAX_MB", 12, minimum=1) * 1024 * 1024,
        rate_limit_push=_env("SYROS_RATE_LIMIT_PUSH", "10/minute"),
        rate_limit_open311=_env("SYROS_RATE_LIMIT_OPEN311", "10/minute"),
        rate_limit_login=_env("SYROS_RATE_LIMIT_LOGIN", "30/minute"),
        ready_outbox_lag_seconds=_env_int("SYROS_READY_OUTBOX_LAG_SECONDS", 0, minimum=0),
        companion_backoff_max=float(_env_int("SYROS_COMPANION_BACKOFF_MAX", 60, minimum=1)),
        log_format="text" if _env("SYROS_LOG_FORMAT").lower() == "text" else "json",
        log_level=_env("SYROS_LOG_LEVEL", "INFO").upper(),
        ready_require_workers=_env_bool("SYROS_READY_REQUIRE_WORKERS", False),
        state_expiry_seconds=_env_int("SYROS_STATE_EXPIRY_SECONDS", 1800, minimum=30),
    )


DEFAULT_DIAVGEIA_URL = "https://diavgeia.gov.gr/opendata"


def diavgeia_base_url() -> str:
    """Diavgeia's open data API (``SYROS_DIAVGEIA_URL``), without a trailing slash."""
    return (_env("SYROS_DIAVGEIA_URL") or DEFAULT_DIAVGEIA_URL).rstrip("/")


def diavgeia_org() -> str:
    """The municipality's organisation id on Diavgeia (``SYROS_DIAVGEIA_ORG``; no default:
    the sync refuses to guess whose decisions to import)."""
    return _env("SYROS_DIAVGEIA_ORG")
# --- e-applications: digital signature of answers (syros_app/applications/signing.py) -----


@dataclass(frozen=True)
class SigningSettings:
    """The municipality's signing certificate. Empty path: a self-signed demo certificate is
    generated once into ``data/signing/`` (development, demo, tests; refused in production)."""

    pkcs12_path: Path | None
    passphrase: str
    trust_roots_path: Path | None  # extra PEM roots to trust when validating (the CA of a real certificate)
    data_dir: Path


def signing_settings() -> SigningSettings:
    pkcs12, roots = _env("SYROS_SIGNING_PKCS12"), _env("SYROS_SIGNING_TRUST_ROOTS")
    return SigningSettings(pkcs12_path=Path(pkcs12) if pkcs12 else None,
                           passphrase=os.environ.get("SYROS_SIGNING_PASSPHRASE", ""),
                           trust_roots_path=Path(roots) if roots else None,
                           data_dir=get_settings().data_dir)

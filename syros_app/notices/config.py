"""Settings of notices (Web Push, SMTP, SMS gateway, worker), read from the environment.

Kept here, not in ``core.settings``, because only the notices capability uses
them. Everything has a working development default: generated VAPID keys in
the data folder, e-mail written as ``.eml`` files under ``data/outbox-mail/``,
SMS appended to ``data/outbox-sms.jsonl``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from syros_app.core.settings import get_settings

from .rules import DEFAULT_PUSH_HOSTS

DEFAULT_SMS_TEMPLATE = '{"to": "{to}", "text": "{text}", "from": "{sender}"}'


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


@dataclass(frozen=True)
class NoticesConfig:
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


def load_config() -> NoticesConfig:
    settings = get_settings()
    return NoticesConfig(
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

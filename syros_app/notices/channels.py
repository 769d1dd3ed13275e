"""The three channels: Web Push (encrypted, VAPID-signed, sent with aiohttp),
e-mail (SMTP, or ``.eml`` files in development) and SMS (one generic HTTP
gateway, or a JSON-lines file in development).

Every sender returns a :class:`rules.Outcome`; none raises for a failed send.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import smtplib
import ssl
import time
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

import aiohttp
import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from py_vapid import Vapid02

from syros_app.core.timefmt import utcnow

from . import rules
from syros_app.core.settings import NoticesSettings
from .pushhttp import PushHTTPClient
from .vapid import b64url_decode

VAPID_VALIDITY = 12 * 3600  # seconds a signed VAPID header is reused for one push service


_P256 = ec.SECP256R1()
_ECDH = ec.ECDH()
_RECORD_SIZE = (4096).to_bytes(4, "big")


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.digest(key, data, "sha256")  # the C one-shot: HKDF with one block is just HMACs


def encrypt_push(payload: bytes, p256dh: str, auth: str) -> bytes:
    """RFC 8291 message encryption in RFC 8188 ``aes128gcm``, one record.

    The same computation as ``http_ece.encrypt`` (which ``WebPusher.encode`` calls),
    written out with the standard library's HMAC so that a fan-out spends its CPU
    on the two elliptic-curve operations only. A fresh ephemeral key and salt per
    message, as RFC 8291 requires. Tests decrypt the result with ``http_ece``.
    """
    ua_public = b64url_decode(p256dh)
    auth_secret = b64url_decode(auth)
    if len(payload) > 3993:
        raise ValueError("push payload over 3993 bytes")
    as_private = ec.generate_private_key(_P256)
    as_public = as_private.public_key().public_bytes(serialization.Encoding.X962,
                                                     serialization.PublicFormat.UncompressedPoint)
    shared = as_private.exchange(_ECDH, ec.EllipticCurvePublicKey.from_encoded_point(_P256, ua_public))
    # RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32)
    ikm = _hmac(_hmac(auth_secret, shared), b"WebPush: info\x00" + ua_public + as_public + b"\x01")
    salt = os.urandom(16)
    prk = _hmac(salt, ikm)
    cek = _hmac(prk, b"Content-Encoding: aes128gcm\x00\x01")[:16]
    nonce = _hmac(prk, b"Content-Encoding: nonce\x00\x01")[:12]
    ciphertext = AESGCM(cek).encrypt(nonce, payload + b"\x02", None)  # 0x02: the last (only) record
    return salt + _RECORD_SIZE + bytes([len(as_public)]) + as_public + ciphertext


def encrypt_push_reference(payload: bytes, p256dh: str, auth: str) -> bytes:
    """The same through ``http_ece`` (kept for comparison in tests and the benchmark)."""
    return http_ece.encrypt(payload, private_key=ec.generate_private_key(_P256),
                            dh=b64url_decode(p256dh), auth_secret=b64url_decode(auth), version="aes128gcm")


def push_origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class VapidHeaders:
    """One signed ``Authorization`` header per push-service origin, reused for 12 h.

    Claims are built fresh for every signature (pywebpush mutates the dict it is given).
    """

    def __init__(self, vapid: Vapid02, subject: str) -> None:
        self.vapid = vapid
        self.subject = subject
        self._cache: dict[str, tuple[float, dict[str, str]]] = {}

    def for_endpoint(self, endpoint: str) -> dict[str, str]:
        origin = push_origin(endpoint)
        now = time.time()
        hit = self._cache.get(origin)
        if hit is None or hit[0] - 3600 < now:
            expires = int(now + VAPID_VALIDITY)
            headers = self.vapid.sign({"sub": self.subject, "aud": origin, "exp": expires})
            hit = (expires, dict(headers))
            self._cache[origin] = hit
        return hit[1]


class PushSender:
    """Encrypts, signs and POSTs one push message; never raises for a failed send."""

    def __init__(self, config: NoticesSettings, vapid: Vapid02, client: PushHTTPClient | None = None) -> None:
        self.config = config
        self.client = client or PushHTTPClient()
        self.vapid_headers = VapidHeaders(vapid, config.vapid_subject)

    async def send(self, *, endpoint: str, p256dh: str, auth: str, payload: bytes, urgent: bool,
                   topic: str | None = None) -> rules.Outcome:
        try:
            body = encrypt_push(payload, p256dh, auth)
        except (ValueError, TypeError) as exc:  # keys the browser sent are unusable
            return rules.Outcome("failed", f"bad subscription keys: {exc.__class__.__name__}")
        headers = {
            "TTL": str(self.config.push_ttl),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "Urgency": "high" if urgent else "normal",
            **self.vapid_headers.for_endpoint(endpoint),
        }
        if topic:
            headers["Topic"] = topic[:32]
        try:
            status, answer = await self.client.post(endpoint, body, headers, self.config.push_timeout)
        except (asyncio.TimeoutError, OSError, ValueError) as exc:
            return rules.Outcome("retry", f"network: {exc.__class__.__name__}")
        return rules.push_outcome(status, answer.get("retry-after"), utcnow())

    def close(self) -> None:
        self.client.close()


# --- e-mail ------------------------------------------------------------------------------

def build_email(config: NoticesSettings, *, to: str, subject: str, text: str,
                unsubscribe_url: str | None = None, one_click_url: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="syros-ermoupolis.gr")
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{one_click_url or unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    return message


def _smtp_send(config: NoticesSettings, message: EmailMessage) -> None:
    if config.smtp_tls == "ssl":
        client = smtplib.SMTP_SSL(config.smtp_host, config.smtp_port, timeout=30, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=30)
    with client:
        if config.smtp_tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            client.login(config.smtp_user, config.smtp_password)
        client.send_message(message)


def _sink_email(config: NoticesSettings, message: EmailMessage, name: str) -> None:
    config.mail_sink.mkdir(parents=True, exist_ok=True)
    path = config.mail_sink / f"{name}.eml"
    path.write_bytes(bytes(message))


async def send_email(config: NoticesSettings, message: EmailMessage, *, name: str) -> rules.Outcome:
    try:
        if config.smtp_host:
            await asyncio.to_thread(_smtp_send, config, message)
        else:
            await asyncio.to_thread(_sink_email, config, message, name)
        return rules.Outcome("sent")
    except smtplib.SMTPRecipientsRefused as exc:
        return rules.Outcome("failed", f"SMTP recipient refused: {exc.recipients}"[:400])
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            return rules.Outcome("failed", f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:400])
        return rules.Outcome("retry", f"SMTP {exc.smtp_code}")
    except (smtplib.SMTPException, OSError) as exc:
        return rules.Outcome("retry", f"SMTP: {exc.__class__.__name__}")


# --- SMS -----------------------------------------------------------------------------------

def sms_body(template: str, *, to: str, text: str, sender: str) -> str:
    """Fill the gateway's body template; values are JSON-escaped when the template is JSON."""
    is_json = template.lstrip().startswith("{")

    def esc(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)[1:-1] if is_json else value

    return template.replace("{to}", esc(to)).replace("{text}", esc(text)).replace("{sender}", esc(sender))


async def send_sms(config: NoticesSettings, session: aiohttp.ClientSession, *, to: str, text: str) -> rules.Outcome:
    body = sms_body(config.sms_body_template, to=to, text=text, sender=config.sms_sender)
    if not config.sms_gateway_url:
        def write() -> None:
            config.sms_sink.parent.mkdir(parents=True, exist_ok=True)
            with config.sms_sink.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"to": to, "text": text, "body": body, "at": utcnow().isoformat()},
                                        ensure_ascii=False) + "\n")

        await asyncio.to_thread(write)
        return rules.Outcome("sent")
    headers = {"Content-Type": "application/json" if body.lstrip().startswith("{") else
               "application/x-www-form-urlencoded"}
    if config.sms_gateway_auth:
        headers["Authorization"] = config.sms_gateway_auth
    try:
        async with session.post(config.sms_gateway_url, data=body.encode(), headers=headers,
                                timeout=aiohttp.ClientTimeout(total=config.push_timeout)) as response:
            await response.read()
            status = response.status
            if 200 <= status < 300:
                return rules.Outcome("sent")
            if status == 429 or status >= 500:
                return rules.Outcome("retry", f"SMS gateway HTTP {status}",
                                     rules.parse_retry_after(response.headers.get("Retry-After"), utcnow()))
            return rules.Outcome("failed", f"SMS gateway HTTP {status}")
    except (asyncio.TimeoutError, aiohttp.ClientError, OSError) as exc:
        return rules.Outcome("retry", f"SMS gateway: {exc.__class__.__name__}")


def now_utc() -> datetime:
    return utcnow()

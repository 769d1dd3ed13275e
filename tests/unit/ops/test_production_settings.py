"""Production refuses to start without the services it would otherwise fake: VAPID keys
(generated per machine), SMTP (mail written to files), an SMS gateway (SMS written to a
file) and an explicit secret key — each with a message that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from py_vapid import Vapid02

from syros_app.core import settings as settings_module
from syros_app.core.settings import PROJECT_ROOT, SettingsError, load_settings
from syros_app.notices.vapid import b64url, public_key_b64


def vapid_pair() -> dict[str, str]:
    vapid = Vapid02()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return {"SYROS_VAPID_PRIVATE_KEY": b64url(private), "SYROS_VAPID_PUBLIC_KEY": public_key_b64(vapid)}


def production_env(tmp_path) -> dict[str, str]:
    (tmp_path / "seal.p12").write_bytes(b"")  # existence is checked at start; loading when signing
    return {"SYROS_SIGNING_PKCS12": str(tmp_path / "seal.p12"),"SYROS_ENV": "production", "SYROS_DATA_DIR": str(tmp_path), "SYROS_SECRET_KEY": "s" * 48,
            "SYROS_PUBLIC_URL": "https://agora.syros-ermoupolis.gr", "SYROS_GOVGR_CLIENT_ID": "id",
            "SYROS_GOVGR_CLIENT_SECRET": "secret", "SYROS_GOVGR_STAND_IN": "false",
            "SYROS_SMTP_HOST": "smtp.syros-ermoupolis.gr", "SYROS_SMS_GATEWAY_URL": "https://sms.example.gr/send",
            **vapid_pair()}


@pytest.fixture
def production(monkeypatch, tmp_path):
    env = production_env(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield monkeypatch
    settings_module.reset_settings_cache()


def test_a_complete_production_configuration_starts(production):
    assert load_settings().is_production


@pytest.mark.parametrize("missing, message", [
    ("SYROS_SECRET_KEY", "SYROS_SECRET_KEY must be set"),
    ("SYROS_VAPID_PRIVATE_KEY", "SYROS_VAPID_PRIVATE_KEY and SYROS_VAPID_PUBLIC_KEY must be set"),
    ("SYROS_VAPID_PUBLIC_KEY", "SYROS_VAPID_PRIVATE_KEY and SYROS_VAPID_PUBLIC_KEY must be set"),
    ("SYROS_SMTP_HOST", "SYROS_SMTP_HOST must be set"),
    ("SYROS_SMS_GATEWAY_URL", "SYROS_SMS_GATEWAY_URL must be set"),
    ("SYROS_SIGNING_PKCS12", "SYROS_SIGNING_PKCS12 must name the municipality's signing certificate"),
])
def test_production_refuses_a_missing_service(production, missing, message):
    production.delenv(missing)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_production_refuses_a_mismatched_vapid_pair(production):
    production.setenv("SYROS_VAPID_PUBLIC_KEY", vapid_pair()["SYROS_VAPID_PUBLIC_KEY"])
    with pytest.raises(SettingsError, match="not a valid pair"):
        load_settings()


def test_production_refuses_a_gateway_that_is_not_a_url(production):
    production.setenv("SYROS_SMS_GATEWAY_URL", "sms.example.gr")
    with pytest.raises(SettingsError, match="SYROS_SMS_GATEWAY_URL"):
        load_settings()


def test_development_needs_none_of_them(monkeypatch, tmp_path):
    for key in ("SYROS_ENV", "SYROS_SECRET_KEY", "SYROS_VAPID_PRIVATE_KEY", "SYROS_VAPID_PUBLIC_KEY",
                "SYROS_SMTP_HOST", "SYROS_SMS_GATEWAY_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("SYROS_DATA_DIR", str(tmp_path))
    assert load_settings().environment == "development"


@pytest.mark.parametrize("command", [["settings", "check"], ["serve", "app"]])
def test_the_commands_exit_with_the_reason(tmp_path, command):
    env = {**os.environ, **production_env(tmp_path), "SYROS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    del env["SYROS_SMTP_HOST"]
    done = subprocess.run([sys.executable, "-m", "syros_app", *command], check=False, cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "SYROS_SMTP_HOST must be set in production" in done.stderr
    assert "Traceback" not in done.stderr


def test_vapid_keys_command_prints_a_pair_production_accepts(production):
    done = subprocess.run([sys.executable, "-m", "syros_app", "settings", "vapid-keys"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    pair = dict(line.split("=", 1) for line in done.stdout.splitlines())
    assert set(pair) == {"SYROS_VAPID_PRIVATE_KEY", "SYROS_VAPID_PUBLIC_KEY"}
    for key, value in pair.items():
        production.setenv(key, value)
    assert load_settings().is_production

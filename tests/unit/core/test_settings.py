import pytest

from syros_app.core.settings import SettingsError, load_settings
from tests.unit.ops.test_production_settings import vapid_pair


def test_defaults_are_development_with_generated_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("SYROS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SYROS_SECRET_KEY", raising=False)
    monkeypatch.delenv("SYROS_DATABASE_URL", raising=False)
    first = load_settings()
    assert first.environment == "development" and first.default_language == "el"
    assert first.database_url == f"sqlite:///{tmp_path / 'agora.db'}"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert load_settings().secret_key == first.secret_key  # stable across starts


@pytest.mark.parametrize(
    "env, message",
    [
        ({"SYROS_GOVGR_STAND_IN": "true"}, "stand-in"),
        ({"SYROS_SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SYROS_PUBLIC_URL": "http://agora.example"}, "https"),
    ],
)
def test_production_refuses_unsafe_configuration(monkeypatch, tmp_path, env, message):
    base = {
        "SYROS_ENV": "production",
        "SYROS_DATA_DIR": str(tmp_path),
        "SYROS_SECRET_KEY": "x" * 40,
        "SYROS_PUBLIC_URL": "https://agora.syros-ermoupolis.gr",
        "SYROS_GOVGR_CLIENT_ID": "id",
        "SYROS_GOVGR_CLIENT_SECRET": "secret",
        "SYROS_GOVGR_STAND_IN": "false",
    }
    base.update(env)
    for key, value in base.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_production_configuration_is_accepted(monkeypatch, tmp_path):
    for key, value in {
        "SYROS_ENV": "production", "SYROS_DATA_DIR": str(tmp_path), "SYROS_SECRET_KEY": "x" * 40,
        "SYROS_PUBLIC_URL": "https://agora.syros-ermoupolis.gr", "SYROS_GOVGR_CLIENT_ID": "id",
        "SYROS_GOVGR_CLIENT_SECRET": "secret", "SYROS_SMTP_HOST": "smtp.example.gr",
        "SYROS_SMS_GATEWAY_URL": "https://sms.example.gr/send", **vapid_pair(),
        "SYROS_SIGNING_PKCS12": str(tmp_path / "seal.p12"),
    }.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "seal.p12").write_bytes(b"")
    settings = load_settings()
    assert settings.govgr_stand_in is False and settings.govgr_base_url == "https://www1.gsis.gr"
    assert settings.cookie_secure


def test_the_footers_phone_and_hours_come_from_the_settings(monkeypatch):
    from syros_app.core import settings as s

    monkeypatch.delenv("SYROS_CONTACT_PHONE", raising=False)
    monkeypatch.delenv("SYROS_CONTACT_HOURS", raising=False)
    assert s.contact_phone() == "+302281361800"
    assert (s.contact_phone_text("el"), s.contact_phone_text("en")) == ("22813 61800", "+30 22813 61800")
    assert s.contact_hours() == "08:00–14:30"
    monkeypatch.setenv("SYROS_CONTACT_PHONE", "+30 22810 12345")
    monkeypatch.setenv("SYROS_CONTACT_HOURS", "07:30–15:00")
    assert s.contact_phone() == "+302281012345" and s.contact_phone_text("el") == "22810 12345"
    assert s.contact_hours() == "07:30–15:00"
    from syros_app.ui.layout import contact

    rendered = str(contact())
    assert "tel:+302281012345" in rendered and "22810 12345" in rendered and "07:30\\u201315:00" in rendered
    monkeypatch.setenv("SYROS_CONTACT_PHONE", "call the town hall")  # not a number: the default stays
    assert s.contact_phone() == "+302281361800"

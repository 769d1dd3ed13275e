"""deploy/: the environment template lists every setting settings.py reads and loads as
a valid production configuration; the systemd units run commands that exist."""

from __future__ import annotations

import re
import shlex

from syros_app.core import settings as settings_module
from syros_app.core.settings import PROJECT_ROOT
from tests.unit.ops.test_production_settings import vapid_pair

DEPLOY = PROJECT_ROOT / "deploy"
TEMPLATE = DEPLOY / "syros-agora.env.example"
FILLED_IN = {"SYROS_SECRET_KEY": "k" * 64, "SYROS_GOVGR_CLIENT_ID": "id", "SYROS_GOVGR_CLIENT_SECRET": "secret",
             "SYROS_SMTP_HOST": "smtp.example.gr", "SYROS_SMS_GATEWAY_URL": "https://sms.example.gr/send"}


def setting_names() -> set[str]:
    return set(re.findall(r'"(SYROS_[A-Z0-9_]+)"', (PROJECT_ROOT / "syros_app/core/settings.py").read_text()))


def template_entries() -> dict[str, str | None]:
    """``NAME -> value``; a commented-out ``# NAME=…`` line counts as listed (value None)."""
    entries: dict[str, str | None] = {}
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line):
            entries[match.group(2)] = None if match.group(1) else match.group(3)
    return entries


def test_every_setting_is_in_the_environment_template():
    names = setting_names()
    assert len(names) > 40, "the parser found the settings"
    missing = sorted(names - set(template_entries()))
    assert not missing, f"add these to deploy/syros-agora.env.example: {missing}"


def test_every_setting_is_in_the_readme_configuration():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert not sorted(n for n in setting_names() if f"`{n}`" not in readme)


def test_the_template_is_a_valid_production_configuration(monkeypatch, tmp_path):
    for name, value in template_entries().items():
        if value is not None:
            monkeypatch.setenv(name, FILLED_IN.get(name) or value)
    for name, value in vapid_pair().items():
        monkeypatch.setenv(name, value)
    (tmp_path / "seal.p12").write_bytes(b"")  # the signing certificate's file (read when signing)
    monkeypatch.setenv("SYROS_SIGNING_PKCS12", str(tmp_path / "seal.p12"))
    monkeypatch.setenv("SYROS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SYROS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    settings_module.reset_settings_cache()
    try:
        loaded = settings_module.load_settings()
        assert loaded.is_production and not loaded.govgr_stand_in
        settings_module.get_settings.cache_clear()
        notices = settings_module.notices_settings()
        assert notices.smtp_port == 587 and "{to}" in notices.sms_body_template
        ops = settings_module.ops_settings()
        assert ops.trusted_proxies and ops.rate_limit_push == "10/minute"
        assert settings_module.local_holidays_spec() == "12-06"
    finally:
        settings_module.reset_settings_cache()


def test_systemd_units_run_registered_commands():
    from syros_app.__main__ import COMMANDS, _load_capability_commands

    _load_capability_commands()
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} == {"syros-agora.service", "syros-agora-notices.service",
                                       "syros-agora-voting.service", "syros-agora-opendata.service"}
    for unit in units:
        text = unit.read_text()
        exec_start = shlex.split(re.search(r"^ExecStart=(.*)$", text, re.MULTILINE).group(1))
        assert exec_start[1:3] == ["-m", "syros_app"], unit.name
        assert tuple(exec_start[3:5]) in COMMANDS, unit.name
        assert "EnvironmentFile=/etc/syros-agora/syros-agora.env" in text


def test_nginx_site_carries_the_essentials():
    site = (DEPLOY / "nginx" / "syros-agora.conf").read_text()
    for needle in ("listen 443 ssl", "http2 on", "location /_event", "proxy_set_header Upgrade $http_upgrade",
                   "client_max_body_size", "location /assets/", "X-Forwarded-For", "location = /metrics"):
        assert needle in site, needle


def test_the_app_server_gives_freed_memory_back_unless_the_administrator_tuned_it():
    from syros_app.__main__ import GRANIAN_JEMALLOC_CONF, app_environment

    env = app_environment({"SYROS_REDIS_URL": "redis://x"})
    assert env["_RJEM_MALLOC_CONF"] == GRANIAN_JEMALLOC_CONF and env["SYROS_REDIS_URL"] == "redis://x"
    assert app_environment({"_RJEM_MALLOC_CONF": "narenas:2"})["_RJEM_MALLOC_CONF"] == "narenas:2"

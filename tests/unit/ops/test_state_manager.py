"""The embedded default keeps states in memory (one process, flat round trips), Redis
when configured; both expire; several workers without Redis are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from syros_app.core import settings as settings_module
from syros_app.core.settings import PROJECT_ROOT, SettingsError, load_settings

PRINT_CONFIG = ("import json, rxconfig; c = rxconfig.config; "
                "print(json.dumps([str(c.state_manager_mode.value if hasattr(c.state_manager_mode, 'value') "
                "else c.state_manager_mode), c.redis_token_expiration]))")


def _config(tmp_path, **env) -> list:
    environment = {k: v for k, v in os.environ.items() if k not in ("SYROS_REDIS_URL", "GRANIAN_WORKERS")}
    environment.update({"SYROS_DATA_DIR": str(tmp_path), **env})
    done = subprocess.run([sys.executable, "-c", PRINT_CONFIG], check=False, cwd=PROJECT_ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_one_process_keeps_states_in_memory_with_expiry(tmp_path):
    assert _config(tmp_path) == ["memory", 1800]
    assert _config(tmp_path, SYROS_STATE_EXPIRY_SECONDS="120") == ["memory", 120]


def test_redis_when_configured(tmp_path):
    assert _config(tmp_path, SYROS_REDIS_URL="redis://127.0.0.1:6379/0", GRANIAN_WORKERS="5") == ["redis", 1800]


def test_several_workers_without_redis_are_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("SYROS_REDIS_URL", raising=False)
    monkeypatch.setenv("SYROS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GRANIAN_WORKERS", "3")
    try:
        with pytest.raises(SettingsError, match="GRANIAN_WORKERS above 1 needs SYROS_REDIS_URL"):
            load_settings()
        monkeypatch.setenv("GRANIAN_WORKERS", "1")
        assert load_settings()
    finally:
        settings_module.reset_settings_cache()

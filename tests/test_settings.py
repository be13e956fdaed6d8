"""Production settings: `manage.py check --deploy` passes with zero warnings; DEBUG off needs a secret key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_manage(*args, tmp_path, **env_overrides):
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never has it.
    ignored = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update({"DJANGO_SETTINGS_MODULE": "campaign.settings", "VAR_DIR": str(tmp_path / "var")}, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_zero_warnings_in_production(tmp_path):
    key = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)") for _ in range(64))
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        DEBUG="0",
        SECRET_KEY=key,
        ALLOWED_HOSTS="x",
        SITE_URL="https://dangjian.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", tmp_path=tmp_path, DEBUG="0", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_warns_when_posters_would_point_at_localhost(tmp_path):
    key = "k" * 20 + "".join(chr(ord("a") + i) for i in range(26)) + "0123456789"
    result = run_manage(
        "check",
        "--deploy",
        tmp_path=tmp_path,
        DEBUG="0",
        SECRET_KEY=key,
        ALLOWED_HOSTS="x",
        SITE_URL="http://127.0.0.1:8000",
    )
    assert "campaign.W001" in result.stderr + result.stdout

"""Settings come from the environment and fail loudly when production values are missing."""

import os
import subprocess
import sys

from django.conf import settings


def run_settings(env: dict, code: str = "") -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            code
            or "import django; django.setup(); from django.conf import "
            "settings; print(settings.DATABASES['default']['ENGINE'], settings.ALLOWED_HOSTS)",
        ],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "disclosure.settings", **env},
        capture_output=True,
        text=True,
    )


def test_secret_key_is_required_to_serve_when_not_in_debug():
    for server in ("disclosure.wsgi", "disclosure.asgi"):
        result = run_settings({"DEBUG": "0"}, f"import {server}")
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


def test_commands_run_without_a_secret_key_on_a_bare_machine():
    result = run_settings({"DEBUG": "0"})
    assert result.returncode == 0, result.stderr


def test_production_reads_database_and_hosts_from_the_environment():
    result = run_settings(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "gk.example.gov.cn",
            "DATABASE_URL": "postgres://u:p@db:5432/disclosure",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "['gk.example.gov.cn']"]


def test_a_malformed_boolean_names_the_variable():
    result = run_settings({"DEBUG": "maybe"})
    assert "DEBUG must be a boolean" in result.stderr


def test_chinese_and_shanghai_by_default():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ

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


SHOW_SHARED_STATE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION'), "
    "settings.SESSION_ENGINE)"
)


def test_redis_url_puts_cache_throttles_and_sessions_in_redis():
    result = run_settings({"REDIS_URL": "redis://cache:6379/1"}, SHOW_SHARED_STATE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "disclosure.cache.RedisCache",
        "redis://cache:6379/1",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_without_redis_the_cache_is_memory_and_sessions_the_database():
    result = run_settings({"REDIS_URL": "", "CACHE_URL": ""}, SHOW_SHARED_STATE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "None",
        "django.contrib.sessions.backends.db",
    ]


def test_cache_url_is_still_read_as_the_older_name_of_redis_url():
    result = run_settings({"REDIS_URL": "", "CACHE_URL": "redis://old:6379/2"}, SHOW_SHARED_STATE)
    assert result.stdout.split()[1:] == [
        "redis://old:6379/2",
        "django.contrib.sessions.backends.cached_db",
    ]


SHOW_FILE_STORAGE = (
    "import django; django.setup(); from django.core.files.storage import storages; "
    "s = storages['default']; print(type(s).__name__, s.bucket_name, s.endpoint_url, "
    "s.access_key, s.secret_key, s.region_name, s.default_acl, s.client_config.connect_timeout)"
)


def test_s3_bucket_puts_the_files_in_the_object_store():
    result = run_settings(
        {
            "S3_BUCKET": "evidence",
            "S3_ENDPOINT_URL": "http://minio:9000",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_REGION": "",
            "S3_CONNECT_TIMEOUT": "2",
        },
        SHOW_FILE_STORAGE,
    )
    assert result.returncode == 0, result.stderr
    # The region defaults to us-east-1; no ACL is ever sent.
    assert result.stdout.split() == [
        "S3Storage",
        "evidence",
        "http://minio:9000",
        "key",
        "secret",
        "us-east-1",
        "None",
        "2",
    ]


def test_without_s3_bucket_the_files_are_on_the_local_disk():
    result = run_settings(
        {"S3_BUCKET": ""},
        "import django; django.setup(); from django.core.files.storage import storages; "
        "print(type(storages['default']).__name__)",
    )
    assert result.stdout.split() == ["FileSystemStorage"], result.stderr

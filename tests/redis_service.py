"""The Redis the tests run against (the broker, the shared cache), as production uses it."""

import os
import uuid

import pytest
import redis

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def redis_url() -> str:
    """CELERY_BROKER_URL when it names a Redis (each developer's own db), else the default,
    answering a ping; a test needing it is skipped when it does not answer, and fails under
    REQUIRE_SERVICES=1, where a missing service must not pass for a green run."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        url = DEFAULT_REDIS
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure to reach Redis means: no Redis here
        message = f"Redis is not reachable at {url}: {exc}"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return url


def redis_caches(prefix: str | None = None) -> dict:
    """CACHES as production sets them with REDIS_URL, on the tests' Redis, the keys under a
    prefix of their own (`prefix`, or a fresh one)."""
    return {
        "default": {
            "BACKEND": "disclosure.cache.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": prefix or f"test-{uuid.uuid4().hex[:8]}",
        }
    }

"""The production cache backend (disclosure/cache.py, Django's Redis cache with a client kept
per pool) against a real Redis: every operation the product uses, the one client reused,
and threads sharing the server without losing a count."""

import threading

import pytest
from django.core.cache import caches

from disclosure.cache import RedisCache
from tests.redis_service import redis_caches


@pytest.fixture
def cache(settings):
    settings.CACHES = redis_caches()
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    yield backend
    backend.delete_many(["a", "b", "c", "n", "gone", "kept"])


def test_every_operation_the_product_uses(cache):
    assert cache.get("a") is None
    cache.set("a", {"counts": (1, 2)}, timeout=60)
    assert cache.get("a") == {"counts": (1, 2)}
    assert cache.add("a", "other") is False and cache.add("b", "first") is True
    cache.set_many({"c": [3], "n": 5}, timeout=60)
    assert cache.get_many(["a", "b", "c", "missing"]) == {
        "a": {"counts": (1, 2)},
        "b": "first",
        "c": [3],
    }
    assert cache.incr("n", 2) == 7
    assert cache.touch("c", 120) is True and cache.has_key("c")
    cache.set("gone", 1, timeout=60)
    cache.delete("gone")
    assert cache.get("gone") is None
    cache.set("kept", "x", timeout=None)
    assert cache.get("kept") == "x"


def test_one_client_per_pool(cache):
    client = cache._cache
    assert client.get_client("a") is client.get_client("b")
    assert client.get_client("a", write=True) is client.get_client("c", write=True)


def test_threads_share_the_server_and_lose_no_count(cache, settings):
    cache.set("n", 0, timeout=60)

    def count():
        mine = caches["default"]  # each thread's own backend object, as in a worker
        for _ in range(200):
            mine.incr("n")

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("n") == 1600

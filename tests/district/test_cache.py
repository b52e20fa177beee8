"""The cache treats a stopped Redis as a miss: no exception reaches a page, one warning a minute.

Each test runs its own redis-server (tests/redis_server.py) and really stops it.
"""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from district.cache import ResilientRedisCache
from tests.redis_server import running_private_redis

pytestmark = pytest.mark.resilience


@pytest.fixture
def private_redis():
    yield from running_private_redis()


def _cache(server) -> ResilientRedisCache:
    return ResilientRedisCache(
        server.url(5),
        {"KEY_PREFIX": "t", "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}},
    )


def test_settings_use_the_resilient_backend_with_short_timeouts():
    if not settings.REDIS_URL:
        pytest.skip("without REDIS_URL the cache is local memory")
    config = settings.CACHES["default"]
    assert config["BACKEND"] == "district.cache.ResilientRedisCache"
    assert config["OPTIONS"]["socket_connect_timeout"] <= 0.5
    assert config["OPTIONS"]["socket_timeout"] <= 0.5


def test_a_stopped_redis_is_a_miss_and_a_restarted_one_works_again(private_redis, caplog):
    cache = _cache(private_redis)
    cache.set("k", "v", 60)
    assert cache.get("k") == "v"

    private_redis.stop()
    with caplog.at_level(logging.WARNING, logger="district.cache"):
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        assert cache.set("k", "w", 60) is None
        assert cache.get_many(["k", "j"]) == {}
        assert cache.has_key("k") is False
        assert cache.delete("k") is False
        assert cache.touch("k", 60) is False
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete_many(["a", "b"]) is None
        assert cache.get_or_set("k", "computed", 60) == "computed"
        # A claim goes ahead: an outage must not silently drop the email it guards.
        assert cache.add("claim", 1, 60) is True
        with pytest.raises(ValueError):
            cache.incr("counter")
    warnings = [r for r in caplog.records if r.name == "district.cache"]
    assert len(warnings) == 1  # rate-limited: one warning for the burst of failures
    assert "cache unavailable" in warnings[0].getMessage()

    private_redis.start()
    cache.set("k", "again", 60)
    assert cache.get("k") == "again"
    assert cache.add("claim", 1, 60) is True
    assert cache.add("claim", 1, 60) is False


def test_other_redis_errors_are_not_hidden(private_redis):
    """A wrong command is a bug, not an outage: it still raises."""
    from redis.exceptions import ResponseError

    cache = _cache(private_redis)
    cache.set("text", "not a number", 60)
    with pytest.raises(ResponseError):
        cache.incr("text")


def test_one_redis_client_serves_every_call_until_the_pools_are_dropped(private_redis):
    """Django makes a `redis.Redis` for every call; ours makes one a pool and keeps it (district.cache)."""
    cache = _cache(private_redis)
    cache.set("k", "v", 60)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client  # one server: reads and writes share its pool
    assert cache.get("k") == "v"
    assert cache.get_many(["k", "j"]) == {"k": "v"}
    assert cache._cache.get_client() is client

    cache.disconnect()  # what the gunicorn master does before it forks
    fresh = cache._cache.get_client()
    assert fresh is not client
    assert fresh.connection_pool is not client.connection_pool
    assert cache.get("k") == "v"
    assert cache._cache.get_client() is fresh

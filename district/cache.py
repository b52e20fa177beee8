"""A Redis cache that a dead Redis cannot take down.

The portal caches what it can recompute (dashboard aggregates, API throttle counters, the
claims that keep a redelivered email from going out twice). When Redis is stopped or
unreachable, `ResilientRedisCache` turns every operation into a miss or a no-op instead of
raising, so pages keep working from the database. Connection and read timeouts in
settings.CACHES keep each failed call to milliseconds. The failure is logged as a warning
at most once a minute per process, with how many calls failed since the last warning.

`add` answers True while Redis is unreachable: its callers use it as a claim ("may I send
this email?"), and an outage should let the work happen (at worst twice) rather than
silently drop it.

`disconnect` and `name_clients` serve gunicorn's preloading master and its workers
(config/warmup.py): no Redis socket crosses a fork, and each worker's connections carry its name.

Django's client makes a new `redis.Redis` for every operation, which costs about as much CPU as
the GET itself (its constructor fills a table of ~170 response callbacks); `ReusingRedisCacheClient`
makes one for each connection pool and keeps it. A `redis.Redis` is safe to share between threads:
each command takes a connection from the pool and gives it back.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis is down, unreachable or too slow; other Redis errors (a wrong command, say) are bugs.
CACHE_ERRORS = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60.0


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, with one `redis.Redis` kept for each connection pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool (by identity) -> its redis.Redis; emptied with the pools

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, with connection and timeout errors treated as misses."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._lock = threading.Lock()
        self._last_warning = float("-inf")
        self._failures = 0

    def _failed(self, operation: str, exc: Exception) -> None:
        """Count the failure and log it, at most once every WARN_EVERY_SECONDS."""
        now = time.monotonic()
        with self._lock:
            self._failures += 1
            if now - self._last_warning < WARN_EVERY_SECONDS:
                return
            failures, self._failures, self._last_warning = self._failures, 0, now
        logger.warning(
            "cache unavailable (%d failed calls since the last warning, latest %s): %s: %s",
            failures,
            operation,
            exc.__class__.__name__,
            exc,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except CACHE_ERRORS as exc:
            self._failed("add", exc)
            return True

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_ERRORS as exc:
            self._failed("get", exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except CACHE_ERRORS as exc:
            self._failed("set", exc)
            return None

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except CACHE_ERRORS as exc:
            self._failed("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except CACHE_ERRORS as exc:
            self._failed("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except CACHE_ERRORS as exc:
            self._failed("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except CACHE_ERRORS as exc:
            self._failed("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except CACHE_ERRORS as exc:
            self._failed("incr", exc)
            # What Django raises for a key that is not in the cache, which is how an outage looks.
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except CACHE_ERRORS as exc:
            self._failed("set_many", exc)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except CACHE_ERRORS as exc:
            self._failed("delete_many", exc)
            return None

    def clear(self):
        try:
            return super().clear()
        except CACHE_ERRORS as exc:
            self._failed("clear", exc)
            return False

    # --- Processes: gunicorn forks its workers from a master that loaded the app (config/warmup.py) --

    def disconnect(self) -> None:
        """Close this process's Redis connections and forget its pools; the next call connects anew.

        Django's RedisCache keeps its connection pools for the life of the process (`close()` does
        nothing). The gunicorn master calls this before it forks, so that no worker inherits a socket.
        """
        client = self.__dict__.get("_cache")  # Django's client, made on the cache's first use
        if client is None:
            return
        for pool in client._pools.values():
            pool.disconnect()
        client._pools.clear()
        client._clients.clear()

    def name_clients(self, name: str) -> None:
        """Name every connection opened from now on (Redis CLIENT SETNAME), e.g. `portal-web-<pid>`.

        The pools open until now are closed first (a gunicorn worker calls this just after the fork).
        """
        self.disconnect()
        self._options = {**self._options, "client_name": name}
        self.__dict__.pop("_cache", None)  # the client reads the options when it is made

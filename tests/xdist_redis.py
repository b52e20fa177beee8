"""Each pytest-xdist worker gets its own Redis database (loaded with `-p tests.xdist_redis`).

`make test` runs the suite in two processes (`-n 2`); pytest-django already gives each its
own PostgreSQL database (test_portal_gw0, test_portal_gw1). Redis needs the same care: the
cache is cleared before every test (FLUSHDB), the worker tests purge the Celery queues and
delete the `unacked` keys, and the throttles count per client address in the cache. Two
processes on one Redis database would wipe each other's queues and share throttle counts.

This plugin is loaded before pytest-django reads the settings, so it rewrites `REDIS_URL`
in the environment of each xdist worker: worker `gwN` uses database `base - N` (modulo 16),
so `redis://127.0.0.1:6379/15` becomes db 15 for gw0 and db 14 for gw1. Without xdist (or
in the controller process) nothing changes.
"""

from __future__ import annotations

import os
import re

REDIS_DATABASES = 16  # redis-server's default `databases`


def worker_redis_url(url: str, worker: str) -> str:
    """The URL of `worker`'s own database: `redis://h:p/15` and `gw1` give `redis://h:p/14`."""
    match = re.fullmatch(r"(rediss?://[^/?#]*)(?:/(\d*))?(\?.*)?", url)
    if match is None:
        return url  # a unix:// socket or an unusual form: leave it as given
    index = int(worker.removeprefix("gw"))
    base = int(match.group(2) or 0)
    return f"{match.group(1)}/{(base - index) % REDIS_DATABASES}{match.group(3) or ''}"


_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], _worker)

"""gunicorn with config/gunicorn.conf.py: the master preloads and warms the app without the database
or Redis and closes every connection before it forks; each worker has its own connections.

- The warm-up (`config.warmup.warm_up`) runs in a fresh process: once with no database and no
  Redis at all (it needs neither), once after the process opened a database connection, a Redis
  connection and a broker pool, which it must close.
- A real gunicorn master with two workers serves the test database and Redis: each worker
  renders the main pages before it accepts, answers requests, and holds its own PostgreSQL
  backend and Redis connections, named after its pid; the master holds no socket to either.

Nothing here measures time: the server is polled until it is up, with a generous deadline.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
import redis
from django.conf import settings
from django.db import connection

from config.warmup import WARM_PAGES
from tests.builders import SETUP, build_world, run_setup

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAGES = "/ 200, /openings/ 200, /pathways/ 200, /companies/ 200, /programs/ 200, /accounts/login/ 200"


def _templates_under(folder: Path, under: str = "") -> set[str]:
    return {
        path.relative_to(folder).as_posix()
        for path in (folder / under).rglob("*")
        if path.suffix in {".html", ".txt"} and path.is_file()
    }


def _database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def postgres_and_redis(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")


# --- The master's warm-up, in a fresh process ---------------------------------------------------

WARM_UP_OFFLINE = (
    SETUP
    + """
import json
from django.db import connection
from django.template import engines
from config.warmup import warm_up
compiled = warm_up()
loader = engines["django"].engine.template_loaders[0]
print(json.dumps(compiled))
print(json.dumps(sorted(loader.get_template_cache)))
print(connection.connection)
"""
)


def test_the_warm_up_needs_no_database_or_redis_and_compiles_every_template():
    import django

    # A closed port for the database and no Redis: a query or a cache call would fail the warm-up.
    result = run_setup(
        WARM_UP_OFFLINE, DEBUG="true", DATABASE_URL="postgres://nobody@127.0.0.1:9/none", REDIS_URL=None
    )
    assert result.returncode == 0, result.stderr
    assert "does not compile" not in result.stderr
    compiled, cached, db = result.stdout.strip().splitlines()
    project = _templates_under(PROJECT_ROOT / "templates")
    forms = _templates_under(Path(django.__file__).parent / "forms" / "templates")
    assert json.loads(compiled) == {"django": len(project), "forms": len(forms)}
    # Every project template is in the cached loader: the workers inherit them compiled.
    assert set(json.loads(cached)) == project
    assert db == "None"


WARM_UP_CLOSES = (
    SETUP
    + """
import os, time
import psycopg, redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from config.celery import app
from config.warmup import connections_name, warm_up

name = f"warm-up-test-{os.getpid()}"
connections_name(name)
connection.ensure_connection()
cache.set("warm-up-test", 1)
with app.pool.acquire(block=True) as broker:  # the broker pool a published task makes
    broker.ensure_connection(max_retries=1)  # back in the pool, connected
assert cache._cache._pools, "the cache call made no pool"

warm_up()

print(connection.connection, cache._cache._pools, app._pool)
# The servers' view, through connections of their own: none left under this process's name (a
# closed connection leaves the server's list a moment after the close, so poll for it).
db = connection.settings_dict
checker = psycopg.connect(
    host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None, dbname=db["NAME"]
)
client = redis.Redis.from_url(settings.REDIS_URL)
deadline = time.monotonic() + 60
while True:
    backends = checker.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [name]
    ).fetchone()[0]
    redis_clients = sum(1 for row in client.client_list() if row["name"] == name)
    if (backends, redis_clients) == (0, 0) or time.monotonic() > deadline:
        break
    time.sleep(0.05)
print(backends, redis_clients)
"""
)


def test_the_warm_up_closes_every_database_and_redis_connection(postgres_and_redis):
    result = run_setup(
        WARM_UP_CLOSES, DEBUG="true", DATABASE_URL=_database_url(), REDIS_URL=settings.REDIS_URL
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["None {} None", "0 0"]


# --- A real gunicorn with two workers ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, what: str, log: Path, timeout: float = 180.0):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}\n{log.read_text()[-4000:]}")
        time.sleep(0.1)
    return value


@pytest.fixture
def gunicorn(postgres_and_redis, transactional_db, tmp_path):
    """`gunicorn -c config/gunicorn.conf.py --workers 2` on the test database and Redis.

    Yields the master process, the port and the log file."""
    build_world()  # committed (transactional_db): the server's own connections read it
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DB_CONN_MAX_AGE": "600",  # each worker keeps its connection between requests, as in production
    }
    with open(log, "w") as output:
        master = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.conf.py",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--no-control-socket",
                "config.wsgi:application",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield master, port, log
    finally:
        os.killpg(master.pid, signal.SIGTERM)
        try:
            master.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(master.pid, signal.SIGKILL)
            master.wait()


def _warmed_workers(log: Path) -> dict[int, str]:
    """The pids of the workers that logged their warm-up, with each page's status."""
    warmed = {}
    for line in log.read_text().splitlines():
        _, found, rest = line.partition("warm-up of worker ")
        if found:
            pid, _, summary = rest.partition(" in ")
            warmed[int(pid)] = summary.partition(": ")[2]
    return warmed


def _get(port: int, path: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "pohang.localhost"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return response.status


def _sockets_to(pid: int, port: int) -> set[int]:
    """The local ports of process `pid`'s TCP connections to 127.0.0.1:`port`."""
    return {
        conn.laddr.port
        for conn in psutil.Process(pid).net_connections(kind="tcp")
        if conn.raddr and conn.raddr.port == port and conn.status == psutil.CONN_ESTABLISHED
    }


@pytest.mark.worker  # starts real server processes: `make test` hands these out first
def test_two_workers_never_share_a_database_or_redis_connection(gunicorn):
    master, port, log = gunicorn
    warmed = _wait_for(lambda: len(_warmed_workers(log)) == 2 and _warmed_workers(log), "2 workers warm", log)
    # Each worker rendered every main page before it took traffic.
    assert len(WARM_PAGES) == 6
    assert warmed == dict.fromkeys(warmed, PAGES), log.read_text()[-4000:]
    workers = {child.pid for child in psutil.Process(master.pid).children()}
    assert workers == set(warmed)

    assert collections.Counter(_get(port, "/openings/") for _ in range(40)) == {200: 40}

    # PostgreSQL: each worker's backends (one per thread that served a request, and the warm-up's)
    # are named after it, on sockets that only that worker holds.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_name, client_port FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name LIKE 'portal-web-%%'"
        )
        backends = collections.defaultdict(set)
        for name, client_port in cursor.fetchall():
            backends[int(name.removeprefix("portal-web-"))].add(client_port)
    assert set(backends) == workers
    db_port = int(connection.settings_dict["PORT"] or 5432)
    for pid in workers:
        assert _sockets_to(pid, db_port) == backends[pid]

    # Redis: each worker's clients are named after it and are sockets that only that worker holds.
    client = redis.Redis.from_url(settings.REDIS_URL)
    redis_port = client.connection_pool.connection_kwargs["port"]
    redis_db = client.connection_pool.connection_kwargs.get("db", 0)
    named = collections.defaultdict(set)
    for row in client.client_list():  # the whole server's clients: keep this test's database only
        if row["name"].startswith("portal-web-") and int(row["db"]) == redis_db:
            named[int(row["name"].removeprefix("portal-web-"))].add(int(row["addr"].rpartition(":")[2]))
    assert set(named) == workers
    for pid in workers:
        assert _sockets_to(pid, redis_port) == named[pid]
    first, second = (_sockets_to(pid, db_port) | _sockets_to(pid, redis_port) for pid in sorted(workers))
    assert first & second == set()
    # The master holds no connection at all: every worker forked from it inherited none.
    assert _sockets_to(master.pid, db_port) == set()
    assert _sockets_to(master.pid, redis_port) == set()

"""Personas shared by every test (STYLE.md §9).

- `official`: a city official of the Pohang district, with admin access;
- `school_a_staff` / `school_b_staff`: staff at school A and at school B (the outsider);
- `recruiter_a` / `recruiter_b`: recruiters at company A and at company B;
- `coordinator`: a coordinator at a university;
- `student_user`: a student of school A with an account;
- `anonymous`: a visitor who is not logged in.

Each persona fixture returns a logged-in `Client`; the underlying objects are on the
`world` fixture, so a test can say `world.company_a` rather than guess.
"""

import os

import pytest
from django.test import Client

from tests import db_reset, live_server
from tests.builders import build_world

pytest_plugins = ["tests.browser"]

db_reset.install()  # transactional tests empty only the tables they wrote (tests/db_reset.py)
live_server.install()  # the live server answers without the 40 ms Nagle stall (tests/live_server.py)


def _commits_without_waiting_for_the_disk() -> None:
    """The test databases commit without waiting for the WAL to reach the disk (PostgreSQL's
    `synchronous_commit=off`, per connection): a commit is as visible and as ordered as before,
    and only a crash of the server could lose the last ones, which a throw-away test database
    does not mind. Creating each worker's database (every migration) and the transactional
    tests (live server, real workers) commit thousands of times, each waiting for the disk
    otherwise (1.2-1.7 ms a commit on the 2-core machine, 0.4-0.5 ms without). Subprocesses
    (gunicorn, Celery workers, `run_setup`) keep the settings' own options."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].startswith("django.db.backends.postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


_commits_without_waiting_for_the_disk()

# The longest tests: a minute or more for a fuzz caller, half a minute for a worker kill.
LONG_MARKERS = ("fuzz", "worker", "browser", "resilience")


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test`), hand out the longest tests first: started last, one of them
    would keep a worker busy alone while the other had finished. The order is otherwise kept."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: not any(item.get_closest_marker(name) for name in LONG_MARKERS))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.2 s a user; the personas alone would add seconds to every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test starts a real worker (marked `worker`).

    The test's thread is never inside a worker's task, so it may wait on a result: Celery keeps
    a process-wide "joining would block" flag, which a worker started in this process
    (`celery.contrib.testing.worker.start_worker`, tests/placements/test_worker.py) sets, and
    which once left set made every later `.get()` of that pytest process raise "Never call
    result.get() within a task!". `allow_join_result` clears it for the test and puts back what
    was there after.
    """
    from celery.result import allow_join_result

    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    with allow_join_result():
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts and ends with an empty cache: API throttle counters (and cached dashboards)
    from earlier tests must not spill over, or a test would meet a 429 it did not earn. (Under
    pytest-xdist each worker has its own Redis database: tests/xdist_redis.py.)"""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def official(world):
    return _client_for(world.official)


@pytest.fixture
def school_a_staff(world):
    return _client_for(world.school_a_staff)


@pytest.fixture
def school_b_staff(world):
    return _client_for(world.school_b_staff)


@pytest.fixture
def recruiter_a(world):
    return _client_for(world.recruiter_a)


@pytest.fixture
def recruiter_b(world):
    return _client_for(world.recruiter_b)


@pytest.fixture
def coordinator(world):
    return _client_for(world.coordinator)


@pytest.fixture
def student_user(world):
    return _client_for(world.student_user)


@pytest.fixture
def anonymous(db):
    return Client()

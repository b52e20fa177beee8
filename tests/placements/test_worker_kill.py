"""A worker killed with SIGKILL in the middle of a matching run: the run still finishes, once.

Real `celery worker` processes (prefork, one child) run against Redis and the test's
PostgreSQL database; the data is committed first (`transactional_db`). The round is big
enough (thousands of students) that the run is still computing when the test sees it
"running" in the database and kills the worker.

- Whole worker killed (the host's OOM killer, `kill -9`, a lost machine): the message stays
  unacknowledged in Redis and comes back after the visibility timeout. The workers here run
  with a short one (`CELERY_VISIBILITY_TIMEOUT`, with every time limit below it, as settings
  demand); a new worker restores the message and takes the run over.
- Only the pool child killed: the parent requeues the message at once
  (`task_reject_on_worker_lost`) and its next child takes the run over.

Either way the dead worker's transaction was rolled back by PostgreSQL and its advisory lock
freed with its session, which is what lets the redelivery take over a run left "running".
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count

from placements.management.commands.bench_matching import _pohang_sized_district
from placements.models import Match, MatchRun
from placements.services.runs import _RUN_LOCK_NAMESPACE, match_run_start
from placements.tasks import match_run_execute_task

pytestmark = pytest.mark.worker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STUDENTS, OPENINGS, CHOICES = 3_000, 200, 30
VISIBILITY = 35  # seconds; every hard time limit of the test workers is below it
SOFT, HARD = 25, 30
# The test's own queue: a worker left over from another test (or another checkout's suite on the
# same Redis database) consumes the default queue and could take, and sit on, the one message.
QUEUE = f"worker-kill-{os.getpid()}"


@pytest.fixture
def broker(settings):
    """The project's Celery app publishing to Redis, and a Redis client on the same database."""
    from district.celery import app

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("killing a worker needs Redis (REDIS_URL) and PostgreSQL")
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    client = redis.Redis.from_url(settings.REDIS_URL)

    def clean() -> None:
        app.control.purge()
        client.delete(QUEUE, "unacked", "unacked_index", "unacked_mutex")

    clean()  # nothing left over from an earlier, interrupted run
    yield client
    clean()
    app.conf.update(saved)


@pytest.fixture
def workers(tmp_path):
    """Start `celery worker` processes on the test database; each in its own process group."""
    started: list[subprocess.Popen] = []
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "district.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "DB_CONN_MAX_AGE": "0",
    }
    for prefix in ("CELERY_TASK", "MATCH_RUN", "SUGGESTIONS", "ROSTER_IMPORT"):
        env[f"{prefix}_SOFT_TIME_LIMIT"], env[f"{prefix}_TIME_LIMIT"] = str(SOFT), str(HARD)

    def start(name: str) -> subprocess.Popen:
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "district",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--queues={QUEUE}",
                "--loglevel=INFO",
                f"--hostname={name}@%h",
            ],  # fmt: skip
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # warm shutdown: finish, acknowledge, close connections
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        process.log.close()


def wait_for(condition, what: str, timeout: float = 120.0, logs=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            text = "".join(Path(p.log.name).read_text()[-3000:] for p in (logs or []))
            raise AssertionError(f"timed out waiting until {what}\n{text}")
        time.sleep(0.05)


def status(run: MatchRun) -> str:
    return MatchRun.objects.values_list("status", flat=True).get(pk=run.pk)


def lock_held(run: MatchRun) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s",
            [_RUN_LOCK_NAMESPACE, run.pk],
        )
        return cursor.fetchone()[0] > 0


def children(process: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


@pytest.fixture
def queued_run(transactional_db, broker):
    """A big round's run, queued on Redis (published here rather than by the start's on_commit
    hook, so the test holds the one message that matters)."""
    district, cohort = _pohang_sized_district(students=STUDENTS, openings=OPENINGS, choices=CHOICES)
    run = match_run_start(district=district, cohort=cohort, by=None, enqueue=False)
    match_run_execute_task.apply_async(args=[run.pk], queue=QUEUE)
    return run


def assert_finished_once(run: MatchRun) -> None:
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED, run.error
    assert run.stats["students"] == STUDENTS
    print(f"the run took {run.stats['duration_seconds']} s")
    assert MatchRun.objects.count() == 1
    # One set of matches: one row per student, all of this run, none left from the killed attempt.
    assert Match.objects.count() == STUDENTS == Match.objects.filter(run=run).count()
    assert not Match.objects.values("student_id").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Match.objects.filter(opening__isnull=False).count() == run.stats["matched"] > 0


def test_a_worker_killed_mid_run_is_replaced_and_the_run_finishes_exactly_once(queued_run, broker, workers):
    run = queued_run
    first = workers("first")
    wait_for(lambda: status(run) == MatchRun.Status.RUNNING, "the first worker claims the run", logs=[first])
    wait_for(lambda: lock_held(run), "the first worker holds the run's lock", timeout=10, logs=[first])
    time.sleep(1)  # well into the computation
    assert status(run) == MatchRun.Status.RUNNING, "the run finished before it could be killed: enlarge it"

    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool child, without warning
    first.wait(timeout=10)

    # PostgreSQL ended the dead session: its transaction was rolled back and its lock freed.
    wait_for(lambda: not lock_held(run), "PostgreSQL drops the dead session", timeout=30)
    assert status(run) == MatchRun.Status.RUNNING
    assert not Match.objects.exists()
    # The message was never acknowledged: Redis keeps it aside until the visibility timeout.
    assert broker.hlen("unacked") == 1
    [(_tag, delivered_at)] = broker.zrange("unacked_index", 0, -1, withscores=True)

    # A new worker started after the visibility timeout restores the message at start-up.
    time.sleep(max(0.0, delivered_at + VISIBILITY + 1 - time.time()))
    second = workers("second")
    wait_for(
        lambda: status(run) != MatchRun.Status.RUNNING, "the second worker finishes the run", logs=[second]
    )

    assert_finished_once(run)
    run.refresh_from_db()
    assert run.started_at.timestamp() > delivered_at  # the second worker's claim: it took the run over
    wait_for(lambda: broker.hlen("unacked") == 0, "the second worker acknowledges the message", timeout=30)
    assert broker.llen(QUEUE) == 0


def test_a_pool_child_killed_mid_run_is_requeued_at_once_and_its_successor_takes_over(
    queued_run, broker, workers
):
    run = queued_run
    worker = workers("solo")
    wait_for(lambda: status(run) == MatchRun.Status.RUNNING, "the worker claims the run", logs=[worker])
    wait_for(lambda: lock_held(run), "the worker holds the run's lock", timeout=10, logs=[worker])
    time.sleep(1)
    assert status(run) == MatchRun.Status.RUNNING, "the run finished before it could be killed: enlarge it"
    [child] = children(worker)
    claimed_at = MatchRun.objects.get(pk=run.pk).started_at

    os.kill(child, signal.SIGKILL)

    # No visibility timeout to wait for: the parent rejects the message back onto the queue and
    # a new child runs it. A claim that refused "running" runs would drop it here.
    wait_for(lambda: status(run) != MatchRun.Status.RUNNING, "the new child finishes the run", logs=[worker])
    assert_finished_once(run)
    run.refresh_from_db()
    assert run.started_at > claimed_at
    assert worker.poll() is None  # the worker itself lived on

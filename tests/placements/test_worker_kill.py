"""A worker killed with SIGKILL in the middle of a matching run: the run still finishes, once.

Real `celery worker` processes (prefork, one child) run against Redis and the test's
PostgreSQL database; the data is committed first (`transactional_db`). The workers run with
the test hook `MATCH_RUN_TEST_HOLD` (`placements.services.run_execution._test_hold`): the run stops
inside its transaction, right after writing its matches, and says so in a marker file; the
test waits for that marker, kills the worker there, checks that no match survived, and only
then releases the hook. So the kill always lands mid-run, however fast or idle the machine.

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

import json
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

from demo.management.commands.bench_matching import _pohang_sized_district
from placements.models import Match, MatchRun
from placements.services.run_execution import _RUN_LOCK_NAMESPACE
from placements.services.runs import match_run_start
from placements.tasks import match_run_execute

pytestmark = pytest.mark.worker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The hold, not the size, keeps the run alive until the kill: a small round does (and runs in about
# a second, far inside the time limits below, even on a busy machine).
STUDENTS, OPENINGS, CHOICES = 200, 20, 10
# Seconds. The first test waits out the visibility timeout, so it is short; every hard time limit of
# the test workers is below it, as settings demand (CELERY_VISIBILITY_TIMEOUT > the longest limit).
VISIBILITY = 12
SOFT, HARD = 8, 10
# The test's own queue: a worker left over from another test (or another checkout's suite on the
# same Redis database) consumes the default queue and could take, and sit on, the one message.
QUEUE = f"worker-kill-{os.getpid()}"


@pytest.fixture
def broker(settings):
    """The project's Celery app publishing to Redis, and a Redis client on the same database."""
    from config.celery import app

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
def hold(tmp_path):
    """The hook's gate file, present: every run that reaches the hook stops there until `release`."""
    gate = tmp_path / "hold"
    gate.touch()
    return gate


def wait_until_held(gate: Path, run: MatchRun, logs) -> dict:
    """Wait for the run to stop at the hook; returns the marker (run, matches written, pid)."""
    marker = gate.with_name(gate.name + ".held")
    wait_for(marker.exists, "the run stops at the hook with its matches written", logs=logs)
    held = json.loads(marker.read_text())
    assert (held["run"], held["matches"]) == (run.pk, STUDENTS)  # written, inside the open transaction
    assert status(run) == MatchRun.Status.RUNNING
    return held


@pytest.fixture
def workers(tmp_path, hold):
    """Start `celery worker` processes on the test database; each in its own process group."""
    started: list[subprocess.Popen] = []
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "DB_CONN_MAX_AGE": "0",
        "MATCH_RUN_TEST_HOLD": str(hold),
    }
    for prefix in ("CELERY_TASK", "MATCH_RUN", "SUGGESTIONS", "ROSTER_IMPORT"):
        env[f"{prefix}_SOFT_TIME_LIMIT"], env[f"{prefix}_TIME_LIMIT"] = str(SOFT), str(HARD)

    def start(name: str, *, queue: str = QUEUE, gate: Path = hold) -> subprocess.Popen:
        """A worker consuming `queue`, whose runs stop at the hook while `gate` exists."""
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--queues={queue}",
                "--loglevel=INFO",
                f"--hostname={name}@%h",
            ],  # fmt: skip
            cwd=PROJECT_ROOT,
            env={**env, "MATCH_RUN_TEST_HOLD": str(gate)},
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


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
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
    match_run_execute.apply_async(args=[run.pk], queue=QUEUE)
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


def test_a_worker_killed_mid_run_is_replaced_and_the_run_finishes_exactly_once(
    queued_run, broker, workers, hold
):
    run = queued_run
    first = workers("first")
    wait_until_held(hold, run, logs=[first])
    assert lock_held(run)

    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool child, without warning
    first.wait(timeout=10)

    # PostgreSQL ended the dead session: its transaction was rolled back and its lock freed.
    wait_for(lambda: not lock_held(run), "PostgreSQL drops the dead session", timeout=30)
    assert status(run) == MatchRun.Status.RUNNING
    assert Match.objects.count() == 0  # the matches the held transaction had written are gone
    hold.unlink()  # release the hook: the redelivery runs through
    # The message was never acknowledged: Redis keeps it aside until the visibility timeout.
    assert broker.hlen("unacked") == 1
    [(_tag, delivered_at)] = broker.zrange("unacked_index", 0, -1, withscores=True)

    # A new worker started after the visibility timeout restores the message at start-up. This
    # waits for a point in wall-clock time that Redis compares against, not for work to finish.
    wait_for(lambda: time.time() > delivered_at + VISIBILITY + 1, "the visibility timeout passes")
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
    queued_run, broker, workers, hold
):
    run = queued_run
    worker = workers("solo")
    held = wait_until_held(hold, run, logs=[worker])
    assert lock_held(run)
    [child] = children(worker)
    assert held["pid"] == child  # the pool child is the process stopped at the hook
    claimed_at = MatchRun.objects.get(pk=run.pk).started_at

    os.kill(child, signal.SIGKILL)

    # PostgreSQL ended the dead child's session and rolled its transaction back: none of the
    # matches it had written remain. (A new child may already hold the run again at the hook;
    # its matches are not committed either.)
    wait_for(lambda: not backend_alive(held["backend"]), "PostgreSQL drops the dead session", timeout=30)
    assert Match.objects.count() == 0
    hold.unlink()  # release the hook
    # No visibility timeout to wait for: the parent rejects the message back onto the queue and
    # a new child runs it. A claim that refused "running" runs would drop it here.
    wait_for(lambda: status(run) != MatchRun.Status.RUNNING, "the new child finishes the run", logs=[worker])
    assert_finished_once(run)
    run.refresh_from_db()
    assert run.started_at > claimed_at
    assert worker.poll() is None  # the worker itself lived on


# --- issue 16 (ISOLATION): two districts' rounds run at the same time ------------------------------------


def test_two_districts_runs_execute_at_the_same_time_on_two_workers(
    transactional_db, broker, workers, tmp_path
):
    """Each district's run is claimed on its own: by its row (a conditional UPDATE), its own advisory
    lock (keyed by the run), and one active run per district (`matchrun_one_active_per_district`).
    Nothing is locked across districts, so two workers hold Pohang's and Ansan's runs inside their
    transactions at the same moment, and each finishes once its own hook is released.
    """
    from django.core.exceptions import ValidationError

    from tests import factories as f

    districts = {"pohang": f.DistrictFactory(), "ansan": f.DistrictFactory(name="안산", slug="ansan")}
    runs, gates, queues, started = {}, {}, {}, []
    for slug, district in districts.items():
        cohort = f.MatchRoundFactory(district=district).cohort
        runs[slug] = match_run_start(district=district, cohort=cohort, by=None, enqueue=False)
        gates[slug] = tmp_path / f"hold-{slug}"
        gates[slug].touch()
        queues[slug] = f"{QUEUE}-{slug}"
    try:
        for slug in districts:
            started.append(workers(slug, queue=queues[slug], gate=gates[slug]))
            match_run_execute.apply_async(args=[runs[slug].pk], queue=queues[slug])

        # Both runs stop at the hook, each in its own worker's open transaction: neither waited.
        for slug, run in runs.items():
            marker = gates[slug].with_name(gates[slug].name + ".held")
            wait_for(marker.exists, f"{slug}'s run stops at the hook", logs=started)
            held = json.loads(marker.read_text())
            assert held["run"] == run.pk
            assert status(run) == MatchRun.Status.RUNNING
        assert lock_held(runs["pohang"]) and lock_held(runs["ansan"])
        pids = {json.loads(gates[s].with_name(gates[s].name + ".held").read_text())["backend"] for s in runs}
        assert len(pids) == 2  # two database sessions, one per worker

        # One active run per district still holds, district by district.
        for slug, district in districts.items():
            with pytest.raises(ValidationError) as refused:
                match_run_start(district=district, cohort=runs[slug].cohort, by=None, enqueue=False)
            assert refused.value.code == "run_active"

        gates["ansan"].unlink()  # Ansan finishes while Pohang's run is still held
        wait_for(
            lambda: status(runs["ansan"]) == MatchRun.Status.SUCCEEDED, "Ansan's run finishes", logs=started
        )
        assert status(runs["pohang"]) == MatchRun.Status.RUNNING
        gates["pohang"].unlink()
        wait_for(
            lambda: status(runs["pohang"]) == MatchRun.Status.SUCCEEDED, "Pohang's run finishes", logs=started
        )
    finally:
        for gate in gates.values():
            gate.unlink(missing_ok=True)
        broker.delete(*queues.values())

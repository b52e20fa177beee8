"""Celery's delivery guarantees: time limits, the visibility timeout, and retries of transient
database errors.

The retry tests make the database itself fail: a second session holds a lock on a table the
task needs while the task's session has a short `lock_timeout`, so PostgreSQL answers the first
attempt with "lock not available" (SQLSTATE 55P03, an OperationalError). The lock is released
when Celery schedules the retry (`task_retry` signal); the retry then succeeds. Nothing of
ours is mocked.
"""

from __future__ import annotations

import re

import pytest
from celery.signals import task_retry
from django.conf import settings
from django.db import OperationalError, connection, connections

from config.celery import app
from district.taskbase import TRANSIENT_DB_ERRORS, DistrictTask
from placements.models import Match, MatchRun
from placements.services.runs import match_run_start
from placements.tasks import match_run_execute
from tests.builders import SETUP, assert_refused, build_market, run_setup


def project_tasks() -> dict:
    app.loader.import_default_modules()  # autodiscovery: every app's tasks.py
    tasks = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert len(tasks) >= 15, sorted(tasks)  # the walk found the apps' tasks, not an empty registry
    return tasks


def hard_limit(task) -> float | None:
    return task.time_limit if task.time_limit is not None else app.conf.task_time_limit


def soft_limit(task) -> float | None:
    return task.soft_time_limit if task.soft_time_limit is not None else app.conf.task_soft_time_limit


# --- Names -------------------------------------------------------------------------------------


def test_every_task_is_named_app_dot_service_and_old_names_only_forward():
    """One pattern, `<app>.<service>`; the names from before it are aliases for one release."""
    tasks = project_tasks()
    current = sorted(name for name in tasks if ".tasks." not in name)
    aliases = sorted(name for name in tasks if ".tasks." in name)
    apps = "district|privacy|companies|schools|universities|placements"
    assert [name for name in current if not re.fullmatch(rf"({apps})\.[a-z][a-z_]*", name)] == []
    # 35 tasks: the 30 of the rename, and five new ones with no old name (the recruiter's note to
    # the student, the neutral notice of a withdrawn application to the company, the reminder
    # to write a 자기소개서 of issue 15, a new district's first official's invitation of issue 16,
    # and one paced offer email of issue 17).
    assert (len(current), len(aliases)) == (35, 30)
    for name in aliases:
        assert tasks[name].run.__doc__.startswith("The old name of "), name
        new = tasks[name].run.__doc__.removeprefix("The old name of ").removesuffix(", kept for one release.")
        assert new in current, name


# --- Limits and acknowledgement ------------------------------------------------------------------


def test_every_task_has_a_soft_and_a_hard_time_limit():
    for name, task in project_tasks().items():
        assert hard_limit(task), f"{name} has no hard time limit"
        assert soft_limit(task), f"{name} has no soft time limit"
        assert soft_limit(task) < hard_limit(task), f"{name}: the soft limit must come first"


def test_the_visibility_timeout_exceeds_every_tasks_hard_time_limit():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility == settings.CELERY_VISIBILITY_TIMEOUT
    for name, task in project_tasks().items():
        assert hard_limit(task) < visibility, f"{name} could be redelivered while it still runs"


def test_every_task_is_acknowledged_late_and_requeued_when_its_worker_dies():
    assert app.conf.worker_prefetch_multiplier == 1
    for name, task in project_tasks().items():
        assert task.acks_late, name
        assert task.reject_on_worker_lost, name


def test_a_visibility_timeout_shorter_than_the_longest_task_stops_the_process():
    # The nightly suggestions' hard limit (1,860 s by default) is the longest.
    too_short = run_setup(DEBUG="true", CELERY_VISIBILITY_TIMEOUT="1800")
    assert_refused(too_short, "CELERY_VISIBILITY_TIMEOUT", "1860")
    assert_refused(run_setup(DEBUG="true", CELERY_VISIBILITY_TIMEOUT="soon"), "CELERY_VISIBILITY_TIMEOUT")


def test_a_short_visibility_timeout_is_accepted_with_shorter_time_limits():
    """What the worker-kill test runs with: every limit below the timeout."""
    limits = {
        f"{prefix}_{kind}TIME_LIMIT": seconds
        for prefix in ("CELERY_TASK", "MATCH_RUN", "SUGGESTIONS", "ROSTER_IMPORT")
        for kind, seconds in (("SOFT_", "6"), ("", "8"))
    }
    code = SETUP + "from django.conf import settings\nprint(settings.CELERY_VISIBILITY_TIMEOUT)"
    result = run_setup(code, DEBUG="true", CELERY_VISIBILITY_TIMEOUT="12", **limits)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "12"


# --- Retries ------------------------------------------------------------------------------------------


def test_every_task_retries_transient_database_errors_with_exponential_backoff_and_jitter():
    for name, task in project_tasks().items():
        assert isinstance(task, DistrictTask), name
        for error in TRANSIENT_DB_ERRORS:
            assert issubclass(error, tuple(task.autoretry_for)), f"{name} does not retry {error.__name__}"
        assert task.retry_backoff, name
        assert task.retry_jitter, name
        assert task.max_retries and task.max_retries <= 10, name


def test_serialization_failures_and_deadlocks_count_as_transient():
    from psycopg import errors

    for error in (errors.SerializationFailure, errors.DeadlockDetected, errors.LockNotAvailable):
        assert issubclass(error, TRANSIENT_DB_ERRORS)
    assert OperationalError in TRANSIENT_DB_ERRORS


@pytest.fixture
def retries():
    """The retries Celery schedules, as (task name, the Retry); the first one runs `on_retry`."""
    seen: list = []
    hooks: list = []

    def record(sender=None, reason=None, **kwargs):
        seen.append((sender.name, reason))
        while hooks:
            hooks.pop(0)()

    task_retry.connect(record, weak=False)
    yield seen, hooks
    task_retry.disconnect(record)


@pytest.fixture
def table_lock():
    """Lock a table from a second database session; the test's session gives up waiting after 0.3 s."""
    blocker = connections.create_connection("default")

    def lock(table: str, mode: str) -> None:
        blocker.set_autocommit(False)
        with blocker.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN {mode} MODE")

    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    yield lock, blocker.rollback
    blocker.rollback()
    blocker.close()
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_claim_hits_a_lock_timeout_is_retried_and_succeeds(world, retries, table_lock):
    if connection.vendor != "postgresql":
        pytest.skip("the lock timeout is PostgreSQL's")
    build_market(world)
    run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    seen, on_retry = retries
    lock, release = table_lock
    lock(MatchRun._meta.db_table, "ACCESS EXCLUSIVE")  # the claim's UPDATE waits, then times out
    on_retry.append(release)

    result = match_run_execute.apply(args=[run.pk], throw=False)

    assert result.get() == "succeeded"
    [(name, retry)] = seen  # exactly one retry, for the lock timeout
    assert name == match_run_execute.name
    assert isinstance(retry.exc, OperationalError) and "lock timeout" in str(retry.exc)
    assert 0 <= retry.when <= 2  # the first backoff: full jitter over 2 s
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED
    assert Match.objects.filter(run=run).count() == 5 == Match.objects.count()


@pytest.mark.django_db(transaction=True)
def test_a_run_interrupted_by_a_database_error_mid_way_is_taken_over_by_its_retry(world, retries, table_lock):
    """The error strikes inside the run's transaction (the COPY of its matches waits on a lock):
    the run is rolled back and left running, not failed, and the retry takes it over."""
    if connection.vendor != "postgresql":
        pytest.skip("the lock timeout is PostgreSQL's")
    build_market(world)
    run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False)
    seen, on_retry = retries
    lock, release = table_lock
    lock(Match._meta.db_table, "SHARE")  # reads go on; the INSERT (COPY) waits, then times out
    states: list[str] = []
    on_retry.append(lambda: states.append(MatchRun.objects.get(pk=run.pk).status))
    on_retry.append(release)

    result = match_run_execute.apply(args=[run.pk], throw=False)

    assert result.get() == "succeeded"
    assert len(seen) == 1 and "lock timeout" in str(seen[0][1].exc)
    assert states == [MatchRun.Status.RUNNING]  # between the attempts: not marked failed
    run.refresh_from_db()
    assert (run.status, run.error) == (MatchRun.Status.SUCCEEDED, "")
    assert Match.objects.filter(run=run).count() == 5 == Match.objects.count()


@pytest.mark.django_db(transaction=True)
def test_a_mail_task_retries_a_database_error_too(world, retries, table_lock):
    """The mail tasks list their own errors to retry; the database's must still be among them."""
    from companies.models import Company
    from companies.tasks import company_verification_email_send

    seen, on_retry = retries
    lock, release = table_lock
    lock(Company._meta.db_table, "ACCESS EXCLUSIVE")
    on_retry.append(release)

    result = company_verification_email_send.apply(args=[world.company_a.pk], throw=False)

    assert result.successful(), result.traceback
    assert [name for name, _retry in seen] == [company_verification_email_send.name]

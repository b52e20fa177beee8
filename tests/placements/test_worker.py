"""A real Celery worker on Redis executes a run against PostgreSQL; a second delivery changes nothing.

The worker runs in a thread of this process (`celery.contrib.testing.worker.start_worker`,
solo pool) and reads the messages from Redis, so the data must be committed first: the
test uses `transactional_db`.
"""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from placements.models import Match, MatchRun
from placements.services.runs import match_run_start
from placements.tasks import match_run_execute
from tests.builders import build_market

pytestmark = pytest.mark.worker


@pytest.fixture
def redis_app(settings):
    """The project's Celery app, sending to Redis instead of running tasks in-process."""
    from config.celery import app

    if not settings.REDIS_URL:
        pytest.skip("a real worker needs Redis: set REDIS_URL")
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    app.control.purge()  # nothing left over from an earlier, interrupted run
    yield app
    app.control.purge()
    app.conf.update(saved)


@pytest.fixture
def deliveries():
    """(task name, return value) of every task the worker finishes; closes the worker's connections."""
    done: list[tuple[str, object]] = []

    def record(sender=None, retval=None, **kwargs):
        connections.close_all()  # this runs in the worker's thread: do not leave its connection open
        done.append((sender.name, retval))

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not finish in time")
        time.sleep(0.1)


def test_a_real_worker_runs_the_round_once_even_when_the_task_is_delivered_twice(
    transactional_db, world, redis_app, deliveries
):
    build_market(world)
    # The start enqueues the task on commit; a redelivery (a lost acknowledgement, say) sends it again.
    run = match_run_start(district=world.district, cohort=2026, by=world.official)
    match_run_execute.delay(run.pk)
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.QUEUED

    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        wait_for(lambda: len([d for d in deliveries if d[0] == match_run_execute.name]) == 2)

    results = sorted(str(retval) for name, retval in deliveries if name == match_run_execute.name)
    assert results == ["None", "succeeded"]  # the second delivery found nothing to claim
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED
    assert Match.objects.filter(run=run).count() == 5 == run.stats["students"]
    assert Match.objects.count() == 5

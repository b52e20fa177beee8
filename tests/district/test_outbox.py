"""The task outbox: a task the broker cannot take is kept, and the sweeper sends each kept task once.

"Broker down" here is a real refused connection (a private redis-server that was stopped, or
a port nothing listens on); "broker up" is a private redis-server whose queue is read back
with LLEN. No test mocks Celery or Redis.
"""

from __future__ import annotations

import base64
import json
import threading

import pytest
from celery import current_app
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connections, transaction

from district.models import TaskOutbox
from district.outbox import enqueue, outbox_flush
from placements.services.applications import application_submit
from placements.tasks import application_received_email_send
from tests import factories as f
from tests.redis_server import PrivateRedis, celery_publishing_to, running_private_redis

pytestmark = pytest.mark.resilience


@pytest.fixture
def private_redis():
    yield from running_private_redis()


@pytest.fixture
def opening(world):
    return f.OpeningFactory(company=world.company_a)


def _queued(server) -> list[dict]:
    """The task messages waiting in the private Redis's default queue, oldest first: name and arguments."""
    messages = []
    for raw in reversed(server.client().lrange("celery", 0, -1)):  # kombu pushes on the left
        message = json.loads(raw)
        args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
        messages.append({"task": message["headers"]["task"], "args": args, "kwargs": kwargs})
    return messages


@pytest.fixture
def dead_broker():
    """A broker URL on a port where nothing listens: every connection is refused."""
    server = PrivateRedis()  # only for its free port; never started
    with celery_publishing_to(server.url()) as app:
        yield app


def test_eager_enqueue_runs_the_task_in_process(world, opening, django_capture_on_commit_callbacks):
    """Without a broker (make run, the tests) the recruiters' notice goes out at once."""
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(student=world.student, opening=opening, by=world.student_user)
    assert [m.to for m in mail.outbox] == [[world.recruiter_a.email]]
    assert opening.title in mail.outbox[0].subject
    assert world.student.name not in mail.outbox[0].body  # the student's name stays out of the mailbox
    assert not TaskOutbox.objects.exists()


def test_a_task_the_broker_refuses_is_kept_in_the_outbox(
    world, opening, dead_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(student=world.student, opening=opening, by=world.student_user)
    row = TaskOutbox.objects.get()
    assert row.task_name == "placements.application_received_email_send"
    assert row.args == [application.pk]
    assert row.kwargs == {}
    assert "111" in row.error or "refused" in row.error.lower()
    assert mail.outbox == []


def test_the_sweeper_sends_each_kept_task_once(db, private_redis):
    with celery_publishing_to(private_redis.url()):
        TaskOutbox.objects.create(task_name=application_received_email_send.name, args=[11])
        TaskOutbox.objects.create(task_name="placements.tasks.send_match_company_email_task", args=[3, 4])
        assert outbox_flush() == 2
        assert outbox_flush() == 0
    assert not TaskOutbox.objects.exists()
    assert _queued(private_redis) == [
        {"task": application_received_email_send.name, "args": [11], "kwargs": {}},
        {"task": "placements.tasks.send_match_company_email_task", "args": [3, 4], "kwargs": {}},
    ]


def test_while_redis_is_down_the_sweeper_keeps_the_rows(db, private_redis):
    with celery_publishing_to(private_redis.url()):
        private_redis.stop()
        enqueue(application_received_email_send.name, 21)
        row = TaskOutbox.objects.get()
        assert (row.args, row.attempts) == ([21], 1)
        assert outbox_flush() == 0
        row.refresh_from_db()
        assert row.attempts == 2
        with pytest.raises(CommandError, match="1 tasks still wait in the outbox"):
            call_command("flush_outbox")

        private_redis.start()
        call_command("flush_outbox")
    assert not TaskOutbox.objects.exists()
    assert [m["args"] for m in _queued(private_redis)] == [[21]]


def test_a_row_naming_an_unknown_task_stays_and_does_not_block_the_others(db, private_redis):
    with celery_publishing_to(private_redis.url()):
        stale = TaskOutbox.objects.create(task_name="placements.tasks.renamed_long_ago", args=[1])
        TaskOutbox.objects.create(task_name=application_received_email_send.name, args=[2])
        assert outbox_flush() == 1
    stale.refresh_from_db()
    assert "unknown task" in stale.error
    assert [m["args"] for m in _queued(private_redis)] == [[2]]


def test_flush_outbox_refuses_a_bad_limit(db):
    with pytest.raises(CommandError, match="--limit must be at least 1"):
        call_command("flush_outbox", limit=0)


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_never_take_the_same_row(private_redis):
    """A row another sweeper holds (FOR UPDATE) is skipped, not waited for and not sent twice."""
    held = TaskOutbox.objects.create(task_name=application_received_email_send.name, args=[31])
    TaskOutbox.objects.create(task_name=application_received_email_send.name, args=[32])
    locked, release = threading.Event(), threading.Event()

    def other_sweeper():
        try:
            with transaction.atomic():
                TaskOutbox.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_sweeper)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        with celery_publishing_to(private_redis.url()):
            assert outbox_flush() == 1
    finally:
        release.set()
        thread.join()
    assert list(TaskOutbox.objects.values_list("args", flat=True)) == [[31]]
    assert [m["args"] for m in _queued(private_redis)] == [[32]]


def test_the_sweeper_is_named_after_its_service_and_its_old_name_still_sweeps(db, settings):
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "district.outbox_flush" in beat
    assert "district.tasks.flush_task_outbox" not in beat
    # A row for a task that does nothing when there is nothing else to sweep.
    TaskOutbox.objects.create(task_name="district.outbox_flush", args=[], kwargs={}, error="kept")
    enqueue("district.tasks.flush_task_outbox")  # eager: the alias re-enqueues the new name
    assert list(TaskOutbox.objects.values_list("task_name", flat=True)) == []


def test_a_thread_that_enqueues_while_another_imports_the_tasks_waits_for_the_import(monkeypatch):
    """A gthread worker's threads share one Celery app, which imports the tasks modules once.

    The first thread to miss a task name imports them; Celery gives a second thread that asks
    meanwhile back at once (its autodiscovery has already started), before the tasks are
    registered. `enqueue` must wait for the import rather than raise LookupError. (Should the
    second thread reach the lookup only after the import, it finds the task directly: this
    test then cannot catch a missing lock, but it never fails a correct one.)
    """
    app = current_app._get_current_object()
    name = "tests.outbox.registered_late"
    importing, release = threading.Event(), threading.Event()
    imports = []

    def registered_late():
        return "ran"

    def import_default_modules():  # as Celery's: the first call imports, a later one returns at once
        imports.append(threading.current_thread().name)
        if len(imports) == 1:
            importing.set()
            release.wait(timeout=60)
            app.task(name=name)(registered_late)

    monkeypatch.setattr(app.loader, "import_default_modules", import_default_modules)
    outcome = {}

    def send(who):
        try:
            enqueue(name)
            outcome[who] = "sent"
        except LookupError as exc:
            outcome[who] = str(exc)

    first = threading.Thread(target=send, args=("first",), name="first")
    second = threading.Thread(target=send, args=("second",), name="second")
    try:
        first.start()
        assert importing.wait(timeout=60)
        second.start()
        second.join(timeout=1)  # with the lock, it is still waiting for the first thread's import
        release.set()
        first.join(timeout=60)
        second.join(timeout=60)
    finally:
        release.set()
        app.tasks.pop(name, None)
    assert outcome == {"first": "sent", "second": "sent"}
    assert imports == ["first", "second"]

"""Publishing Celery tasks so that a dead Redis never fails a request or loses a task.

Every service and task publishes through `enqueue(task_name, *args, **kwargs)`, inside
`transaction.on_commit` when it follows a write. `enqueue` tries the broker with the short
publish retry policy in settings (a stopped Redis refuses in milliseconds, a silent one
costs at most the socket timeouts); when the broker cannot take the message, the task's
name and arguments go to the `TaskOutbox` table and the request carries on.

`outbox_flush` publishes the stored rows once Redis answers again. It runs every minute
from beat (task `district.outbox_flush`) and from `manage.py flush_outbox`. Rows are
claimed with SELECT … FOR UPDATE SKIP LOCKED, so two sweepers never take the same row,
and a row is deleted in the transaction that claimed it once its message is published:
each row is sent once. (If the database fails between the publish and the commit, the
row is sent again later; tasks are idempotent, DESIGN.md §4.)

With eager Celery (no REDIS_URL, and the tests) `enqueue` runs the task in-process as
`.delay()` did, and its errors propagate.
"""

from __future__ import annotations

import logging
import threading

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from district.models import TaskOutbox

logger = logging.getLogger(__name__)

# What a broker that is down, unreachable or silent raises from apply_async. Anything else
# (a task that cannot be serialised, say) is a bug and propagates.
PUBLISH_ERRORS = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, OSError)

# How many stored tasks one sweep publishes; the next sweep takes the rest.
FLUSH_BATCH = 500

# Held while the tasks modules are imported: see `_registered`.
_import_lock = threading.Lock()


def _describe(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:500]


def _registered(name: str):
    """The task registered under `name`.

    Every app's tasks module is imported only when the name is not registered yet: with
    Django, importing them runs `django.setup()` and the system checks again (which also
    reconfigures logging), far too much for each task a request enqueues.

    The import runs under a lock. Celery imports the apps' tasks modules (autodiscovery) once
    per process, on the first call: a second thread of a gthread worker that asked while the
    first was still importing got back at once, before the tasks were registered, and raised
    LookupError (a student's decline answered 500 on results day). With the lock it waits for
    the import to finish.
    """
    app = current_app._get_current_object()
    task = app.tasks.get(name)
    if task is None:
        with _import_lock:
            app.loader.import_default_modules()
        task = app.tasks.get(name)
    if task is None:
        raise LookupError(f"no task is registered as {name!r}")
    return task


def enqueue(task_name: str, *args, **kwargs) -> None:
    """Publish the task named `task_name`, or keep it in the outbox when the broker is down.

    Services pass the task's name (`"placements.match_run_execute"`), so that no service
    imports a tasks module. With eager Celery (`make run`, the tests) the registered task
    is looked up and run in-process, since `send_task` ignores `task_always_eager`; an
    unknown name is a bug and raises `LookupError` at once, in every mode.

    The arguments must be JSON values (tasks take ids, DESIGN.md §4), as the outbox stores
    them as JSON.
    """
    task = _registered(task_name)
    if task.app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs)
        return
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except PUBLISH_ERRORS as exc:
        TaskOutbox.objects.create(task_name=task.name, args=list(args), kwargs=kwargs, error=_describe(exc))
        logger.warning("broker unavailable, task %s kept in the outbox: %s", task.name, _describe(exc))


def outbox_flush(*, limit: int = FLUSH_BATCH) -> int:
    """Publish up to `limit` stored tasks, oldest first, deleting each one sent. Returns how many.

    1. Claim the rows with SELECT … FOR UPDATE SKIP LOCKED (rows another sweeper holds are
       left to it).
    2. Publish them in order; at the first broker error stop, and record the error and the
       attempt on that row (Redis is still down, the next sweep tries again).
    3. Delete the rows that were published, in the claiming transaction.

    A row naming a task this code base no longer has, or one that fails for another reason,
    stays with its error (`manage.py flush_outbox` exits non-zero and shows it); it does not
    hold up the rows behind it.
    """
    app = current_app._get_current_object()
    app.loader.import_default_modules()  # every app's tasks module, as a worker has them
    sent_ids: list[int] = []
    with transaction.atomic():
        rows = list(TaskOutbox.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        for row in rows:
            task = app.tasks.get(row.task_name)
            if task is None:
                _record_failure(row, f"unknown task {row.task_name!r}")
                continue
            try:
                task.apply_async(args=row.args, kwargs=row.kwargs)
            except PUBLISH_ERRORS as exc:
                _record_failure(row, _describe(exc))
                logger.warning(
                    "broker still unavailable, %d tasks wait in the outbox", len(rows) - len(sent_ids)
                )
                break
            except Exception as exc:  # one bad row must neither stop the others nor undo their deletion
                logger.exception("task %s from the outbox could not be published", row.task_name)
                _record_failure(row, _describe(exc))
                continue
            sent_ids.append(row.pk)
        TaskOutbox.objects.filter(pk__in=sent_ids).delete()
    if sent_ids:
        logger.info("published %d tasks from the outbox", len(sent_ids))
    return len(sent_ids)


def _record_failure(row: TaskOutbox, error: str) -> None:
    row.attempts += 1
    row.error = error[:500]
    row.save(update_fields=["attempts", "error", "last_attempt_at"])

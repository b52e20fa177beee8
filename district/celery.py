"""The Celery application. Settings come from Django's, under the CELERY_ prefix.

Every task is a `DistrictTask` (the app's task class, so `@shared_task` needs no `base=`):
it retries transient database errors with exponential backoff and jitter. One base class
rather than options repeated on each decorator, so a new task cannot forget it; a task
that also retries other errors (the mail tasks) lists `TRANSIENT_DB_ERRORS` in its own
`autoretry_for`, because a decorator option replaces the class attribute.

Delivery guarantees (settings, "Redis, cache and Celery"): messages are acknowledged after
the task ends (`acks_late`) and returned to the queue when the worker process dies
(`reject_on_worker_lost`); the broker's visibility timeout exceeds every task's hard time
limit. A task may therefore run twice, and every task is written to be safe when it does.
"""

import os

from celery import Celery, Task
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district.settings")

# Errors that another attempt a little later can cure: a dropped connection or a restarting
# server (OperationalError, InterfaceError), a lock timeout (55P03), and psycopg's serialization
# failures and deadlocks (40001, 40P01), which Django raises as OperationalError. psycopg's own
# classes are listed too because Django does not wrap errors raised inside `cursor.copy()` (the
# matching run's COPY). IntegrityError, DataError and ProgrammingError are not here: they fail
# the same way every time.
TRANSIENT_DB_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
try:
    import psycopg
except ImportError:  # pragma: no cover - SQLite-only installs
    pass
else:
    TRANSIENT_DB_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)


class DistrictTask(Task):
    """The project's task class: retry transient database errors, 5 times, 2 s → 300 s apart."""

    autoretry_for = TRANSIENT_DB_ERRORS
    retry_backoff = 2  # countdowns drawn from 0–2, 0–4, 0–8, … s: exponential, with full jitter
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5


app = Celery("district", task_cls=DistrictTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

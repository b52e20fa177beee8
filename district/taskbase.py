"""The portal's task infrastructure: the task class, its retry policies, and task aliases.

Every task is a `DistrictTask` (the Celery app's task class, so `@shared_task` needs no
`base=`): it retries transient database errors with exponential backoff and jitter. One
base class rather than options repeated on each decorator, so a new task cannot forget
it; a task that also retries other errors (the mail tasks) takes `MAIL_RETRY`, which lists
`TRANSIENT_DB_ERRORS` in its own `autoretry_for`, because a decorator option replaces the
class attribute.

Task names follow one pattern, `<app>.<service>`: the task named
`placements.match_run_execute` calls the service `match_run_execute`. Services enqueue
by name (`district.outbox.enqueue`) and never import a tasks module. A task that is
renamed keeps its old name for one release through `task_alias`, so messages already
queued, beat entries and stored outbox rows still run.
"""

import smtplib

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

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


# Mail servers fail transiently; mail tasks retry with backoff rather than lose a message.
MAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError, *TRANSIENT_DB_ERRORS),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
}


def task_alias(old_name: str, new_name: str) -> Task:
    """Register `old_name` as a task that passes its arguments on to the task `new_name`.

    Kept for one release after a rename. The alias only re-enqueues, so the new task's
    retries, time limits and idempotence apply unchanged.
    """

    def forward(*args, **kwargs) -> None:
        from district.outbox import enqueue

        enqueue(new_name, *args, **kwargs)

    forward.__name__ = forward.__qualname__ = old_name.rsplit(".", 1)[-1]
    forward.__doc__ = f"The old name of {new_name}, kept for one release."
    return shared_task(name=old_name)(forward)

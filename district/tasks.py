"""Celery tasks of the district app: the outbox sweeper."""

from __future__ import annotations

from celery import shared_task

from district import outbox
from district.taskbase import task_alias


@shared_task(name="district.outbox_flush")
def outbox_flush() -> int:
    """Every minute (beat): publish the tasks kept while Redis was down. Returns how many were sent.

    It runs on a worker, so it only runs once Redis is back; rows are claimed with SKIP LOCKED,
    so overlapping runs do not send a row twice.
    """
    return outbox.outbox_flush()


# Its name before tasks were named `<app>.<service>` (issue 13), kept for one release.
flush_task_outbox = task_alias("district.tasks.flush_task_outbox", "district.outbox_flush")

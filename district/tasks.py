"""Celery tasks of the district app: the outbox sweeper."""

from __future__ import annotations

from celery import shared_task

from district.outbox import outbox_flush


@shared_task
def flush_task_outbox() -> int:
    """Every minute (beat): publish the tasks kept while Redis was down. Returns how many were sent.

    It runs on a worker, so it only runs once Redis is back; rows are claimed with SKIP LOCKED,
    so overlapping runs do not send a row twice.
    """
    return outbox_flush()

"""Celery tasks of the district app: the outbox sweeper and a new district's first official's invitation."""

from __future__ import annotations

from celery import shared_task

from district import onboarding, outbox
from district.taskbase import MAIL_RETRY, task_alias


@shared_task(name="district.outbox_flush")
def outbox_flush() -> int:
    """Every minute (beat): publish the tasks kept while Redis was down. Returns how many were sent.

    It runs on a worker, so it only runs once Redis is back; rows are claimed with SKIP LOCKED,
    so overlapping runs do not send a row twice.
    """
    return outbox.outbox_flush()


@shared_task(name="district.official_invitation_send", **MAIL_RETRY)
def official_invitation_send(user_id: int, district_id: int) -> int:
    """Mail: `district.onboarding.official_invitation_send`. Returns messages sent."""
    return onboarding.official_invitation_send(user_id, district_id)


# Its name before tasks were named `<app>.<service>` (issue 13), kept for one release.
flush_task_outbox = task_alias("district.tasks.flush_task_outbox", "district.outbox_flush")

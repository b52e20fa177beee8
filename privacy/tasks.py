"""Celery beat work for personal data (CELERY_BEAT_SCHEDULE "personal-data-retention", daily 04:15).

Idempotent: the purge deletes only rows past the retention period, and anonymisation skips
students already anonymised, so a redelivered task does no harm.
"""

from __future__ import annotations

from celery import shared_task

from district.taskbase import task_alias
from privacy import services


@shared_task(name="privacy.personal_data_retention_run")
def personal_data_retention_run() -> dict[str, int]:
    return services.personal_data_retention_run()


personal_data_retention = task_alias(
    "privacy.tasks.personal_data_retention", "privacy.personal_data_retention_run"
)

"""Celery beat work for personal data (CELERY_BEAT_SCHEDULE "personal-data-retention", daily 04:15).

Idempotent: the purge deletes only rows past the retention period, and anonymisation skips
students already anonymised, so a redelivered task does no harm.
"""

from __future__ import annotations

from celery import shared_task

from privacy import services


@shared_task
def personal_data_retention() -> dict[str, int]:
    purged = services.purge_access_log()
    result = services.anonymise_graduates()
    return {
        "access_rows_purged": purged,
        "students_anonymised": result.anonymised,
        "students_held": result.held,
    }

"""Celery tasks for schools: large roster imports, invitation and incident emails, retention snapshots.

Tasks take ids, call one service and own their retry policy. Each is safe to run twice:
the import is claimed with a conditional UPDATE, an invitation is sent once, and the
retention snapshot fills only blank records.
"""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings

from district.taskbase import TRANSIENT_DB_ERRORS
from schools import services

# Mail servers fail transiently; retry with backoff rather than lose a message.
_MAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError, *TRANSIENT_DB_ERRORS),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
}


@shared_task(
    soft_time_limit=settings.ROSTER_IMPORT_SOFT_TIME_LIMIT,
    time_limit=settings.ROSTER_IMPORT_TIME_LIMIT,
)
def run_roster_import(roster_import_id: int) -> None:
    services.roster_import_run(roster_import_id=roster_import_id)


@shared_task(**_MAIL_RETRY)
def send_student_invitation(invitation_id: int, base_url: str) -> bool:
    return services.invitation_send(invitation_id=invitation_id, base_url=base_url)


@shared_task(**_MAIL_RETRY)
def notify_practice_incident(incident_id: int, base_url: str) -> int:
    return services.incident_notify(incident_id=incident_id, base_url=base_url)


@shared_task
def record_retention_snapshots() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): fill the 6- and 12-month records whose survey date has come."""
    return services.retention_record_due()

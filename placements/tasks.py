"""Celery tasks for placements: saved-search digests (and, later, the matching runs).

Tasks take ids and call a service; the services claim their work with a conditional
UPDATE, so a task delivered twice does no harm.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings

from district.outbox import enqueue
from district.taskbase import TRANSIENT_DB_ERRORS, task_alias
from placements.selectors.saved_searches import saved_search_ids_due
from placements.services.retention import retention_record_due as retention_record_due_service
from placements.services.saved_searches import saved_search_digest_send

logger = logging.getLogger(__name__)

# Mail servers fail transiently; retry with backoff. The digest's claim is rolled back
# when sending fails, so the retry sends the same openings.
_MAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError, *TRANSIENT_DB_ERRORS),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
}


@shared_task
def send_saved_search_digests() -> int:
    """Daily (beat): queue one digest task per saved search whose email is on. Returns how many."""
    ids = saved_search_ids_due()
    for saved_search_id in ids:
        enqueue(send_saved_search_digest, saved_search_id)
    logger.info("queued %d saved-search digests", len(ids))
    return len(ids)


@shared_task(**_MAIL_RETRY)
def send_saved_search_digest(saved_search_id: int) -> int:
    """Email one saved search's new openings, if there are any. Returns messages sent."""
    return saved_search_digest_send(saved_search_id=saved_search_id)


# --- Retention at 6 and 12 months -----------------------------------------------------------------


@shared_task(name="placements.retention_record_due")
def retention_record_due() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): fill the 6- and 12-month records whose check date has come."""
    return retention_record_due_service()


# Its name while retention lived in schools, kept for one release (issue 13).
record_retention_snapshots = task_alias(
    "schools.tasks.record_retention_snapshots", "placements.retention_record_due"
)


# --- Matching runs and suggestions ---------------------------------------------------------------

# Transient database errors are retried with backoff by the task class (`district.celery.DistrictTask`).
# A retry, or a redelivery after the worker died, takes the run over once its first worker's
# database session is gone (see `match_run_execute`); a live owner makes it do nothing.


@shared_task(
    acks_late=True,
    soft_time_limit=settings.MATCH_RUN_SOFT_TIME_LIMIT,
    time_limit=settings.MATCH_RUN_TIME_LIMIT,
)
def match_run_execute_task(run_id: int) -> str | None:
    """Execute a queued matching run. Returns its final status, or None if another delivery had it."""
    from placements.services.runs import match_run_execute

    run = match_run_execute(run_id=run_id)
    return run.status if run else None


@shared_task(**_MAIL_RETRY)
def send_match_offer_emails_task(application_ids: list[int]) -> int:
    """Email the students of a published run their offers (a chunk of them). Returns messages sent."""
    from placements.services.runs import match_offer_emails_send

    return match_offer_emails_send(application_ids=application_ids)


@shared_task(**_MAIL_RETRY)
def send_match_company_email_task(run_id: int, company_id: int) -> int:
    """Tell a company's recruiters about the offers a published run made for its openings."""
    from placements.services.runs import match_company_email_send

    return match_company_email_send(run_id=run_id, company_id=company_id)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.SUGGESTIONS_SOFT_TIME_LIMIT,
    time_limit=settings.SUGGESTIONS_TIME_LIMIT,
)
def refresh_suggestions_task() -> int:
    """Nightly (beat): recompute every active student's suggested openings. Returns students done."""
    from placements.services.suggestions import suggestions_refresh

    return suggestions_refresh().students


@shared_task(**_MAIL_RETRY)
def send_application_cancelled_email_task(application_id: int) -> int:
    """Tell the student's school that a company cancelled a job the student had accepted."""
    from placements.services.applications import application_cancelled_notice_send

    return application_cancelled_notice_send(application_id=application_id)


# --- The recruiter's applicant pipeline (moved from companies, issue 13) ---------------------------
# Task names `placements.<service>`; each body calls `placements.services.company_mail`. The old
# names (companies.tasks.*) stay registered for one release.

from district.taskbase import MAIL_RETRY, task_alias  # noqa: E402
from placements.services import company_mail  # noqa: E402


@shared_task(name="placements.application_received_email_send", **MAIL_RETRY)
def application_received_email_send(application_id: int) -> int:
    """Mail: tell a company's recruiters that a student applied. Returns messages sent."""
    return company_mail.application_received_email_send(application_id)


@shared_task(name="placements.stale_applications_remind")
def stale_applications_remind() -> int:
    """Weekly (beat): queue a reminder for each company with stale applications. Returns how many."""
    return company_mail.stale_applications_remind()


@shared_task(name="placements.stale_applications_reminder_send", **MAIL_RETRY)
def stale_applications_reminder_send(company_id: int) -> int:
    """Mail: remind one company's recruiters, once a week, of applications waiting on them."""
    return company_mail.stale_applications_reminder_send(company_id)


for _old, _new in {
    "companies.tasks.send_application_received_email_task": "placements.application_received_email_send",
    "companies.tasks.remind_stale_applications_task": "placements.stale_applications_remind",
    "companies.tasks.send_stale_applications_reminder_task": "placements.stale_applications_reminder_send",
}.items():
    task_alias(_old, _new)

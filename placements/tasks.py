"""Celery tasks for placements. Each task's body is one call to the service it is named after.

A task is named `placements.<service>` and takes ids; the services claim their work with a
conditional UPDATE (or a claim in the shared cache), so a task delivered twice does no harm.
Services enqueue these tasks by name (`district.outbox.enqueue`) and never import this
module. The tasks' old names (`placements.tasks.<function>`) stay as aliases for one
release, so messages already queued, beat entries and stored outbox rows still run.

Transient database errors are retried with backoff by the task class
(`district.taskbase.DistrictTask`). A retry, or a redelivery after the worker died, takes a
matching run over once its first worker's database session is gone (see
`placements.services.run_execution.match_run_execute`); a live owner makes it do nothing.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from district.taskbase import MAIL_RETRY, task_alias
from placements.services import (
    application_notices,
    company_mail,
    profile_reminders,
    retention,
    run_emails,
    run_execution,
    saved_searches,
    suggestions,
)

# --- Saved searches ---------------------------------------------------------------------------


@shared_task(name="placements.saved_search_digests_enqueue")
def saved_search_digests_enqueue() -> int:
    """Daily (beat): queue one digest per saved search whose email is on. Returns how many."""
    return saved_searches.saved_search_digests_enqueue()


@shared_task(name="placements.saved_search_digest_send", **MAIL_RETRY)
def saved_search_digest_send(saved_search_id: int) -> int:
    """Email one saved search's new openings, if there are any. Returns messages sent."""
    return saved_searches.saved_search_digest_send(saved_search_id=saved_search_id)


# --- Matching runs ----------------------------------------------------------------------------


@shared_task(
    name="placements.match_run_execute",
    acks_late=True,
    soft_time_limit=settings.MATCH_RUN_SOFT_TIME_LIMIT,
    time_limit=settings.MATCH_RUN_TIME_LIMIT,
)
def match_run_execute(run_id: int) -> str | None:
    """Execute a queued matching run. Returns its final status, or None if another delivery had it."""
    return getattr(run_execution.match_run_execute(run_id=run_id), "status", None)


@shared_task(name="placements.match_offer_emails_send")
def match_offer_emails_send(application_ids: list[int]) -> int:
    """Queue one paced `placements.offer_email_send` per offer of a chunk. Returns how many."""
    return run_emails.match_offer_emails_send(application_ids=application_ids)


@shared_task(
    name="placements.offer_email_send", bind=True, rate_limit=settings.OFFER_EMAIL_RATE_LIMIT, **MAIL_RETRY
)
def offer_email_send(self, offer_email_id: int) -> int:
    """Email one student their offer, paced by `OFFER_EMAIL_RATE_LIMIT` (per worker instance).

    Retried like every mail task; the last attempt (`MAIL_RETRY`'s max_retries) marks the email
    failed, for the run's page to re-send. Returns 1 when it was sent.
    """
    final = self.request.retries >= MAIL_RETRY["retry_kwargs"]["max_retries"]
    return run_emails.offer_email_send(offer_email_id=offer_email_id, final_attempt=final)


@shared_task(name="placements.match_company_email_send", **MAIL_RETRY)
def match_company_email_send(run_id: int, company_id: int) -> int:
    """Tell a company's recruiters about the offers a published run made for its openings."""
    return run_emails.match_company_email_send(run_id=run_id, company_id=company_id)


# --- Suggestions ------------------------------------------------------------------------------


@shared_task(
    name="placements.suggestions_refresh",
    acks_late=True,
    soft_time_limit=settings.SUGGESTIONS_SOFT_TIME_LIMIT,
    time_limit=settings.SUGGESTIONS_TIME_LIMIT,
)
def suggestions_refresh() -> int:
    """Nightly (beat): recompute every active student's suggested openings. Returns students done."""
    return suggestions.suggestions_refresh().students


# --- Applications -----------------------------------------------------------------------------


@shared_task(name="placements.application_cancelled_notice_send", **MAIL_RETRY)
def application_cancelled_notice_send(application_id: int) -> int:
    """Tell the student's school that a company cancelled a job the student had accepted."""
    return application_notices.application_cancelled_notice_send(application_id=application_id)


@shared_task(name="placements.application_decision_email_send", **MAIL_RETRY)
def application_decision_email_send(event_id: int) -> int:
    """Email the student a company's decision on their application, with the recruiter's note."""
    return application_notices.application_decision_email_send(event_id=event_id)


@shared_task(name="placements.application_withdrawn_notice_send", **MAIL_RETRY)
def application_withdrawn_notice_send(application_id: int) -> int:
    """Tell a company's recruiters, neutrally, that an application to their opening was withdrawn."""
    return application_notices.application_withdrawn_notice_send(application_id=application_id)


@shared_task(name="placements.retention_record_due")
def retention_record_due() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): fill the 6- and 12-month records whose check date has come."""
    return retention.retention_record_due()


@shared_task(name="placements.profile_reminders_send")
def profile_reminders_send(round_id: int | None = None) -> int:
    """Daily (beat), and for a new round: remind students of open rounds to write their 자기소개서."""
    return profile_reminders.profile_reminders_send(round_id=round_id)


# --- Old names, kept for one release ----------------------------------------------------------

# Its name while retention lived in schools (issue 13).
record_retention_snapshots = task_alias(
    "schools.tasks.record_retention_snapshots", "placements.retention_record_due"
)

send_saved_search_digests = task_alias(
    "placements.tasks.send_saved_search_digests", "placements.saved_search_digests_enqueue"
)
send_saved_search_digest = task_alias(
    "placements.tasks.send_saved_search_digest", "placements.saved_search_digest_send"
)
match_run_execute_task = task_alias("placements.tasks.match_run_execute_task", "placements.match_run_execute")
send_match_offer_emails_task = task_alias(
    "placements.tasks.send_match_offer_emails_task", "placements.match_offer_emails_send"
)
send_match_company_email_task = task_alias(
    "placements.tasks.send_match_company_email_task", "placements.match_company_email_send"
)
refresh_suggestions_task = task_alias(
    "placements.tasks.refresh_suggestions_task", "placements.suggestions_refresh"
)
send_application_cancelled_email_task = task_alias(
    "placements.tasks.send_application_cancelled_email_task", "placements.application_cancelled_notice_send"
)


# --- Tasks moved here from companies: the recruiter's applicant pipeline (issue 13) ------------
# Task names `placements.<service>`; each body calls `placements.services.company_mail`. The old
# names (companies.tasks.*) stay registered for one release.


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

"""Celery tasks for companies. Each body is one call to the service of the same name.

Task names follow `companies.<service>`; the services enqueue them by that name
(`district.outbox.enqueue`) and never import this module. The tasks' old names (before
issue 13) stay registered for one release as aliases, so messages already queued, beat
entries and stored outbox rows still run.
"""

from __future__ import annotations

import dataclasses

from celery import shared_task

from companies.services import mail
from companies.services.signup import unconfirmed_signups_purge
from district.taskbase import MAIL_RETRY, task_alias


@shared_task(name="companies.company_verification_email_send", **MAIL_RETRY)
def company_verification_email_send(company_id: int) -> int:
    """Mail: `companies.services.mail.company_verification_email_send`. Returns messages sent."""
    return mail.company_verification_email_send(company_id)


@shared_task(name="companies.opening_review_email_send", **MAIL_RETRY)
def opening_review_email_send(opening_id: int) -> int:
    """Mail: `companies.services.mail.opening_review_email_send`. Returns messages sent."""
    return mail.opening_review_email_send(opening_id)


@shared_task(name="companies.opening_revision_review_email_send", **MAIL_RETRY)
def opening_revision_review_email_send(revision_id: int) -> int:
    """Mail: `companies.services.mail.opening_revision_review_email_send`. Returns messages sent."""
    return mail.opening_revision_review_email_send(revision_id)


@shared_task(name="companies.company_signup_notice_send", **MAIL_RETRY)
def company_signup_notice_send(company_id: int) -> int:
    """Mail: `companies.services.mail.company_signup_notice_send`. Returns messages sent."""
    return mail.company_signup_notice_send(company_id)


@shared_task(name="companies.opening_submitted_notice_send", **MAIL_RETRY)
def opening_submitted_notice_send(opening_id: int) -> int:
    """Mail: `companies.services.mail.opening_submitted_notice_send`. Returns messages sent."""
    return mail.opening_submitted_notice_send(opening_id)


@shared_task(name="companies.opening_revision_submitted_notice_send", **MAIL_RETRY)
def opening_revision_submitted_notice_send(revision_id: int) -> int:
    """Mail: `companies.services.mail.opening_revision_submitted_notice_send`. Returns messages sent."""
    return mail.opening_revision_submitted_notice_send(revision_id)


@shared_task(name="companies.join_request_email_send", **MAIL_RETRY)
def join_request_email_send(membership_id: int) -> int:
    """Mail: `companies.services.mail.join_request_email_send`. Returns messages sent."""
    return mail.join_request_email_send(membership_id)


@shared_task(name="companies.join_approved_email_send", **MAIL_RETRY)
def join_approved_email_send(membership_id: int) -> int:
    """Mail: `companies.services.mail.join_approved_email_send`. Returns messages sent."""
    return mail.join_approved_email_send(membership_id)


@shared_task(name="companies.join_declined_email_send", **MAIL_RETRY)
def join_declined_email_send(address: str, company_id: int) -> int:
    """Mail: `companies.services.mail.join_declined_email_send`. Returns messages sent."""
    return mail.join_declined_email_send(address, company_id)


@shared_task(name="companies.signup_confirmation_email_send", **MAIL_RETRY)
def signup_confirmation_email_send(user_id: int) -> int:
    """Mail: `companies.services.mail.signup_confirmation_email_send`. Returns messages sent."""
    return mail.signup_confirmation_email_send(user_id)


@shared_task(name="companies.signup_account_exists_email_send", **MAIL_RETRY)
def signup_account_exists_email_send(address: str, form: str, district_id: int | None = None) -> int:
    """Mail: `companies.services.mail.signup_account_exists_email_send`. Returns messages sent."""
    return mail.signup_account_exists_email_send(address, form, district_id)


@shared_task(name="companies.signup_company_registered_email_send", **MAIL_RETRY)
def signup_company_registered_email_send(address: str, business_number: str, district_id: int) -> int:
    """Mail: `companies.services.mail.signup_company_registered_email_send`. Returns messages sent."""
    return mail.signup_company_registered_email_send(address, business_number, district_id)


@shared_task(name="companies.join_no_company_email_send", **MAIL_RETRY)
def join_no_company_email_send(address: str, business_number: str, district_id: int | None = None) -> int:
    """Mail: `companies.services.mail.join_no_company_email_send`. Returns messages sent."""
    return mail.join_no_company_email_send(address, business_number, district_id)


@shared_task(name="companies.unconfirmed_signups_purge")
def unconfirmed_signups_purge_task() -> dict[str, int]:
    """Nightly (CELERY_BEAT_SCHEDULE "unconfirmed-signups-purge"): delete expired, unconfirmed sign-ups."""
    return dataclasses.asdict(unconfirmed_signups_purge())


# --- Old names, kept for one release (issue 13) ------------------------------------------------

OLD_NAMES = {
    "companies.tasks.send_company_verification_email_task": "companies.company_verification_email_send",
    "companies.tasks.send_opening_review_email_task": "companies.opening_review_email_send",
    "companies.tasks.send_opening_revision_review_email_task": "companies.opening_revision_review_email_send",
    "companies.tasks.send_company_signup_notice_task": "companies.company_signup_notice_send",
    "companies.tasks.send_opening_submitted_notice_task": "companies.opening_submitted_notice_send",
    "companies.tasks.send_opening_revision_submitted_notice_task": (
        "companies.opening_revision_submitted_notice_send"
    ),
    "companies.tasks.send_join_request_email_task": "companies.join_request_email_send",
    "companies.tasks.send_join_approved_email_task": "companies.join_approved_email_send",
    "companies.tasks.send_join_declined_email_task": "companies.join_declined_email_send",
    "companies.tasks.send_signup_confirmation_email_task": "companies.signup_confirmation_email_send",
    "companies.tasks.send_signup_account_exists_email_task": "companies.signup_account_exists_email_send",
    "companies.tasks.send_signup_company_registered_email_task": (
        "companies.signup_company_registered_email_send"
    ),
    "companies.tasks.send_join_no_company_email_task": "companies.join_no_company_email_send",
    "companies.tasks.purge_unconfirmed_signups_task": "companies.unconfirmed_signups_purge",
}
for _old, _new in OLD_NAMES.items():
    task_alias(_old, _new)

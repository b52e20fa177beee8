"""Celery tasks for companies: telling recruiters about an official's decisions.

Tasks take ids and read the row when they run. Each sends the message that matches the
row's state at that moment and nothing when the state has moved on (a company put back
to pending, say), so a task that runs late never announces a stale decision.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _

from companies.models import Company, Opening
from district.models import Membership

logger = logging.getLogger(__name__)

# Mail servers fail transiently; retry with backoff rather than lose a decision notice.
_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
}


def recruiter_emails(company_id: int) -> list[str]:
    """Addresses of the company's active recruiters who can sign in."""
    return list(
        Membership.objects.filter(
            company_id=company_id,
            role=Membership.Role.COMPANY_RECRUITER,
            is_active=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


def _send_to_each(addresses: list[str], subject: str, body: str) -> int:
    """One message per recipient, so recruiters do not see each other's addresses."""
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in addresses]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


@shared_task(**_RETRY)
def send_company_verification_email_task(company_id: int) -> int:
    """Tell a company's recruiters that an official verified or rejected it. Returns messages sent."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None or company.verification == Company.Verification.PENDING:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        if company.verification == Company.Verification.VERIFIED:
            subject = _("[Innovation District Portal] %(company)s is verified") % {"company": company.name}
            body = _(
                "Hello,\n\n"
                "An official of the district has verified %(company)s on the Innovation District "
                "Portal. You can now post openings for the district's students.\n"
            ) % {"company": company.name}
        else:
            subject = _("[Innovation District Portal] %(company)s was not verified") % {
                "company": company.name
            }
            body = _(
                "Hello,\n\n"
                "An official of the district could not verify %(company)s on the Innovation "
                "District Portal, for this reason:\n\n%(reason)s\n\n"
                "Please correct the company's details or contact the district office.\n"
            ) % {"company": company.name, "reason": company.rejection_reason}
    sent = _send_to_each(recruiter_emails(company.pk), subject, body)
    logger.info("company %s verification notice (%s) sent to %d", company.pk, company.verification, sent)
    return sent


@shared_task(**_RETRY)
def send_opening_review_email_task(opening_id: int) -> int:
    """Tell a company's recruiters that an official published or rejected their opening."""
    opening = Opening.objects.select_related("company").filter(pk=opening_id).first()
    if opening is None or opening.status not in (Opening.Status.PUBLISHED, Opening.Status.REJECTED):
        return 0
    names = {"opening": opening.title, "company": opening.company.name}
    with translation.override(settings.LANGUAGE_CODE):
        if opening.status == Opening.Status.PUBLISHED:
            subject = _("[Innovation District Portal] Your opening “%(opening)s” is published") % names
            body = (
                _(
                    "Hello,\n\n"
                    "An official of the district has approved the opening “%(opening)s” of "
                    "%(company)s. It is now public and students can apply.\n"
                )
                % names
            )
        else:
            subject = _("[Innovation District Portal] Your opening “%(opening)s” was not approved") % names
            body = _(
                "Hello,\n\n"
                "An official of the district did not approve the opening “%(opening)s” of "
                "%(company)s, for this reason:\n\n%(reason)s\n\n"
                "Please contact the district office if anything is unclear.\n"
            ) % {**names, "reason": opening.rejection_reason}
    sent = _send_to_each(recruiter_emails(opening.company_id), subject, body)
    logger.info("opening %s review notice (%s) sent to %d", opening.pk, opening.status, sent)
    return sent

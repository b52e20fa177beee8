"""Celery tasks for companies: notices about sign-ups, reviews and team requests, the
weekly reminder of stale applications and the nightly purge of unconfirmed sign-ups.

Tasks take ids and read the row when they run. Each sends the message that matches the
row's state at that moment and nothing when the state has moved on (a company put back
to pending, say), so a task that runs late never announces a stale decision. The weekly
reminder claims its company's week with a conditional UPDATE, so a redelivered or rerun
task sends nothing twice.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies.models import Company, Opening, OpeningRevision
from companies.validators import format_business_number
from district.models import District, Membership, User
from district.outbox import enqueue
from district.taskbase import TRANSIENT_DB_ERRORS
from placements.models import Application

logger = logging.getLogger(__name__)

# Mail servers fail transiently; retry with backoff rather than lose a decision notice.
_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError, *TRANSIENT_DB_ERRORS),
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


def official_emails(district_id: int) -> list[str]:
    """Addresses of the district's active officials who can sign in."""
    return list(
        Membership.objects.filter(
            district_id=district_id, role=Membership.Role.OFFICIAL, is_active=True, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


@shared_task(**_RETRY)
def send_company_signup_notice_task(company_id: int) -> int:
    """Tell the district's officials that a company signed up and awaits verification."""
    company = Company.objects.filter(pk=company_id, verification=Company.Verification.PENDING).first()
    if company is None:
        return 0
    names = {"company": company.name, "number": company.business_number_display}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] %(company)s awaits verification") % names
        body = (
            _(
                "Hello,\n\n"
                "%(company)s (business registration number %(number)s) signed up on the Innovation "
                "District Portal. Please verify or reject it in the administration: Companies, "
                "“awaiting verification”.\n"
            )
            % names
        )
    return _send_to_each(official_emails(company.district_id), subject, body)


@shared_task(**_RETRY)
def send_opening_submitted_notice_task(opening_id: int) -> int:
    """Tell the district's officials that an opening awaits their review."""
    opening = (
        Opening.objects.select_related("company")
        .filter(pk=opening_id, status=Opening.Status.SUBMITTED)
        .first()
    )
    if opening is None:
        return 0
    names = {"opening": opening.title, "company": opening.company.name}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] “%(opening)s” awaits review") % names
        body = (
            _(
                "Hello,\n\n"
                "%(company)s submitted the opening “%(opening)s” for review. Please approve or "
                "reject it in the administration: Openings, “awaiting review”.\n"
            )
            % names
        )
    return _send_to_each(official_emails(opening.company.district_id), subject, body)


@shared_task(**_RETRY)
def send_opening_revision_submitted_notice_task(revision_id: int) -> int:
    """Tell the district's officials that changes to a published opening await their review."""
    revision = (
        OpeningRevision.objects.select_related("opening__company")
        .filter(pk=revision_id, status=OpeningRevision.Status.PENDING)
        .first()
    )
    if revision is None:
        return 0
    opening = revision.opening
    names = {"opening": opening.title, "company": opening.company.name}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] Changes to “%(opening)s” await review") % names
        body = (
            _(
                "Hello,\n\n"
                "%(company)s proposed changes to its published opening “%(opening)s”. Students see "
                "the approved version until you decide. Please approve or reject the changes in the "
                "administration: Changes to openings, “awaiting review”.\n"
            )
            % names
        )
    return _send_to_each(official_emails(opening.company.district_id), subject, body)


@shared_task(**_RETRY)
def send_opening_revision_review_email_task(revision_id: int) -> int:
    """Tell a company's recruiters that an official approved or rejected changes to their opening."""
    revision = (
        OpeningRevision.objects.select_related("opening__company")
        .filter(
            pk=revision_id,
            status__in=(OpeningRevision.Status.APPROVED, OpeningRevision.Status.REJECTED),
        )
        .first()
    )
    if revision is None:
        return 0
    opening = revision.opening
    names = {"opening": opening.title, "company": opening.company.name}
    with translation.override(settings.LANGUAGE_CODE):
        if revision.status == OpeningRevision.Status.APPROVED:
            subject = _("[Innovation District Portal] Your changes to “%(opening)s” are published") % names
            body = (
                _(
                    "Hello,\n\n"
                    "An official of the district has approved the changes to the opening "
                    "“%(opening)s” of %(company)s. Students now see the new version.\n"
                )
                % names
            )
        else:
            subject = (
                _("[Innovation District Portal] Your changes to “%(opening)s” were not approved") % names
            )
            body = _(
                "Hello,\n\n"
                "An official of the district did not approve the changes to the opening "
                "“%(opening)s” of %(company)s, for this reason:\n\n%(reason)s\n\n"
                "Students still see the approved version. You can propose changes again on the "
                "opening's page.\n"
            ) % {**names, "reason": revision.reason}
    sent = _send_to_each(recruiter_emails(opening.company_id), subject, body)
    logger.info("opening revision %s review notice (%s) sent to %d", revision.pk, revision.status, sent)
    return sent


def _join_approvers(company: Company) -> list[str]:
    """The company's first active recruiter, else the district's officials."""
    first = (
        Membership.objects.filter(
            company=company, role=Membership.Role.COMPANY_RECRUITER, is_active=True, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return [first.user.email] if first else official_emails(company.district_id)


@shared_task(**_RETRY)
def send_join_request_email_task(membership_id: int) -> int:
    """Ask the approvers to let a colleague who asked to join act for the company."""
    membership = (
        Membership.objects.select_related("user", "company")
        .filter(pk=membership_id, is_active=False, company__isnull=False)
        .first()
    )
    if membership is None:
        return 0
    names = {
        "person": membership.user.name or membership.user.email,
        "email": membership.user.email,
        "company": membership.company.name,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] %(person)s asks to join %(company)s") % names
        body = (
            _(
                "Hello,\n\n"
                "%(person)s (%(email)s) asks to join %(company)s as a recruiter on the Innovation "
                "District Portal. Approve or decline the request on the portal's company pages, "
                "under Team.\n"
            )
            % names
        )
    return _send_to_each(_join_approvers(membership.company), subject, body)


@shared_task(**_RETRY)
def send_join_approved_email_task(membership_id: int) -> int:
    """Tell a recruiter that their request to join a company was approved."""
    membership = (
        Membership.objects.select_related("user", "company")
        .filter(pk=membership_id, is_active=True, company__isnull=False)
        .first()
    )
    if membership is None or not membership.user.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] You can now act for %(company)s") % {
            "company": membership.company.name
        }
        body = _(
            "Hello,\n\n"
            "Your request to join %(company)s on the Innovation District Portal was approved. "
            "Log in to see the company's openings and applicants.\n"
        ) % {"company": membership.company.name}
    return _send_to_each([membership.user.email], subject, body)


@shared_task(**_RETRY)
def send_join_declined_email_task(address: str, company_id: int) -> int:
    """Tell someone that their request to join a company was declined.

    Takes the address rather than an id: the declined request, and usually its account,
    no longer exist.
    """
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not address:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] Your request to join %(company)s") % {
            "company": company.name
        }
        body = _(
            "Hello,\n\n"
            "Your request to join %(company)s on the Innovation District Portal was declined. "
            "If you think this is a mistake, please contact the company or the district office.\n"
        ) % {"company": company.name}
    return _send_to_each([address], subject, body)


# --- The weekly reminder of stale applications ---------------------------------------------


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the week that contains `day`."""
    return day - datetime.timedelta(days=day.weekday())


@shared_task
def remind_stale_applications_task() -> int:
    """Weekly (CELERY_BEAT_SCHEDULE): queue a reminder for each company with stale applications.

    Returns the number of companies queued. Each company's task claims the week itself, so
    queuing a company twice is harmless.
    """
    from placements.selectors.applications import stale_application_list

    week = week_of(timezone.localdate())
    company_ids = list(
        stale_application_list()
        .filter(
            Q(opening__company__stale_reminder_week__isnull=True)
            | Q(opening__company__stale_reminder_week__lt=week)
        )
        .order_by()
        .values_list("opening__company_id", flat=True)
        .distinct()
    )
    for company_id in company_ids:
        enqueue(send_stale_applications_reminder_task, company_id)
    logger.info("stale-application reminders queued for %d companies", len(company_ids))
    return len(company_ids)


@shared_task(**_RETRY)
def send_stale_applications_reminder_task(company_id: int) -> int:
    """Remind a company's recruiters, once a week, of applications that wait on them.

    1. Claim this week for the company with a conditional UPDATE; a company already
       reminded this week is skipped.
    2. List its applications with no status change for STALE_APPLICATION_DAYS; with none
       left, give the week back and send nothing.
    3. Send one message to each active recruiter. A mail failure rolls the claim back, so
       the retry can send it.
    """
    from companies.selectors import STALE_ROW_FIELDS
    from placements.selectors.applications import stale_application_list

    week = week_of(timezone.localdate())
    with transaction.atomic():
        claimed = (
            Company.objects.filter(pk=company_id, verification=Company.Verification.VERIFIED)
            .filter(Q(stale_reminder_week__isnull=True) | Q(stale_reminder_week__lt=week))
            .update(stale_reminder_week=week)
        )
        if not claimed:
            return 0
        stale = list(stale_application_list(company_ids=[company_id]).values(*STALE_ROW_FIELDS))
        if not stale:
            transaction.set_rollback(True)
            return 0
        company = Company.objects.get(pk=company_id)
        labels = dict(Application.Status.choices)
        today = timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                _("- %(student)s, “%(opening)s”: %(status)s for %(days)d days")
                % {
                    "student": row["student__name"],
                    "opening": row["opening__title"],
                    "status": labels[row["status"]],
                    "days": (today - timezone.localdate(row["status_changed_at"])).days,
                }
                for row in stale
            ]
            subject = _("[Innovation District Portal] %(count)d applications are waiting for %(company)s") % {
                "count": len(stale),
                "company": company.name,
            }
            body = _(
                "Hello,\n\n"
                "These applications to %(company)s have had no change for %(days)d days or more. "
                "The students are waiting to hear from you:\n\n%(lines)s\n\n"
                "Open the company dashboard on the portal (/company/) to move them on or give "
                "feedback. This reminder comes at most once a week.\n"
            ) % {"company": company.name, "days": settings.STALE_APPLICATION_DAYS, "lines": "\n".join(lines)}
        sent = _send_to_each(recruiter_emails(company_id), subject, body)
    logger.info("company %s stale-application reminder (%d) sent to %d", company_id, len(stale), sent)
    return sent


@shared_task(**_RETRY)
def send_application_received_email_task(application_id: int) -> int:
    """Tell a company's recruiters that a student applied to one of its openings. Returns messages sent.

    Nothing is sent once the application has left `submitted` (withdrawn or already decided
    when the task runs late). The student's name stays out of the mailbox: the link leads to
    the applicant list, behind the recruiter's login.
    """
    application = (
        Application.objects.select_related("opening__company")
        .filter(pk=application_id, status=Application.Status.SUBMITTED)
        .first()
    )
    if application is None:
        return 0
    opening = application.opening
    link = settings.PORTAL_BASE_URL + reverse("companies:applicant_list", args=[opening.pk])
    names = {"opening": opening.title, "company": opening.company.name, "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] A new application to “%(opening)s”") % names
        body = (
            _(
                "Hello,\n\n"
                "A student has applied to the opening “%(opening)s” of %(company)s. "
                "The application and the student's profile are on the portal:\n%(link)s\n"
            )
            % names
        )
    sent = _send_to_each(recruiter_emails(opening.company_id), subject, body)
    logger.info("application %s received notice sent to %d", application_id, sent)
    return sent


@shared_task
def purge_unconfirmed_signups_task() -> dict[str, int]:
    """Nightly (CELERY_BEAT_SCHEDULE "unconfirmed-signups-purge"): delete expired, unconfirmed sign-ups."""
    from companies.services import unconfirmed_signups_purge  # the services enqueue this module's tasks

    return dataclasses.asdict(unconfirmed_signups_purge())


# --- Sign-up and joining: what the typed address is told -------------------------------------
#
# The sign-up and join pages answer every visitor alike; these messages tell the owner of the
# typed address what happened and what to do next. Only that inbox learns whether the address
# had an account, or the business number a company.


def _send_from_template(address: str, subject: str, template: str, context: dict) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
    return _send_to_each([address], subject, body)


def _portal_link(name: str) -> str:
    return settings.PORTAL_BASE_URL + reverse(name)


@shared_task(**_RETRY)
def send_signup_confirmation_email_task(user_id: int) -> int:
    """Mail the link that confirms a new recruiter's address, while the account awaits it."""
    from companies.selectors import awaits_confirmation
    from companies.tokens import signup_confirmation_path

    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email or not awaits_confirmation(user):
        return 0
    membership = (
        Membership.objects.filter(user=user, role=Membership.Role.COMPANY_RECRUITER)
        .select_related("company")
        .order_by("pk")
        .first()
    )
    context = {
        "name": user.name,
        "company": membership.company,
        "joining": not membership.is_active,
        "link": settings.PORTAL_BASE_URL + signup_confirmation_path(user),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] Confirm your email address")
    return _send_from_template(user.email, subject, "companies/email/signup_confirm.txt", context)


@shared_task(**_RETRY)
def send_signup_account_exists_email_task(address: str, form: str) -> int:
    """Tell an address that signed up or asked to join again that it already has an account.

    `form` is "signup" or "join". Takes the address: no row was made for this attempt.
    """
    context = {
        "email": address,
        "joining": form == "join",
        "login_link": _portal_link("login"),
        "reset_link": _portal_link("password_reset"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] You already have an account")
    return _send_from_template(address, subject, "companies/email/account_exists.txt", context)


def _district_name(district_id: int | None) -> str:
    from district.selectors import district_default

    district = District.objects.filter(pk=district_id).first() if district_id else district_default()
    return district.name if district else ""


@shared_task(**_RETRY)
def send_signup_company_registered_email_task(address: str, business_number: str, district_id: int) -> int:
    """Tell an address that signed up a company already registered how to join it instead."""
    context = {
        "number": format_business_number(business_number),
        "district": _district_name(district_id),
        "join_link": _portal_link("companies:join"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] This company is already registered")
    return _send_from_template(address, subject, "companies/email/company_registered.txt", context)


@shared_task(**_RETRY)
def send_join_no_company_email_task(address: str, business_number: str) -> int:
    """Tell an address that asked to join a company no one can join (unknown or rejected) what to do.

    One message for both cases, so the inbox does not learn a rejected company's fate.
    """
    company = Company.objects.filter(business_number=business_number).first()
    context = {
        "number": format_business_number(business_number),
        "district": _district_name(company.district_id if company else None),
        "signup_link": _portal_link("companies:signup"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Innovation District Portal] Your request to join a company")
    return _send_from_template(address, subject, "companies/email/join_no_company.txt", context)

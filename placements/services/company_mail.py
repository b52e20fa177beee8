"""What the applicant pipeline tells a company's recruiters: a new application, and the weekly
reminder of applications that wait on them.

Each function is the body of the Celery task of the same name (`placements.<function>`,
at the end of `placements/tasks.py`); services enqueue them by that name. They take ids
and read the rows when they run. The weekly reminder claims its company's week with a
conditional UPDATE, so a redelivered or rerun task sends nothing twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from companies.selectors.team import recruiter_emails
from district.mail import in_portal_language, render_body, send_to_each
from district.outbox import enqueue
from district.selectors import district_of
from placements.models import Application
from placements.selectors.applications import stale_application_list
from placements.selectors.recruiter import STALE_ROW_FIELDS

logger = logging.getLogger(__name__)


def _render(template: str, subject, context: dict) -> tuple[str, str]:
    return in_portal_language(subject, context), render_body(f"placements/email/{template}.txt", context)


def application_received_email_send(application_id: int) -> int:
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
    district = district_of(opening.company.district_id)
    link = district.link(reverse("companies:applicant_list", args=[opening.pk]))
    names = {"opening": opening.title, "company": opening.company.name, "link": link}
    subject, body = _render(
        "application_received", _("[Innovation District Portal] A new application to “%(opening)s”"), names
    )
    sent = send_to_each(recruiter_emails(opening.company_id), subject, body, from_email=district.sender)
    logger.info("application %s received notice sent to %d", application_id, sent)
    return sent


# --- The weekly reminder of stale applications ---------------------------------------------


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the week that contains `day`."""
    return day - datetime.timedelta(days=day.weekday())


def stale_applications_remind() -> int:
    """Weekly (CELERY_BEAT_SCHEDULE): queue a reminder for each company with stale applications.

    Returns the number of companies queued. Each company's task claims the week itself, so
    queuing a company twice is harmless.
    """
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
        enqueue("placements.stale_applications_reminder_send", company_id)
    logger.info("stale-application reminders queued for %d companies", len(company_ids))
    return len(company_ids)


def stale_applications_reminder_send(company_id: int) -> int:
    """Remind a company's recruiters, once a week, of applications that wait on them.

    1. Claim this week for the company with a conditional UPDATE; a company already
       reminded this week is skipped.
    2. List its applications with no status change for STALE_APPLICATION_DAYS; with none
       left, give the week back and send nothing.
    3. Send one message to each active recruiter. A mail failure rolls the claim back, so
       the retry can send it.
    """
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
            rows = [
                {
                    "student": row["student__name"],
                    "opening": row["opening__title"],
                    "status": str(labels[row["status"]]),
                    "days": (today - timezone.localdate(row["status_changed_at"])).days,
                }
                for row in stale
            ]
        context = {
            "count": len(stale),
            "company": company.name,
            "days": settings.STALE_APPLICATION_DAYS,
            "rows": rows,
        }
        subject, body = _render(
            "stale_applications_reminder",
            _("[Innovation District Portal] %(count)d applications are waiting for %(company)s"),
            context,
        )
        sender = district_of(company.district_id).sender
        sent = send_to_each(recruiter_emails(company_id), subject, body, from_email=sender)
    logger.info("company %s stale-application reminder (%d) sent to %d", company_id, len(stale), sent)
    return sent

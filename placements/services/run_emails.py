"""The emails of a published matching run: each student's offer, and each company's summary.

Each student's email has its row (`OfferEmail`), written queued with the offers by
`placements.services.runs.match_run_publish`. The task `placements.match_offer_emails_send`
takes a chunk of offers and queues one task `placements.offer_email_send` per email, whose
Celery `rate_limit` (`OFFER_EMAIL_RATE_LIMIT`) paces them for the mail server. That task sends
one email and records the outcome on its row: sent; back to queued while Celery retries a
failure (`MAIL_RETRY`); failed after the last retry, for the run's page to re-send
(`placements.services.runs.offer_emails_retry`).

A company's summary (`placements.match_company_email_send`, not paced: one per company) is
claimed in the shared cache first, so a redelivered task sends it once.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies.selectors.team import recruiter_emails
from district.mail import in_portal_language, render_body, send_to_each
from district.outbox import enqueue
from district.selectors import district_of
from district.taskbase import MAIL_RETRY
from placements.models import Application, MatchRun, OfferEmail
from placements.services.application_notices import student_email
from placements.services.runs import me_url

logger = logging.getLogger(__name__)

S = MatchRun.Status
E = OfferEmail.Status
# How long an email claim is remembered: longer than any retry of the task that sends it.
EMAIL_CLAIM_SECONDS = 30 * 24 * 3600
# What a mail server's error may quote back: never kept on the row (it is the student's address).
_ADDRESS = re.compile(r"<?[^\s<>@'\"]+@[^\s<>'\"]+>?")


def _claim_email(key: str) -> bool:
    """Claim one email with an atomic add in the shared cache, so a redelivered task sends it once."""
    return cache.add(key, 1, timeout=EMAIL_CLAIM_SECONDS)


def match_offer_emails_send(*, application_ids: list[int]) -> int:
    """Queue one paced email task (`placements.offer_email_send`) per offer of the chunk still to be
    emailed. Returns how many were queued.

    The task keeps this name so that chunks queued or kept in the outbox by the release before
    still run: an offer published then has no `OfferEmail` yet, and gets one here (a student
    with no address gets none, as at publication).
    """
    rows = OfferEmail.objects.filter(application_id__in=application_ids)
    known = set(rows.values_list("application_id", flat=True))
    missing = [pk for pk in application_ids if pk not in known]
    if missing:
        older = Application.objects.filter(
            pk__in=missing, status=Application.Status.OFFERED, source=Application.Source.MATCHING
        ).select_related("student__user", "match")
        OfferEmail.objects.bulk_create(
            [
                OfferEmail(run_id=offer.match.run_id, application=offer)
                for offer in older
                if offer.match_id and student_email(offer.student)
            ],
            ignore_conflicts=True,
        )
    queued = list(rows.filter(status=E.QUEUED).order_by("pk").values_list("pk", flat=True))
    for pk in queued:
        enqueue("placements.offer_email_send", pk)
    return len(queued)


def _describe(exc: BaseException) -> str:
    """The error for the row and the run's page, with any address the server quoted removed."""
    return _ADDRESS.sub("<…>", f"{exc.__class__.__name__}: {exc}")[:300]


def _offer_message(offer: Application) -> EmailMessage | None:
    """The email of an offer that is still open, to the student's address (None otherwise)."""
    address = student_email(offer.student)
    if offer.status != Application.Status.OFFERED or not address:
        return None
    # From the district of the round (the opening's company's), linking to its site.
    district = district_of(offer.opening.company.district_id)
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "student": offer.student.name,
            "round": offer.match.run.round.title if offer.match_id else "",
            "opening": offer.opening.title,
            "company": offer.opening.company.name,
            "date": date_format(timezone.localtime(offer.offer_expires_at), "SHORT_DATETIME_FORMAT"),
            "link": district.link(me_url("me:applications") or "/"),
        }
        subject = _("[Innovation District Portal] An offer for you: “%(opening)s”") % names
        body = render_to_string("placements/email/match_offer.txt", names)
    return EmailMessage(subject=str(subject), body=body, from_email=district.sender, to=[address])


def offer_email_send(*, offer_email_id: int, final_attempt: bool = False) -> int:
    """Send one offer email and record how it went. Returns 1 when it was sent, else 0.

    1. Claim the row: lock it while it is queued (SELECT … FOR UPDATE SKIP LOCKED), and hold
       the lock while sending, so that a redelivered task finds it sent or held and does
       nothing; if this worker dies, its lock goes with its database session.
    2. An offer answered or withdrawn meanwhile, or a student with no address any more, needs
       no email: the row is marked skipped.
    3. Send; on success mark it sent.
    4. On an error, count the attempt and keep the error (without the address). While the task
       will retry it (`MAIL_RETRY`, not `final_attempt`), the row goes back to queued and the
       error is raised for Celery; after the last attempt, or for an error no retry cures, the
       row is marked failed, for the run's page to re-send, and the task ends.
    """
    try:
        with transaction.atomic():
            email = (
                OfferEmail.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "application__student__user",
                    "application__opening__company",
                    "application__match__run__round",
                )
                .filter(pk=offer_email_id, status=E.QUEUED)
                .first()
            )
            if email is None:  # sent, failed or skipped already, or another delivery holds it
                return 0
            message = _offer_message(email.application)
            if message is None:
                email.status = E.SKIPPED
                email.save(update_fields=["status"])
                return 0
            message.send()
            email.status, email.sent_at, email.attempts, email.last_error = (
                E.SENT,
                timezone.now(),
                email.attempts + 1,
                "",
            )
            email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    except Exception as exc:
        will_retry = not final_attempt and isinstance(exc, MAIL_RETRY["autoretry_for"])
        OfferEmail.objects.filter(pk=offer_email_id, status=E.QUEUED).update(
            status=E.QUEUED if will_retry else E.FAILED,
            attempts=F("attempts") + 1,
            last_error=_describe(exc),
        )
        if will_retry:
            raise
        logger.error("offer email %s failed for good: %s", offer_email_id, _describe(exc))
        return 0
    return 1


def match_company_email_send(*, run_id: int, company_id: int) -> int:
    """Tell a company's recruiters how many offers a published run made for its openings."""

    run = MatchRun.objects.select_related("round").filter(pk=run_id, status=S.PUBLISHED).first()
    if run is None:
        return 0
    counts = list(
        Application.objects.filter(
            match__run=run, opening__company_id=company_id, source=Application.Source.MATCHING
        )
        .values_list("opening__title")
        .annotate(n=Count("pk"))
        .order_by("opening__title")
    )
    addresses = recruiter_emails(company_id)
    key = f"match-company-email:{run_id}:{company_id}"
    if not counts or not addresses or not _claim_email(key):
        return 0
    total = sum(n for _title, n in counts)
    names = {"round": run.round.title, "total": total, "counts": counts}
    subject = in_portal_language(
        _("[Innovation District Portal] Matching round “%(round)s”: offers for your openings"), names
    )
    body = render_body("placements/email/match_company.txt", names)
    try:
        sent = send_to_each(addresses, subject, body, from_email=district_of(run.round.district_id).sender)
    except Exception:
        cache.delete(key)
        raise
    return sent

"""The emails of a published matching run: each student's offer, and each company's summary.

Run by the tasks `placements.match_offer_emails_send` and `placements.match_company_email_send`,
which `placements.services.runs.match_run_publish` enqueues by name. Each email is claimed in
the shared cache first, so a redelivered task sends it once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies.selectors.team import recruiter_emails
from district.mail import in_portal_language, render_body, send_to_each
from district.selectors import district_of
from placements.models import Application, MatchRun
from placements.services.application_notices import student_email
from placements.services.runs import me_url

logger = logging.getLogger(__name__)

S = MatchRun.Status
# How long an email claim is remembered: longer than any retry of the task that sends it.
EMAIL_CLAIM_SECONDS = 30 * 24 * 3600


def _claim_email(key: str) -> bool:
    """Claim one email with an atomic add in the shared cache, so a redelivered task sends it once."""
    return cache.add(key, 1, timeout=EMAIL_CLAIM_SECONDS)


def match_offer_emails_send(*, application_ids: list[int]) -> int:
    """Email each student their offer from a matching round. Returns how many were sent.

    An offer that is no longer open (answered, withdrawn) gets no email; each email is
    claimed first and the claim is released when sending fails, so the retry sends it.
    """
    offers = (
        Application.objects.filter(
            pk__in=application_ids, status=Application.Status.OFFERED, source=Application.Source.MATCHING
        )
        .select_related("student__user", "opening__company", "match__run__round")
        .order_by("pk")
    )
    path = me_url("me:applications") or "/"
    messages, keys = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for offer in offers:
            student = offer.student
            address = student_email(student)
            key = f"match-offer-email:{offer.pk}"
            if not address or not _claim_email(key):
                continue
            # From the district of the round (the opening's company's), linking to its site.
            district = district_of(offer.opening.company.district_id)
            names = {
                "student": student.name,
                "round": offer.match.run.round.title if offer.match_id else "",
                "opening": offer.opening.title,
                "company": offer.opening.company.name,
                "date": date_format(timezone.localtime(offer.offer_expires_at), "SHORT_DATETIME_FORMAT"),
                "link": district.link(path),
            }
            subject = _("[Innovation District Portal] An offer for you: “%(opening)s”") % names
            body = render_to_string("placements/email/match_offer.txt", names)
            messages.append(
                EmailMessage(subject=subject, body=body, from_email=district.sender, to=[address])
            )
            keys.append(key)
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except Exception:
        cache.delete_many(keys)
        raise
    logger.info("sent %d matching offer emails", sent)
    return sent


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

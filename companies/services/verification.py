"""Officials' decisions on a company: verify or reject it, and tell its recruiters."""

from __future__ import annotations

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from companies.selectors.signups import companies_awaiting_verification
from companies.services.common import clean_reason, ensure_official_of, refresh_fields
from district.models import User
from district.outbox import enqueue
from district.public_cache import public_pages_changed

logger = logging.getLogger(__name__)


def _refuse_company(company: Company, message) -> ValidationError:
    company.refresh_from_db(fields=["verification"])
    return ValidationError(
        message,
        code="invalid_transition",
        params={"company": company.name, "status": company.get_verification_display()},
    )


def _claim_for_decision(company: Company, fields: dict, *, refused, unconfirmed) -> None:
    """Apply an official's decision to a company that awaits it, or refuse with the reason.

    A company whose recruiter has not confirmed their address yet (`company_unconfirmed`) is
    not the officials' to decide: rejecting it would keep its business number from the real
    company for good, and verifying it would give an unproven address a company.
    """
    claimed = companies_awaiting_verification().filter(pk=company.pk).update(**fields)
    if claimed:
        refresh_fields(company, fields)
        # An UPDATE sends no signal: the district's public pages are told here (district.public_cache).
        public_pages_changed(district_ids=[company.district_id])
        return
    company.refresh_from_db(fields=["verification"])
    if company.verification == Company.Verification.PENDING:
        raise ValidationError(unconfirmed, code="unconfirmed", params={"company": company.name})
    raise _refuse_company(company, refused)


@transaction.atomic
def company_verify(*, company: Company, by: User) -> Company:
    """Mark a company that awaits verification as verified, and tell its recruiters."""
    ensure_official_of(by, company.district_id)
    fields = {
        "verification": Company.Verification.VERIFIED,
        "verified_by": by,
        "verified_at": timezone.now(),
        "rejection_reason": "",
    }
    _claim_for_decision(
        company,
        fields,
        refused=_("“%(company)s” cannot be verified: it is “%(status)s”, not awaiting verification."),
        unconfirmed=_(
            "“%(company)s” cannot be verified yet: its recruiter has not confirmed their email address."
        ),
    )
    transaction.on_commit(partial(enqueue, "companies.company_verification_email_send", company.pk))
    return company


@transaction.atomic
def company_reject(*, company: Company, by: User, reason: str) -> Company:
    """Refuse a company that awaits verification, with a reason its recruiters will read."""
    ensure_official_of(by, company.district_id)
    fields = {
        "verification": Company.Verification.REJECTED,
        "rejection_reason": clean_reason(reason),
        "verified_by": None,
        "verified_at": None,
    }
    _claim_for_decision(
        company,
        fields,
        refused=_("“%(company)s” cannot be rejected: it is “%(status)s”, not awaiting verification."),
        unconfirmed=_(
            "“%(company)s” cannot be rejected yet: its recruiter has not confirmed their email address."
        ),
    )
    transaction.on_commit(partial(enqueue, "companies.company_verification_email_send", company.pk))
    return company

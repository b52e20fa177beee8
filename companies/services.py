"""Writes for companies and openings: an official's verification and review decisions.

Each service claims its transition with a conditional UPDATE, so two officials acting
on the same row at once cannot both succeed, and it refuses a transition that the
current state does not allow with a `ValidationError` that says why. Recruiters hear
about the decision by email once the transaction commits.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Opening
from companies.tasks import send_company_verification_email_task, send_opening_review_email_task
from district.access import official_district_ids
from district.models import User


def _ensure_official_of(user: User, district_id: int) -> None:
    if not (user.is_superuser or district_id in official_district_ids(user)):
        raise PermissionDenied(_("Only an official of this district can make this decision."))


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the rejection."), code="reason_required")
    return reason


def _refresh(instance, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def _refuse_company(company: Company, message) -> ValidationError:
    company.refresh_from_db(fields=["verification"])
    return ValidationError(
        message,
        code="invalid_transition",
        params={"company": company.name, "status": company.get_verification_display()},
    )


@transaction.atomic
def company_verify(*, company: Company, by: User) -> Company:
    """Mark a company that awaits verification as verified, and tell its recruiters."""
    _ensure_official_of(by, company.district_id)
    fields = {
        "verification": Company.Verification.VERIFIED,
        "verified_by": by,
        "verified_at": timezone.now(),
        "rejection_reason": "",
    }
    claimed = Company.objects.filter(pk=company.pk, verification=Company.Verification.PENDING).update(
        **fields
    )
    if not claimed:
        raise _refuse_company(
            company,
            _("“%(company)s” cannot be verified: it is “%(status)s”, not awaiting verification."),
        )
    _refresh(company, fields)
    transaction.on_commit(partial(send_company_verification_email_task.delay, company.pk))
    return company


@transaction.atomic
def company_reject(*, company: Company, by: User, reason: str) -> Company:
    """Refuse a company that awaits verification, with a reason its recruiters will read."""
    _ensure_official_of(by, company.district_id)
    fields = {
        "verification": Company.Verification.REJECTED,
        "rejection_reason": _clean_reason(reason),
        "verified_by": None,
        "verified_at": None,
    }
    claimed = Company.objects.filter(pk=company.pk, verification=Company.Verification.PENDING).update(
        **fields
    )
    if not claimed:
        raise _refuse_company(
            company,
            _("“%(company)s” cannot be rejected: it is “%(status)s”, not awaiting verification."),
        )
    _refresh(company, fields)
    transaction.on_commit(partial(send_company_verification_email_task.delay, company.pk))
    return company


def _not_awaiting_review(opening: Opening, message) -> ValidationError:
    return ValidationError(
        message,
        code="invalid_transition",
        params={"opening": opening.title, "status": opening.get_status_display()},
    )


@transaction.atomic
def opening_approve(*, opening: Opening, by: User) -> Opening:
    """Publish an opening that awaits review, and tell the company's recruiters.

    Refused unless the opening is submitted, its company is verified and its application
    deadline has not passed: an approved opening is public at once.
    """
    company = opening.company
    _ensure_official_of(by, company.district_id)
    refused = _("“%(opening)s” cannot be published: it is “%(status)s”, not awaiting review.")
    if opening.status != Opening.Status.SUBMITTED:
        raise _not_awaiting_review(opening, refused)
    if not company.is_verified:
        raise ValidationError(
            _("“%(opening)s” cannot be published: its company “%(company)s” is not verified yet."),
            code="company_not_verified",
            params={"opening": opening.title, "company": company.name},
        )
    if opening.apply_by < timezone.localdate():
        raise ValidationError(
            _("“%(opening)s” cannot be published: its application deadline has passed."),
            code="deadline_passed",
            params={"opening": opening.title},
        )
    now = timezone.now()
    fields = {
        "status": Opening.Status.PUBLISHED,
        "reviewed_by": by,
        "reviewed_at": now,
        "published_at": now,
        "rejection_reason": "",
    }
    claimed = Opening.objects.filter(
        pk=opening.pk,
        status=Opening.Status.SUBMITTED,
        company__verification=Company.Verification.VERIFIED,
    ).update(**fields)
    if not claimed:  # another official decided first, or the company lost its verification
        opening.refresh_from_db(fields=["status"])
        raise _not_awaiting_review(opening, refused)
    _refresh(opening, fields)
    transaction.on_commit(partial(send_opening_review_email_task.delay, opening.pk))
    return opening


@transaction.atomic
def opening_reject(*, opening: Opening, by: User, reason: str) -> Opening:
    """Send an opening that awaits review back to the company as rejected, with a reason."""
    _ensure_official_of(by, opening.company.district_id)
    refused = _("“%(opening)s” cannot be rejected: it is “%(status)s”, not awaiting review.")
    if opening.status != Opening.Status.SUBMITTED:
        raise _not_awaiting_review(opening, refused)
    fields = {
        "status": Opening.Status.REJECTED,
        "rejection_reason": _clean_reason(reason),
        "reviewed_by": by,
        "reviewed_at": timezone.now(),
    }
    claimed = Opening.objects.filter(pk=opening.pk, status=Opening.Status.SUBMITTED).update(**fields)
    if not claimed:
        opening.refresh_from_db(fields=["status"])
        raise _not_awaiting_review(opening, refused)
    _refresh(opening, fields)
    transaction.on_commit(partial(send_opening_review_email_task.delay, opening.pk))
    return opening

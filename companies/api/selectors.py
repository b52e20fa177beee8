"""Public reads of companies and openings, shared by the API and the public pages.

These live beside the API because companies/selectors.py belongs to the companies
pages; both call the same functions.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from companies.models import Company, Opening
from schools.models import Department


def company_list_public() -> QuerySet[Company]:
    """Verified partner companies only."""
    return (
        Company.objects.filter(verification=Company.Verification.VERIFIED)
        .select_related("segment", "area")
        .order_by("name", "pk")
    )


def opening_list_public(*, today: datetime.date | None = None) -> QuerySet[Opening]:
    """Published openings of verified companies whose deadline has not passed (three queries a page)."""
    today = today or timezone.localdate()
    return (
        Opening.objects.filter(
            status=Opening.Status.PUBLISHED,
            apply_by__gte=today,
            company__verification=Company.Verification.VERIFIED,
        )
        .select_related("company__segment", "job_role", "work_area")
        .prefetch_related(
            "required_certifications",
            Prefetch("preferred_departments", queryset=Department.objects.select_related("school")),
        )
        .order_by("apply_by", "pk")
    )

"""Reads about the district as a whole, and the public shared vocabulary (job roles, certifications)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from district.models import Certification, District, JobRole


def district_default() -> District | None:
    """The district the public pages show: DEFAULT_DISTRICT_SLUG, else the first one."""
    district = District.objects.filter(slug=settings.DEFAULT_DISTRICT_SLUG).first()
    return district or District.objects.order_by("pk").first()


def job_role_list_public() -> QuerySet[JobRole]:
    """Every job role, with its segment and NCS units (two queries for a page)."""
    return JobRole.objects.select_related("segment").prefetch_related("ncs_units").order_by("name", "pk")


def certification_list_public() -> QuerySet[Certification]:
    return Certification.objects.order_by("name", "pk")


@dataclass(frozen=True)
class DistrictOverview:
    partner_companies: int
    open_openings: int
    open_seats: int
    pathways: int
    local_employment_year: int
    local_employment_rate: float | None


def district_overview(*, district: District, today: datetime.date | None = None) -> DistrictOverview:
    """The key numbers of the front page.

    Local employment rate for last year's cohort = placements at a company located in
    the district ÷ placements, counting each graduate's placements that started in the
    cohort's graduation year or later. None when nobody from that cohort is placed.
    """
    from companies.models import Company, Opening
    from placements.models import Pathway, Placement

    today = today or timezone.localdate()
    openings = Opening.objects.filter(
        company__district=district, status=Opening.Status.PUBLISHED, apply_by__gte=today
    ).aggregate(n=Count("id"), seats=Sum("seats"))
    last_year = today.year - 1
    placed = Placement.objects.filter(
        student__school__district=district, student__graduation_year=last_year
    ).aggregate(
        total=Count("student", distinct=True), local=Count("student", distinct=True, filter=Q(is_local=True))
    )
    return DistrictOverview(
        partner_companies=Company.objects.filter(
            district=district, verification=Company.Verification.VERIFIED
        ).count(),
        open_openings=openings["n"] or 0,
        open_seats=openings["seats"] or 0,
        pathways=Pathway.objects.filter(district=district, is_published=True).count(),
        local_employment_year=last_year,
        local_employment_rate=(100.0 * placed["local"] / placed["total"]) if placed["total"] else None,
    )

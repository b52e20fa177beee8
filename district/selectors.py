"""Reads about the district as a whole, and the public shared vocabulary (job roles, certifications)."""

from __future__ import annotations

from django.db.models import QuerySet

from district import sites
from district.models import Certification, District, JobRole


def district_default() -> District | None:
    """The district that work without a request falls back to: DEFAULT_DISTRICT_SLUG, else the first one.

    Pages use `request.district` (district.sites), which is this one on hosts no district claims.
    """
    return sites.district_default()


def job_role_list_public() -> QuerySet[JobRole]:
    """Every job role, with its segment and NCS units (two queries for a page)."""
    return JobRole.objects.select_related("segment").prefetch_related("ncs_units").order_by("name", "pk")


def certification_list_public() -> QuerySet[Certification]:
    return Certification.objects.order_by("name", "pk")

"""Reads about the district as a whole, and the public shared vocabulary (job roles, certifications)."""

from __future__ import annotations

from django.db.models import QuerySet

from district import sites
from district.models import Certification, District, IndustrySegment, JobRole


def district_default() -> District | None:
    """The district that work without a request falls back to: DEFAULT_DISTRICT_SLUG, else the first one.

    Pages use `request.district` (district.sites), which is this one on hosts no district claims.
    """
    return sites.district_default()


def district_of(district_id: int | None) -> District | None:
    """The district with this id, read from the cached site map (no query), else the default one.

    For work without a request that is about one district's row: its emails' sender and links.
    """
    found = sites.site_map().by_pk.get(district_id) if district_id is not None else None
    return found or sites.district_default()


def segment_list(*, district: District | int | None) -> QuerySet[IndustrySegment]:
    """The industry segments of `district` (an instance or its id), in display order.

    Each district has its own vocabulary: every form and filter offering segments reads them here.
    """
    return IndustrySegment.objects.filter(district=district).order_by("order", "name", "pk")


def job_role_list(*, district: District | int | None) -> QuerySet[JobRole]:
    """The job roles of `district` (an instance or its id), by name, with their segments."""
    return JobRole.objects.filter(district=district).select_related("segment").order_by("name", "pk")


def job_role_list_public(*, district: District | None = None) -> QuerySet[JobRole]:
    """Job roles of `district` (of every district when it is None: the API), with their segment
    and NCS units (two queries for a page)."""
    queryset = JobRole.objects.all() if district is None else job_role_list(district=district)
    return queryset.select_related("segment").prefetch_related("ncs_units").order_by("name", "pk")


def certification_list_public() -> QuerySet[Certification]:
    return Certification.objects.order_by("name", "pk")

"""Public reads of the shared vocabulary for the API and the pages."""

from django.db.models import QuerySet

from district.models import Certification, JobRole


def job_role_list_public() -> QuerySet[JobRole]:
    """Every job role, with its segment and NCS units (two queries for a page)."""
    return JobRole.objects.select_related("segment").prefetch_related("ncs_units").order_by("name", "pk")


def certification_list_public() -> QuerySet[Certification]:
    return Certification.objects.order_by("name", "pk")

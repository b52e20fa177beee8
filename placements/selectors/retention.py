"""Reads for the school staff's retention pages (/school/retention/): their graduates' placements."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from district import access
from placements.models import Placement


def retention_list(*, user, filters: dict | None = None) -> QuerySet[Placement]:
    """School staff: their graduates' placements with the 6- and 12-month records and reviews."""
    filters = filters or {}
    queryset = (
        Placement.objects.filter(student__school_id__in=access.school_ids(user))
        .select_related("student__school", "student__department", "company")
        .prefetch_related("retention_reviews")
        .order_by("-starts_on", "pk")
    )
    if filters.get("cohort"):
        queryset = queryset.filter(student__cohort=filters["cohort"])
    return queryset


def get_retention_placement_for_user(user, pk) -> Placement:
    """School staff: a placement of one of their graduates; 404 for any other, as for a missing one."""
    queryset = Placement.objects.filter(student__school_id__in=access.school_ids(user)).select_related(
        "student__school", "company"
    )
    try:
        return queryset.get(pk=pk)
    except (Placement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

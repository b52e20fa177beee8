"""Reads of placements (a graduate's job at a company) for the API.

`/api/v1/placements/` is scoped by role through `district.access.role_scope`: officials
see their district's, school staff their schools', recruiters their company's, and a
student their own. School staff's retention pages read `schools.selectors.retention_list`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from district import access
from placements.models import Placement


def placement_list_by_role(*, user, filters: Mapping | None = None) -> QuerySet[Placement]:
    """Placements in the user's reach, latest start first."""
    from placements.filters import PlacementFilterSet

    scope = access.role_scope(
        user,
        district="student__school__district",
        school="student__school",
        company="company",
        student="student",
    )
    queryset = Placement.objects.filter(scope).select_related("student").order_by("-starts_on", "-pk")
    if filters:
        queryset = PlacementFilterSet(filters, queryset=queryset).qs
    return queryset

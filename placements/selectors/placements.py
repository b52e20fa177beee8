"""Reads of placements (a graduate's job at a company) for the API.

`/api/v1/placements/` is scoped by role through `district.access.role_scope`: officials
see their district's, school staff their schools', recruiters their company's, and a
student their own. School staff's retention pages read `placements.selectors.retention`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from district import access
from placements.models import Application, ApplicationEvent, Placement


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


def placements_without_acceptance(*, district_id: int | None = None, include_unlinked: bool = False):
    """Active placements whose application never went through an acceptance, for officials to
    review (`manage.py placements_without_acceptance`), by district, school and start date.

    A placement is listed when its application's history has no event to `accepted`: the
    company recorded `hired` straight from an earlier stage, which the applications service
    allowed before the transition table. With `include_unlinked`, placements with no
    application at all (entered in the administration, or imported) are listed too.
    Each row carries `accepted` (False), `hired_at` and `hired_by` (the first hire event's).
    """
    events = ApplicationEvent.objects.filter(application_id=OuterRef("application_id"))
    hired = events.filter(to_status=Application.Status.HIRED).order_by("at", "pk")
    problem = Q(application__isnull=False, accepted=False)
    if include_unlinked:
        problem |= Q(application__isnull=True)
    queryset = (
        Placement.objects.filter(status=Placement.Status.ACTIVE)
        .annotate(
            accepted=Exists(events.filter(to_status=Application.Status.ACCEPTED)),
            hired_at=Subquery(hired.values("at")[:1]),
            hired_by=Subquery(hired.values("by__username")[:1]),
        )
        .filter(problem)
        .select_related("student__school__district", "company", "opening")
        .order_by("student__school__district__slug", "student__school__name", "starts_on", "pk")
    )
    if district_id is not None:
        queryset = queryset.filter(student__school__district_id=district_id)
    return queryset

"""Reads of pathways, applications, placements and matching runs for the API.

Pathways are public (published only). Applications and placements are scoped by role
through `district.api.scoping.role_scope`: officials see their district, school staff
their schools, recruiters their company, a student only their own. Matching runs are
for officials.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from companies.models import Company
from district.api.scoping import role_scope
from placements.models import Application, MatchRun, Pathway, Placement
from universities.models import CreditProgram


def pathway_list_public() -> QuerySet[Pathway]:
    """Published pathways with everything their card shows (six queries a page)."""
    verified = Company.objects.filter(verification=Company.Verification.VERIFIED).order_by("name")
    return (
        Pathway.objects.filter(is_published=True)
        .select_related("department__school", "segment")
        .prefetch_related(
            "job_roles",
            "certifications",
            Prefetch("practice_companies", queryset=verified),
            Prefetch("credit_programs", queryset=CreditProgram.objects.select_related("university")),
        )
        .order_by("title", "pk")
    )


def application_list_by_role(*, user, filters: dict | None = None) -> QuerySet[Application]:
    from placements.filters import ApplicationFilterSet

    scope = role_scope(
        user,
        district="student__school__district",
        school="student__school",
        company="opening__company",
        student="student",
    )
    queryset = (
        Application.objects.filter(scope)
        .select_related("student", "opening")
        .order_by("-submitted_at", "-pk")
    )
    if filters:
        queryset = ApplicationFilterSet(filters, queryset=queryset).qs
    return queryset


def placement_list_by_role(*, user, filters: dict | None = None) -> QuerySet[Placement]:
    from placements.filters import PlacementFilterSet

    scope = role_scope(
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


def match_run_list(*, user, filters: dict | None = None) -> QuerySet[MatchRun]:
    """Officials only: their districts' runs, newest first."""
    from placements.filters import MatchRunFilterSet

    queryset = (
        MatchRun.objects.filter(role_scope(user, district="district"))
        .select_related("round")
        .order_by("-created_at", "-pk")
    )
    if filters:
        queryset = MatchRunFilterSet(filters, queryset=queryset).qs
    return queryset

"""Teacher training and the curriculum units co-developed with companies."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from schools.models import CourseUnit, TeacherTraining, TrainingCompletion


def training_completions(*, scope: DashboardScope, year: int) -> QuerySet:
    """Training completed during `year` by teachers of the scope's schools."""
    return TrainingCompletion.objects.filter(teacher__school_id__in=scope.school_ids, completed_on__year=year)


def is_co_developed() -> Exists:
    """True for a curriculum unit developed with at least one company (on CourseUnit rows)."""
    return Exists(CourseUnit.co_developers.through.objects.filter(courseunit=OuterRef("pk")))


def co_developed_units_of(*, scope: DashboardScope) -> QuerySet:
    """Curriculum units of the scope's departments developed with at least one company."""
    return CourseUnit.objects.filter(department__school_id__in=scope.school_ids).filter(is_co_developed())


def training_summary(*, scope: DashboardScope, cohort: int) -> dict:
    """Teacher-training hours in the programme year the cohort is reported in, and co-developed
    curriculum units, by school (four queries)."""
    year = Cohort(cohort).programme_year
    completions = training_completions(scope=scope, year=year)
    hours_by_school = list(
        completions.order_by()
        .values(school_id=F("teacher__school_id"), school_name=F("teacher__school__name"))
        .annotate(
            training_hours=Sum("hours"), teachers=Count("teacher", distinct=True), completed=Count("pk")
        )
        .order_by("school_name", "school_id")
    )
    in_scope = Q(completions__teacher__school_id__in=scope.school_ids, completions__completed_on__year=year)
    trainings = list(
        TeacherTraining.objects.filter(district=scope.district)
        .filter(Q(starts_on__year=year) | Q(ends_on__year=year))
        .annotate(
            completed=Count("completions", filter=in_scope),
            hours_completed=Coalesce(Sum("completions__hours", filter=in_scope), 0),
        )
        .values("id", "title", "provider", "hours", "starts_on", "ends_on", "completed", "hours_completed")
        .order_by("starts_on", "id")
    )
    curriculum_by_school = list(
        CourseUnit.objects.filter(department__school_id__in=scope.school_ids)
        .annotate(is_co_developed=is_co_developed())
        .order_by()
        .values(school_id=F("department__school_id"), school_name=F("department__school__name"))
        .annotate(
            units=Count("pk"),
            co_developed=Count("pk", filter=Q(is_co_developed=True)),
            unit_hours=Sum("hours"),
            co_developed_hours=Coalesce(Sum("hours", filter=Q(is_co_developed=True)), 0),
        )
        .order_by("school_name", "school_id")
    )
    totals = completions.aggregate(
        hours=Coalesce(Sum("hours"), 0), teachers=Count("teacher", distinct=True), completions=Count("pk")
    )
    return {
        "programme_year": year,
        "hours": totals["hours"],
        "teachers": totals["teachers"],
        "completions": totals["completions"],
        "hours_by_school": hours_by_school,
        "trainings": trainings,
        "curriculum_by_school": curriculum_by_school,
        "co_developed_units": sum(row["co_developed"] for row in curriculum_by_school),
        "curriculum_units": sum(row["units"] for row in curriculum_by_school),
    }


def co_developed_unit_rows(*, scope: DashboardScope) -> list[dict]:
    """Curriculum units developed with companies, with those companies (two queries)."""
    units = (
        co_developed_units_of(scope=scope)
        .select_related("department__school", "ncs_unit")
        .prefetch_related("co_developers")
        .order_by("department__school__name", "department__name", "title", "pk")
    )
    return [
        {
            "school": unit.department.school.name,
            "department": unit.department.name,
            "title": unit.title,
            "ncs_code": unit.ncs_unit.code,
            "hours": unit.hours,
            "companies": ", ".join(sorted(c.name for c in unit.co_developers.all())),
        }
        for unit in units
    ]

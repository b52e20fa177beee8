"""The cohort and its employment: who graduates in a year, who is employed on a date, who stays.

Each count runs one aggregate query in the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone

from dashboard.kpis.dates import add_months, employed_on
from dashboard.kpis.scope import DashboardScope
from district.cohorts import retention_dates, survey_date
from placements.models import Placement
from schools.models import Student
from universities.models import ProgramEnrollment


def in_cohort(*, scope: DashboardScope, year: int, prefix: str = "") -> Q:
    """The cohort rule, as a filter on students (or, with `prefix`, e.g. "student__", on a relation):
    students of the scope graduating in `year` who did not leave school."""
    return (
        scope.students(prefix)
        & Q(**{f"{prefix}cohort": year})
        & ~Q(**{f"{prefix}status": Student.Status.LEFT})
    )


def cohort_students(*, scope: DashboardScope, year: int) -> QuerySet:
    """The cohort: students of the scope graduating in `year` who did not leave school."""
    return Student.objects.filter(in_cohort(scope=scope, year=year))


def cohort_placements(*, scope: DashboardScope, years: list[int]) -> QuerySet:
    """Placements of the cohorts graduating in `years`, joined to the student only."""
    return Placement.objects.filter(scope.students("student__"), student__cohort__in=years).exclude(
        student__status=Student.Status.LEFT
    )


def progressed_ids() -> QuerySet:
    """Ids of students with an enrolment in a credit programme, whatever its status."""
    return ProgramEnrollment.objects.order_by().values("student_id")


def employed_ids(day: datetime.date, *, local: bool = False) -> QuerySet:
    """Ids of students with a placement covering `day` (local ones only if asked).

    Used as `pk IN (subquery)` inside a query that is already scoped to a cohort; it is
    not correlated, so PostgreSQL builds its hash once per query.
    """
    placements = Placement.objects.filter(employed_on(day))
    if local:
        placements = placements.filter(is_local=True)
    return placements.order_by().values("student_id")


def employment_aggregates(year: int) -> dict:
    """Counts over a cohort's students, for tables grouped by school or department.

    Employed and local on the survey date, retained at 6 and 12 months: `retained_Nm`
    counts graduates employed both on the survey date and N months later, possibly at
    another company. The totals (`employment_by_student`) apply the same rule in one
    pass over the placements; a test checks that both agree.
    """
    survey = survey_date(year)
    checks = retention_dates(survey)
    employed = Q(pk__in=employed_ids(survey))
    return {
        "employed": Count("pk", filter=employed),
        "employed_local": Count("pk", filter=Q(pk__in=employed_ids(survey, local=True))),
        "retained_6m": Count("pk", filter=employed & Q(pk__in=employed_ids(checks.six_months))),
        "retained_12m": Count("pk", filter=employed & Q(pk__in=employed_ids(checks.twelve_months))),
    }


def covers(day: datetime.date, *, local: bool = False) -> Case:
    """1 for a placement that covers `day` (and is local, if asked), else 0."""
    condition = employed_on(day) & Q(is_local=True) if local else employed_on(day)
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def employment_by_student(*, scope: DashboardScope, year: int, months: tuple[int, ...]) -> QuerySet:
    """One row per graduate of the cohort with a placement: flags `m<k>` (employed k months after
    the survey date) and `local0` (employed locally on the survey date).

    One pass over the cohort's placements, grouped by student: a student is employed on
    a day when any of their placements covers it. Placements that ended before the
    survey date cover none of these days and are left out.
    """
    survey = survey_date(year)
    return (
        cohort_placements(scope=scope, years=[year])
        .exclude(ends_on__lt=survey)
        .order_by()
        .values("student_id")
        .annotate(
            local0=Max(covers(survey, local=True)),
            **{f"m{m}": Max(covers(add_months(survey, m))) for m in months},
        )
    )


@dataclass(frozen=True)
class CohortCounts:
    year: int
    survey_on: datetime.date
    cohort: int
    progressed: int
    employed: int
    employed_local: int
    retained_6m: int | None
    retained_12m: int | None


def cohort_counts(*, scope: DashboardScope, year: int, today: datetime.date | None = None) -> CohortCounts:
    """The cohort's size, progression, employment and retention counts (two queries).

    Retention counts are None until their check date (1 October, then 1 April of the
    next year) has come.
    """
    today = today or timezone.localdate()
    survey = survey_date(year)
    checks = retention_dates(survey)
    counts = cohort_students(scope=scope, year=year).aggregate(
        cohort=Count("pk"), progressed=Count("pk", filter=Q(pk__in=progressed_ids()))
    )
    counts |= employment_by_student(scope=scope, year=year, months=(0, 6, 12)).aggregate(
        employed=Count("student_id", filter=Q(m0=1)),
        employed_local=Count("student_id", filter=Q(local0=1)),
        retained_6m=Count("student_id", filter=Q(m0=1, m6=1)),
        retained_12m=Count("student_id", filter=Q(m0=1, m12=1)),
    )
    return CohortCounts(
        year=year,
        survey_on=survey,
        cohort=counts["cohort"],
        progressed=counts["progressed"],
        employed=counts["employed"],
        employed_local=counts["employed_local"],
        retained_6m=counts["retained_6m"] if today >= checks.six_months else None,
        retained_12m=counts["retained_12m"] if today >= checks.twelve_months else None,
    )

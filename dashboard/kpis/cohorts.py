"""The cohort and its employment: who is in a cohort, who is employed on a date, who stays.

A cohort is the school year (`district.cohorts.Cohort`): `cohort=2025` is 2025학년도, the
students who graduated in February 2026 and were surveyed on 1 April 2026.

Each count runs one aggregate query in the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone

from dashboard.kpis.dates import add_months, employed_on
from dashboard.kpis.scope import DashboardScope
from district.cohorts import Cohort
from placements.models import Placement
from schools.models import Student
from universities.models import ProgramEnrollment


def in_cohort(*, scope: DashboardScope, cohort: int, prefix: str = "") -> Q:
    """The cohort rule, as a filter on students (or, with `prefix`, e.g. "student__", on a relation):
    students of the scope in the cohort (school year) `cohort` who did not leave school."""
    return (
        scope.students(prefix)
        & Q(**{f"{prefix}cohort": cohort})
        & ~Q(**{f"{prefix}status": Student.Status.LEFT})
    )


def cohort_students(*, scope: DashboardScope, cohort: int) -> QuerySet:
    """The cohort: students of the scope in the cohort `cohort` who did not leave school."""
    return Student.objects.filter(in_cohort(scope=scope, cohort=cohort))


def cohort_placements(*, scope: DashboardScope, cohorts: list[int]) -> QuerySet:
    """Placements of the students of `cohorts`, joined to the student only."""
    return Placement.objects.filter(scope.students("student__"), student__cohort__in=cohorts).exclude(
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


def employment_aggregates(cohort: int) -> dict:
    """Counts over a cohort's students, for tables grouped by school or department.

    Employed and local on the survey date, retained at 6 and 12 months: `retained_Nm`
    counts graduates employed both on the survey date and N months later, possibly at
    another company. The totals (`employment_by_student`) apply the same rule in one
    pass over the placements; a test checks that both agree.
    """
    dates = Cohort(cohort)
    survey = dates.survey_on
    employed = Q(pk__in=employed_ids(survey))
    return {
        "employed": Count("pk", filter=employed),
        "employed_local": Count("pk", filter=Q(pk__in=employed_ids(survey, local=True))),
        "retained_6m": Count("pk", filter=employed & Q(pk__in=employed_ids(dates.six_month_check_on))),
        "retained_12m": Count("pk", filter=employed & Q(pk__in=employed_ids(dates.twelve_month_check_on))),
    }


def covers(day: datetime.date, *, local: bool = False) -> Case:
    """1 for a placement that covers `day` (and is local, if asked), else 0."""
    condition = employed_on(day) & Q(is_local=True) if local else employed_on(day)
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def employment_by_student(*, scope: DashboardScope, cohort: int, months: tuple[int, ...]) -> QuerySet:
    """One row per graduate of the cohort with a placement: flags `m<k>` (employed k months after
    the survey date) and `local0` (employed locally on the survey date).

    One pass over the cohort's placements, grouped by student: a student is employed on
    a day when any of their placements covers it. Placements that ended before the
    survey date cover none of these days and are left out.
    """
    survey = Cohort(cohort).survey_on
    return (
        cohort_placements(scope=scope, cohorts=[cohort])
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
    """A cohort's size and outcomes. Employment is None until the survey date has come, and each
    retention count until its check date: a figure not measured yet is never shown as 0."""

    school_year: int
    survey_on: datetime.date
    six_month_check_on: datetime.date
    twelve_month_check_on: datetime.date
    cohort: int
    progressed: int
    employed: int | None
    employed_local: int | None
    retained_6m: int | None
    retained_12m: int | None


def cohort_counts(*, scope: DashboardScope, cohort: int, today: datetime.date | None = None) -> CohortCounts:
    """The cohort's size, progression, employment and retention counts (two queries).

    Employment counts are None before the survey date (1 April after the graduation), and
    retention counts before their check dates (1 October, then 1 April of the next year).
    """
    today = today or timezone.localdate()
    dates = Cohort(cohort)
    counts = cohort_students(scope=scope, cohort=cohort).aggregate(
        cohort=Count("pk"), progressed=Count("pk", filter=Q(pk__in=progressed_ids()))
    )
    counts |= employment_by_student(scope=scope, cohort=cohort, months=(0, 6, 12)).aggregate(
        employed=Count("student_id", filter=Q(m0=1)),
        employed_local=Count("student_id", filter=Q(local0=1)),
        retained_6m=Count("student_id", filter=Q(m0=1, m6=1)),
        retained_12m=Count("student_id", filter=Q(m0=1, m12=1)),
    )

    def measured(key: str, on: datetime.date) -> int | None:
        return counts[key] if today >= on else None

    return CohortCounts(
        school_year=cohort,
        survey_on=dates.survey_on,
        six_month_check_on=dates.six_month_check_on,
        twelve_month_check_on=dates.twelve_month_check_on,
        cohort=counts["cohort"],
        progressed=counts["progressed"],
        employed=measured("employed", dates.survey_on),
        employed_local=measured("employed_local", dates.survey_on),
        retained_6m=measured("retained_6m", dates.six_month_check_on),
        retained_12m=measured("retained_12m", dates.twelve_month_check_on),
    )

"""The cohort and its employment: who is in a cohort, who is employed on a date, who stays.

A cohort is the school year (`district.cohorts.Cohort`): `cohort=2025` is 2025학년도, the
students who graduated in February 2026 and were surveyed on 1 April 2026.

Each count runs one aggregate query in the database.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone

from dashboard.kpis.dates import add_months, employed_on
from dashboard.kpis.scope import DashboardScope, district_key, scopes_students
from district.cohorts import Cohort
from placements.models import Placement
from schools.models import Student
from universities.models import ProgramEnrollment


def in_cohort(
    *,
    cohort: int,
    scope: DashboardScope | None = None,
    prefix: str = "",
    scopes: Sequence[DashboardScope] = (),
) -> Q:
    """The cohort rule, as a filter on students (or, with `prefix`, e.g. "student__", on a relation):
    students of the scope (or of any of `scopes`) in the cohort (school year) `cohort` who did
    not leave school."""
    return (
        scopes_students([scope] if scope else scopes, prefix)
        & Q(**{f"{prefix}cohort": cohort})
        & ~Q(**{f"{prefix}status": Student.Status.LEFT})
    )


def cohort_students(*, scope: DashboardScope, cohort: int) -> QuerySet:
    """The cohort: students of the scope in the cohort `cohort` who did not leave school."""
    return Student.objects.filter(in_cohort(scope=scope, cohort=cohort))


def cohort_placements(
    *, cohorts: list[int], scope: DashboardScope | None = None, scopes: Sequence[DashboardScope] = ()
) -> QuerySet:
    """Placements of the students of `cohorts` in the scope (or any of `scopes`), joined to the student."""
    return Placement.objects.filter(
        scopes_students([scope] if scope else scopes, "student__"), student__cohort__in=cohorts
    ).exclude(student__status=Student.Status.LEFT)


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


def covers_after_survey(cohorts: Sequence[int], months: int, *, local: bool = False) -> Case:
    """1 for a placement that covers the day `months` after its student's cohort's survey date
    (and is local, if asked), else 0: `covers` of that day, for placements of any of `cohorts`."""
    if len(cohorts) == 1:
        return covers(add_months(Cohort(cohorts[0]).survey_on, months), local=local)
    local_only = Q(is_local=True) if local else Q()
    return Case(
        *(
            When(
                Q(student__cohort=c) & employed_on(add_months(Cohort(c).survey_on, months)) & local_only,
                then=Value(1),
            )
            for c in cohorts
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def employment_by_student(
    *,
    months: tuple[int, ...],
    cohort: int | None = None,
    cohorts: Sequence[int] = (),
    scope: DashboardScope | None = None,
    scopes: Sequence[DashboardScope] = (),
) -> QuerySet:
    """One row per graduate of the cohort (or of any of `cohorts`) with a placement: flags `m<k>`
    (employed k months after their cohort's survey date) and `local0` (employed locally on it).

    One pass over the cohorts' placements, grouped by student: a student is employed on
    a day when any of their placements covers it. Placements that ended before their
    cohort's survey date cover none of these days and are left out.
    """
    cohorts = [cohort] if cohort is not None else list(cohorts)
    if len(cohorts) == 1:
        ended_before_survey = Q(ends_on__lt=Cohort(cohorts[0]).survey_on)
    else:
        ended_before_survey = functools.reduce(
            operator.or_, (Q(student__cohort=c, ends_on__lt=Cohort(c).survey_on) for c in cohorts)
        )
    return (
        cohort_placements(cohorts=cohorts, scopes=[scope] if scope else scopes)
        .exclude(ended_before_survey)
        .order_by()
        .values("student_id")
        .annotate(
            local0=Max(covers_after_survey(cohorts, 0, local=True)),
            **{f"m{m}": Max(covers_after_survey(cohorts, m)) for m in months},
        )
    )


def count_per_group(per_student: QuerySet, counts: dict[str, str]) -> dict:
    """Count rows of `per_student` (a grouped queryset with a `grp` column) per `grp`, one count per
    SQL condition of `counts` on its columns, keyed by `grp` (one query; none when it is empty).

    SQL's FROM (subquery) GROUP BY, which the ORM cannot write: its `aggregate()` over a
    grouped queryset has no GROUP BY (and costs much more to compile).
    """
    try:
        sql, params = per_student.query.sql_with_params()
    except EmptyResultSet:  # no school in any scope: nobody to count, and no query
        return {}
    return _count_rows(per_student.db, sql, params, counts)


def _count_rows(db: str, sql: str, params, counts: dict[str, str]) -> dict:
    """`count_per_group` over the rows of a statement (`sql` with `params`) with a `grp` column."""
    columns = ", ".join(f"COUNT(CASE WHEN {rule} THEN 1 END)" for rule in counts.values())
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"SELECT per_student.grp, {columns} FROM ({sql}) per_student GROUP BY per_student.grp", params
        )
        rows = cursor.fetchall()
    return {row[0]: dict(zip(counts, row[1:], strict=True)) for row in rows}


def count_months_per_group(
    per_placement: QuerySet, *, cohorts: Sequence[int], months: tuple[int, ...], counts: dict[str, str]
) -> dict:
    """On PostgreSQL, `count_per_group` over the flags `employment_by_student` gives each graduate
    (`m<k>`, `local0`), from one number per placement instead of a CASE per flag and cohort (one
    query; none when the scope has no school).

    `per_placement` gives one row per placement of `cohorts` with `student_id`, `is_local`,
    `starts_on`, `ends_on`, its student's `cohort` and `grp`. A placement's check dates (k months
    after its cohort's survey date, for k in `months`, ascending) form a sorted array; it covers
    those from the first on or after its start to the last on or before its end (the rule of
    `dates.employed_on`), a run of bits that two `width_bucket` lookups give. A graduate's flags are
    the OR of their placements' bits, `local0` that of their local placements. Placements that
    cover none of the dates (ended before the survey date) are left out, as in
    `employment_by_student`; a test checks that both count alike.
    """
    months = tuple(months)
    if list(months) != sorted(set(months)) or len(months) > 30:
        raise ValueError(months)
    cohorts = list(cohorts)
    if not cohorts:
        return {}
    try:
        sql, params = per_placement.query.sql_with_params()
    except EmptyResultSet:  # no school in the scope: nobody to count, and no query
        return {}
    dates = {c: [add_months(Cohort(c).survey_on, m) for m in months] for c in cohorts}
    values = ", ".join("(%s, %s::date[])" for _ in cohorts)
    mask = (
        "(1 << COALESCE(width_bucket(p.ends_on, d.dates), %s)) "
        "- (1 << width_bucket(p.starts_on - 1, d.dates))"
    )
    flags = ", ".join(f"(t.m >> {i}) & 1 AS m{m}" for i, m in enumerate(months))
    per_student = (
        f"SELECT t.grp, (t.lm & 1) AS local0, {flags} FROM ("
        "SELECT p.student_id, p.grp, BIT_OR(p.mask) AS m, BIT_OR(p.mask) FILTER (WHERE p.is_local) AS lm "
        f"FROM (SELECT p.student_id, p.grp, p.is_local, {mask} AS mask "
        # OFFSET 0 keeps the subquery apart, so each placement's bits are computed once, not once
        # per reference (two BIT_ORs and the filter).
        f"FROM ({sql}) p JOIN (VALUES {values}) d(cohort, dates) ON d.cohort = p.cohort OFFSET 0) p "
        "WHERE p.mask <> 0 GROUP BY p.student_id, p.grp) t"
    )
    arguments = (len(months), *params, *(v for c in cohorts for v in (c, dates[c])))
    return _count_rows(per_placement.db, per_student, arguments, counts)


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


# The employment counts over the per-graduate flags of `employment_by_student`.
EMPLOYMENT_COUNTS = {
    "employed": "m0 = 1",
    "employed_local": "local0 = 1",
    "retained_6m": "m0 = 1 AND m6 = 1",
    "retained_12m": "m0 = 1 AND m12 = 1",
}


def _employment_by_district(*, scopes: Sequence[DashboardScope], cohort: int) -> dict[int, dict]:
    """The employment counts of each scope's graduates, keyed by district (one query): the
    per-graduate flags of `employment_by_student`, counted per district (`count_per_group`)."""
    per_student = employment_by_student(scopes=scopes, cohort=cohort, months=(0, 6, 12)).values(
        "student_id", "local0", "m0", "m6", "m12", grp=F(district_key("student__"))
    )
    return count_per_group(per_student, EMPLOYMENT_COUNTS)


def cohort_counts_by_district(
    *,
    scopes: Sequence[DashboardScope],
    cohort: int,
    today: datetime.date | None = None,
    employment: dict[int, dict] | None = None,
) -> dict[int, CohortCounts]:
    """The cohort's size, progression, employment and retention counts of each scope, keyed by its
    district (two queries, however many scopes: at most one scope per district).

    Employment counts are None before the survey date (1 April after the graduation), and
    retention counts before their check dates (1 October, then 1 April of the next year).
    `employment`, the EMPLOYMENT_COUNTS by district when they are already counted, spares the
    second query.
    """
    today = today or timezone.localdate()
    dates = Cohort(cohort)
    students = (
        Student.objects.filter(in_cohort(scopes=scopes, cohort=cohort))
        .order_by()
        .values(grp=F(district_key()))
        .annotate(cohort=Count("pk"), progressed=Count("pk", filter=Q(pk__in=progressed_ids())))
    )
    by_district = {row["grp"]: row for row in students}
    if employment is None:
        employment = _employment_by_district(scopes=scopes, cohort=cohort)
    empty = dict.fromkeys(("cohort", "progressed", *EMPLOYMENT_COUNTS), 0)

    def counts_of(district_id: int) -> CohortCounts:
        counts = empty | by_district.get(district_id, {}) | employment.get(district_id, {})

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

    return {scope.district.pk: counts_of(scope.district.pk) for scope in scopes}


def cohort_counts(
    *, scope: DashboardScope, cohort: int, today: datetime.date | None = None, employment: dict | None = None
) -> CohortCounts:
    """The cohort's size, progression, employment and retention counts (two queries): the one
    scope's row of `cohort_counts_by_district`, so a district's dashboard and the national
    comparison count alike.

    `employment`, the EMPLOYMENT_COUNTS of the scope's graduates when they are already counted
    (`retention.employment_by_cohort`), spares the second query.
    """
    return cohort_counts_by_district(
        scopes=[scope],
        cohort=cohort,
        today=today,
        employment=None if employment is None else {scope.district.pk: employment},
    )[scope.district.pk]
